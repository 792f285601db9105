-- +goose Up
-- Issue 12: optional API token expiry (0 = never).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;

-- The audit page filters by the trace ID an error page showed a user.
CREATE INDEX audit_events_trace ON audit_events(trace_id) WHERE trace_id <> '';

-- +goose Down
DROP INDEX audit_events_trace;
ALTER TABLE api_tokens DROP COLUMN expires_at;
