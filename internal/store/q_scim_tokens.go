package store

import (
	"context"
	"time"
)

const scimTokenCols = `workspace_id, token_hash, created_by, created_at, last_request_at`

func scanSCIMToken(sc interface{ Scan(...any) error }) (*SCIMToken, error) {
	var t SCIMToken
	var created, last int64
	if err := sc.Scan(&t.WorkspaceID, &t.TokenHash, &t.CreatedBy, &created, &last); err != nil {
		return nil, notFound(err)
	}
	t.CreatedAt, t.LastRequestAt = fromDB(created), fromDB(last)
	return &t, nil
}

// SaveSCIMToken creates or replaces the workspace's token; a rotated
// token keeps no trace of the old one, which stops working at once.
func (q *queries) SaveSCIMToken(ctx context.Context, t *SCIMToken) error {
	stamp(&t.CreatedAt)
	return q.exec(ctx, `INSERT INTO scim_tokens (`+scimTokenCols+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET token_hash = excluded.token_hash, created_by = excluded.created_by,
		created_at = excluded.created_at, last_request_at = excluded.last_request_at`,
		t.WorkspaceID, t.TokenHash, t.CreatedBy, toDB(t.CreatedAt), toDB(t.LastRequestAt))
}

// GetSCIMToken returns the workspace's token.
func (q *queries) GetSCIMToken(ctx context.Context, workspaceID string) (*SCIMToken, error) {
	return scanSCIMToken(q.row(ctx, `SELECT `+scimTokenCols+` FROM scim_tokens WHERE workspace_id = ?`, workspaceID))
}

// GetSCIMTokenByHash finds a token by its hash.
func (q *queries) GetSCIMTokenByHash(ctx context.Context, tokenHash []byte) (*SCIMToken, error) {
	return scanSCIMToken(q.row(ctx, `SELECT `+scimTokenCols+` FROM scim_tokens WHERE token_hash = ?`, tokenHash))
}

// DeleteSCIMToken revokes the workspace's token.
func (q *queries) DeleteSCIMToken(ctx context.Context, workspaceID string) error {
	return q.execOne(ctx, `DELETE FROM scim_tokens WHERE workspace_id = ?`, workspaceID)
}

// TouchSCIMToken moves the last request time forward (never back).
func (q *queries) TouchSCIMToken(ctx context.Context, workspaceID string, at time.Time) error {
	return q.exec(ctx, `UPDATE scim_tokens SET last_request_at = ? WHERE workspace_id = ? AND last_request_at < ?`,
		toDB(at), workspaceID, toDB(at))
}
