-- +goose Up
-- Issue 11 (docs/decisions.md): unsigned IdP LogoutRequests are refused
-- unless a config allows them; archiving deletes the API tokens a user
-- created (by created_by); /readyz writes one row to prove the store can
-- write.
ALTER TABLE saml_configs ADD COLUMN allow_unsigned_logout INTEGER NOT NULL DEFAULT 0;
CREATE INDEX api_tokens_created_by ON api_tokens(created_by);
CREATE TABLE health_probe (
    id        INTEGER PRIMARY KEY,
    probed_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE health_probe;
DROP INDEX api_tokens_created_by;
ALTER TABLE saml_configs DROP COLUMN allow_unsigned_logout;
