-- +goose Up
-- Issue 12: optional API token expiry (0 = never).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;

-- The audit page filters by the trace ID an error page showed a user.
CREATE INDEX audit_events_trace ON audit_events(trace_id) WHERE trace_id <> '';

-- Invitations and password reset links: single-use, expiring, stored as
-- the SHA-256 of the token only.
CREATE TABLE user_links (
    token_hash   BLOB PRIMARY KEY,
    kind         TEXT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role         TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX user_links_user ON user_links(workspace_id, user_id, kind);
CREATE INDEX user_links_expiry ON user_links(expires_at);

-- SP key rollover: the previous certificates stay in the SP metadata (and
-- the previous encryption key keeps decrypting) until the admin removes them.
ALTER TABLE saml_configs ADD COLUMN sp_signing_prev_cert_pem TEXT NOT NULL DEFAULT '';
ALTER TABLE saml_configs ADD COLUMN sp_encryption_prev_key_pem TEXT NOT NULL DEFAULT '';
ALTER TABLE saml_configs ADD COLUMN sp_encryption_prev_cert_pem TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE saml_configs DROP COLUMN sp_encryption_prev_cert_pem;
ALTER TABLE saml_configs DROP COLUMN sp_encryption_prev_key_pem;
ALTER TABLE saml_configs DROP COLUMN sp_signing_prev_cert_pem;
DROP TABLE user_links;
DROP INDEX audit_events_trace;
ALTER TABLE api_tokens DROP COLUMN expires_at;
