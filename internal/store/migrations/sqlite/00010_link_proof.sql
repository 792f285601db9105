-- +goose Up
-- Security review 2 (docs/decisions.md, "Review 2: invitations and reset
-- links"). A password set through a link the admin could see (or chosen by
-- an admin) proves nothing about the mailbox: password_workspace_id limits
-- it to the workspace where it was set ('' = valid everywhere). mailed
-- says a link went to the member's own mailbox (re-checked at use).
ALTER TABLE users ADD COLUMN password_workspace_id TEXT NOT NULL DEFAULT '';
ALTER TABLE user_links ADD COLUMN mailed INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE user_links DROP COLUMN mailed;
ALTER TABLE users DROP COLUMN password_workspace_id;
