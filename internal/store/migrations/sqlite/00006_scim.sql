-- +goose Up
-- SCIM 2.0 provisioning (docs/scim.md). One bearer token per workspace
-- (only its SHA-256 is stored); the directory's view of each provisioned
-- member; the directory's groups and their members, which group sync
-- turns into roles and custom groups.
CREATE TABLE scim_tokens (
    workspace_id    TEXT PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    token_hash      BLOB NOT NULL UNIQUE,
    created_by      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    last_request_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE scim_users (
    workspace_id  TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    user_name_key TEXT NOT NULL,
    external_id   TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    resource      BLOB,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES memberships(workspace_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users(workspace_id, user_name_key);
CREATE INDEX scim_users_external_id ON scim_users(workspace_id, external_id);
CREATE INDEX scim_users_email ON scim_users(workspace_id, email);

CREATE TABLE scim_groups (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    external_id  TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, display_name)
);
CREATE INDEX scim_groups_external_id ON scim_groups(workspace_id, external_id);

CREATE TABLE scim_group_members (
    group_id     TEXT NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
    workspace_id TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES memberships(workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX scim_group_members_user ON scim_group_members(workspace_id, user_id);

-- +goose Down
DROP TABLE scim_group_members;
DROP TABLE scim_groups;
DROP TABLE scim_users;
DROP TABLE scim_tokens;
