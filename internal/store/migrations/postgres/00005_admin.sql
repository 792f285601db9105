-- +goose Up
-- Issue 12: optional API token expiry (0 = never).
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
