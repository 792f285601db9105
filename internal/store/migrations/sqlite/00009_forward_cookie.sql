-- +goose Up
-- Security review fix (docs/forward-auth.md, "Cookies"): forward auth gets
-- its own cookie, whose token is bound to the session by its hash here, so
-- hosts under GATEHOUSE_COOKIE_DOMAIN never see the session itself.
-- Sessions from before are ended: with a cookie domain their cookies were
-- sent to every host under it, and they have no forward token anyway.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN forward_hash BLOB;
CREATE UNIQUE INDEX sessions_forward ON sessions(forward_hash);

-- +goose Down
DROP INDEX sessions_forward;
ALTER TABLE sessions DROP COLUMN forward_hash;
