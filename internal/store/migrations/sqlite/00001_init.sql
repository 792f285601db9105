-- +goose Up
-- Times are UTC Unix nanoseconds (0 = unset) so both backends share the
-- same comparisons and scanning code; durations are nanoseconds.
CREATE TABLE workspaces (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    super_admin   INTEGER NOT NULL DEFAULT 0,
    archived      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE memberships (
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    role          TEXT NOT NULL,
    sso_user_info BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE custom_groups (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    can_edit_apps INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES custom_groups(id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE login_settings (
    workspace_id    TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    password_login  INTEGER NOT NULL,
    signup          INTEGER NOT NULL,
    allowed_domains TEXT NOT NULL DEFAULT '',
    auto_sso        INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE TABLE saml_configs (
    id                     TEXT PRIMARY KEY,
    workspace_id           TEXT NOT NULL UNIQUE REFERENCES workspaces(id) ON DELETE CASCADE,
    enabled                INTEGER NOT NULL,
    name                   TEXT NOT NULL DEFAULT '',
    metadata_xml           TEXT NOT NULL DEFAULT '',
    metadata_url           TEXT NOT NULL DEFAULT '',
    idp_entity_id          TEXT NOT NULL DEFAULT '',
    idp_initiated          TEXT NOT NULL DEFAULT '',
    clock_skew_ns          INTEGER NOT NULL DEFAULT 0,
    allow_sha1             INTEGER NOT NULL DEFAULT 0,
    group_sync             INTEGER NOT NULL DEFAULT 0,
    group_attribute        TEXT NOT NULL DEFAULT '',
    name_id_format         TEXT NOT NULL DEFAULT '',
    sign_requests          INTEGER NOT NULL DEFAULT 0,
    sp_signing_key_pem     TEXT NOT NULL DEFAULT '',
    sp_signing_cert_pem    TEXT NOT NULL DEFAULT '',
    sp_encryption_key_pem  TEXT NOT NULL DEFAULT '',
    sp_encryption_cert_pem TEXT NOT NULL DEFAULT '',
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);

CREATE TABLE group_mappings (
    workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    idp_group       TEXT NOT NULL,
    workspace_group TEXT NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);

CREATE TABLE seen_idp_groups (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    value        TEXT NOT NULL,
    last_seen    INTEGER NOT NULL,
    seen_count   INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, value)
);

CREATE TABLE sso_links (
    config_id  TEXT NOT NULL REFERENCES saml_configs(id) ON DELETE CASCADE,
    name_id    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (config_id, name_id)
);
CREATE INDEX sso_links_user ON sso_links(user_id);

CREATE TABLE saml_requests (
    config_id   TEXT NOT NULL REFERENCES saml_configs(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    redirect_to TEXT NOT NULL DEFAULT '',
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (config_id, id)
);
CREATE INDEX saml_requests_expires ON saml_requests(expires_at);

CREATE TABLE assertion_replay (
    assertion_id TEXT PRIMARY KEY,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX assertion_replay_expires ON assertion_replay(expires_at);

CREATE TABLE sessions (
    token_hash     BLOB PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    workspace_id   TEXT NOT NULL DEFAULT '',
    config_id      TEXT NOT NULL DEFAULT '',
    name_id        TEXT NOT NULL DEFAULT '',
    name_id_format TEXT NOT NULL DEFAULT '',
    session_index  TEXT NOT NULL DEFAULT '',
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);
CREATE INDEX sessions_sso ON sessions(config_id, name_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    token_hash   BLOB NOT NULL UNIQUE,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_workspace ON api_tokens(workspace_id);

-- The audit log outlives what it describes, so no foreign keys.
CREATE TABLE audit_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id      TEXT NOT NULL DEFAULT '',
    user_id           TEXT NOT NULL DEFAULT '',
    actor_id          TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL,
    trace_id          TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL DEFAULT '',
    message           TEXT NOT NULL DEFAULT '',
    details           BLOB,
    redacted_response TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL
);
CREATE INDEX audit_events_workspace ON audit_events(workspace_id, id);
CREATE INDEX audit_events_user ON audit_events(workspace_id, user_id, id);
-- Cleanup blanks old responses: index only the rows that still hold one.
CREATE INDEX audit_events_response ON audit_events(created_at) WHERE redacted_response <> '';

-- +goose Down
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE assertion_replay;
DROP TABLE saml_requests;
DROP TABLE sso_links;
DROP TABLE seen_idp_groups;
DROP TABLE group_mappings;
DROP TABLE saml_configs;
DROP TABLE login_settings;
DROP TABLE group_members;
DROP TABLE custom_groups;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE workspaces;
