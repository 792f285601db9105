-- +goose Up
-- Security review 3 (docs/decisions.md, "Review 3: pending OIDC
-- authorizations"). owner is the rate-limit key of the client that started
-- a pending authorization (its address, or its IPv6 /48); at the
-- workspace's cap the requests of the owner holding the most give way, so
-- a flood evicts only its own.
ALTER TABLE oidc_auth_requests ADD COLUMN owner TEXT NOT NULL DEFAULT '';
CREATE INDEX oidc_auth_requests_owner ON oidc_auth_requests(workspace_id, owner);

-- +goose Down
DROP INDEX oidc_auth_requests_owner;
ALTER TABLE oidc_auth_requests DROP COLUMN owner;
