package store

import (
	"context"
	"database/sql"
)

const apiTokenCols = `id, workspace_id, name, token_hash, created_by, created_at, last_used_at, expires_at`

func scanAPIToken(sc interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	var created, used, expires int64
	err := sc.Scan(&t.ID, &t.WorkspaceID, &t.Name, &t.TokenHash, &t.CreatedBy, &created, &used, &expires)
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt = fromDB(created), fromDB(used), fromDB(expires)
	return t, err
}

// CreateAPIToken stores a token under its hash (ErrConflict on a repeated hash).
func (q *queries) CreateAPIToken(ctx context.Context, t *APIToken) error {
	newID(&t.ID)
	stamp(&t.CreatedAt)
	return q.exec(ctx, `INSERT INTO api_tokens (`+apiTokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.WorkspaceID, t.Name, t.TokenHash, t.CreatedBy, toDB(t.CreatedAt), toDB(t.LastUsedAt), toDB(t.ExpiresAt))
}

// GetAPIToken finds a token by its hash.
func (q *queries) GetAPIToken(ctx context.Context, tokenHash []byte) (*APIToken, error) {
	t, err := scanAPIToken(q.row(ctx, `SELECT `+apiTokenCols+` FROM api_tokens WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// ListAPITokens lists the workspace's tokens, oldest first.
func (q *queries) ListAPITokens(ctx context.Context, workspaceID string) ([]APIToken, error) {
	rows, err := q.rows(ctx, `SELECT `+apiTokenCols+` FROM api_tokens WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
	return collect(rows, err, func(r *sql.Rows) (APIToken, error) { return scanAPIToken(r) })
}

// DeleteAPIToken deletes a token of the workspace (ErrNotFound when the
// token is missing or belongs to another workspace).
func (q *queries) DeleteAPIToken(ctx context.Context, workspaceID, id string) error {
	return q.execOne(ctx, `DELETE FROM api_tokens WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}
