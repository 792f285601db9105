-- +goose Up
-- OpenID Connect provider (docs/oidc.md): applications, pending
-- authorizations, refresh tokens, signing keys and the instance secret
-- that encrypts authorization codes. Times are UTC Unix nanoseconds.
CREATE TABLE oidc_clients (
    id                        TEXT PRIMARY KEY,
    workspace_id              TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name                      TEXT NOT NULL,
    secret_hash               BYTEA,
    public                    BOOLEAN NOT NULL DEFAULT FALSE,
    redirect_uris             TEXT NOT NULL DEFAULT '',
    post_logout_redirect_uris TEXT NOT NULL DEFAULT '',
    allowed_groups            TEXT NOT NULL DEFAULT '',
    min_role                  TEXT NOT NULL DEFAULT '',
    backchannel_logout_uri    TEXT NOT NULL DEFAULT '',
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL
);
CREATE INDEX oidc_clients_workspace ON oidc_clients(workspace_id);

CREATE TABLE oidc_auth_requests (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL REFERENCES oidc_clients(id) ON DELETE CASCADE,
    data         BYTEA NOT NULL,
    code_hash    BYTEA,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX oidc_auth_requests_code ON oidc_auth_requests(code_hash);
CREATE INDEX oidc_auth_requests_expires ON oidc_auth_requests(expires_at);
CREATE INDEX oidc_auth_requests_workspace ON oidc_auth_requests(workspace_id, expires_at);

CREATE TABLE oidc_refresh_tokens (
    token_hash    BYTEA PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    family_id     TEXT NOT NULL,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    client_id     TEXT NOT NULL REFERENCES oidc_clients(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    session_id    TEXT NOT NULL DEFAULT '',
    config_id     TEXT NOT NULL DEFAULT '',
    name_id       TEXT NOT NULL DEFAULT '',
    session_index TEXT NOT NULL DEFAULT '',
    scopes        TEXT NOT NULL DEFAULT '',
    amr           TEXT NOT NULL DEFAULT '',
    auth_time     BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT NOT NULL DEFAULT 0,
    revoked       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX oidc_refresh_tokens_family ON oidc_refresh_tokens(family_id);
CREATE INDEX oidc_refresh_tokens_member ON oidc_refresh_tokens(workspace_id, user_id);
CREATE INDEX oidc_refresh_tokens_session ON oidc_refresh_tokens(session_id);
CREATE INDEX oidc_refresh_tokens_sso ON oidc_refresh_tokens(config_id, name_id);
CREATE INDEX oidc_refresh_tokens_expires ON oidc_refresh_tokens(expires_at);

-- Sign-ins handed to applications that registered a back-channel logout
-- URI, so that a sign-out can notify them (even without refresh tokens).
CREATE TABLE oidc_logout_grants (
    client_id     TEXT NOT NULL REFERENCES oidc_clients(id) ON DELETE CASCADE,
    session_id    TEXT NOT NULL,
    workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    config_id     TEXT NOT NULL DEFAULT '',
    name_id       TEXT NOT NULL DEFAULT '',
    session_index TEXT NOT NULL DEFAULT '',
    expires_at    BIGINT NOT NULL,
    PRIMARY KEY (client_id, session_id)
);
CREATE INDEX oidc_logout_grants_member ON oidc_logout_grants(workspace_id, user_id);
CREATE INDEX oidc_logout_grants_session ON oidc_logout_grants(session_id);
CREATE INDEX oidc_logout_grants_sso ON oidc_logout_grants(config_id, name_id);
CREATE INDEX oidc_logout_grants_expires ON oidc_logout_grants(expires_at);

CREATE TABLE oidc_signing_keys (
    id          TEXT PRIMARY KEY,
    algorithm   TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    sign_from   BIGINT NOT NULL,
    retire_at   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE oidc_secrets (
    name       TEXT PRIMARY KEY,
    value      BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE oidc_secrets;
DROP TABLE oidc_signing_keys;
DROP TABLE oidc_logout_grants;
DROP TABLE oidc_refresh_tokens;
DROP TABLE oidc_auth_requests;
DROP TABLE oidc_clients;
