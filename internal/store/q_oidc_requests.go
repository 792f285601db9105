package store

import (
	"context"
	"time"
)

// CreateOIDCAuthRequest stores a pending authorization.
func (q *queries) CreateOIDCAuthRequest(ctx context.Context, r *OIDCAuthRequest) error {
	newID(&r.ID)
	stamp(&r.CreatedAt)
	return q.exec(ctx, `INSERT INTO oidc_auth_requests (id, workspace_id, client_id, owner, data, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ID, r.WorkspaceID, r.ClientID, r.Owner, r.Data, toDB(r.CreatedAt), toDB(r.ExpiresAt))
}

// GetOIDCAuthRequest reads an unexpired pending authorization.
func (q *queries) GetOIDCAuthRequest(ctx context.Context, workspaceID, id string, now time.Time) (*OIDCAuthRequest, error) {
	r := &OIDCAuthRequest{ID: id, WorkspaceID: workspaceID}
	var created, expires int64
	err := q.row(ctx, `SELECT client_id, owner, data, created_at, expires_at FROM oidc_auth_requests
		WHERE workspace_id = ? AND id = ? AND expires_at > ?`, workspaceID, id, toDB(now)).
		Scan(&r.ClientID, &r.Owner, &r.Data, &created, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	r.CreatedAt, r.ExpiresAt = fromDB(created), fromDB(expires)
	return r, nil
}

// UpdateOIDCAuthRequestData replaces the stored request state; a request
// whose code was issued is final and is not changed.
func (q *queries) UpdateOIDCAuthRequestData(ctx context.Context, workspaceID, id string, data []byte) error {
	return q.execOne(ctx, `UPDATE oidc_auth_requests SET data = ? WHERE workspace_id = ? AND id = ? AND code_hash IS NULL`,
		data, workspaceID, id)
}

// SetOIDCAuthCode records the code issued for a request, once.
func (q *queries) SetOIDCAuthCode(ctx context.Context, workspaceID, id string, codeHash []byte) error {
	return q.execOne(ctx, `UPDATE oidc_auth_requests SET code_hash = ? WHERE workspace_id = ? AND id = ? AND code_hash IS NULL`,
		codeHash, workspaceID, id)
}

// ConsumeOIDCAuthCode deletes and returns the request of a code (DELETE
// ... RETURNING): of concurrent exchanges of one code exactly one wins.
func (q *queries) ConsumeOIDCAuthCode(ctx context.Context, workspaceID string, codeHash []byte, now time.Time) (*OIDCAuthRequest, error) {
	r := &OIDCAuthRequest{WorkspaceID: workspaceID}
	var created, expires int64
	err := q.w.QueryRowContext(ctx, `DELETE FROM oidc_auth_requests WHERE workspace_id = ? AND code_hash = ? AND expires_at > ?
		RETURNING id, client_id, owner, data, created_at, expires_at`, workspaceID, codeHash, toDB(now)).
		Scan(&r.ID, &r.ClientID, &r.Owner, &r.Data, &created, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	r.CreatedAt, r.ExpiresAt = fromDB(created), fromDB(expires)
	return r, nil
}

// DeleteOIDCAuthRequest deletes a pending authorization (idempotent).
func (q *queries) DeleteOIDCAuthRequest(ctx context.Context, workspaceID, id string) error {
	return q.exec(ctx, `DELETE FROM oidc_auth_requests WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}

// CountOIDCAuthRequests counts unexpired pending requests of a workspace.
func (q *queries) CountOIDCAuthRequests(ctx context.Context, workspaceID string, now time.Time) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM oidc_auth_requests WHERE workspace_id = ? AND expires_at > ?`, workspaceID, toDB(now)).Scan(&n)
	return n, mapErr(err)
}

// EvictOIDCAuthRequests deletes up to n of the oldest unfinished pending
// requests (no code issued yet) of the owner holding the most, so that new
// ones fit under the workspace's cap and a flood evicts only its own.
func (q *queries) EvictOIDCAuthRequests(ctx context.Context, workspaceID string, n int, now time.Time) (int64, error) {
	if n <= 0 {
		return 0, nil
	}
	return q.execN(ctx, `DELETE FROM oidc_auth_requests WHERE id IN (SELECT id FROM oidc_auth_requests
		WHERE workspace_id = ? AND code_hash IS NULL AND expires_at > ? AND owner = (
			SELECT owner FROM oidc_auth_requests WHERE workspace_id = ? AND code_hash IS NULL AND expires_at > ?
			GROUP BY owner ORDER BY COUNT(*) DESC, MIN(created_at), owner LIMIT 1)
		ORDER BY created_at, id LIMIT ?)`,
		workspaceID, toDB(now), workspaceID, toDB(now), n)
}
