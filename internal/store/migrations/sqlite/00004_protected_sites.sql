-- +goose Up
-- Protected sites (issue 10): the origins of the sites a workspace guards
-- with forward authentication, the only places a return URL may point to.
CREATE TABLE protected_sites (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    origin       TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, origin)
);

-- +goose Down
DROP TABLE protected_sites;
