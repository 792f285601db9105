package store

import (
	"context"
	"database/sql"
	"time"
)

// TouchAPIToken moves a token's last-use time forward (never back).
func (q *queries) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	return q.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND last_used_at < ?`, toDB(at), id, toDB(at))
}

// SSOLinkedUsers lists the distinct users linked to configID.
func (q *queries) SSOLinkedUsers(ctx context.Context, configID string) ([]string, error) {
	rows, err := q.rows(ctx, `SELECT DISTINCT user_id FROM sso_links WHERE config_id = ? ORDER BY user_id`, configID)
	return collect(rows, err, func(r *sql.Rows) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
}

const userLinkCols = `token_hash, kind, workspace_id, user_id, role, created_by, created_at, expires_at, mailed`

func scanUserLink(sc interface{ Scan(...any) error }) (UserLink, error) {
	var l UserLink
	var created, expires int64
	err := sc.Scan(&l.TokenHash, &l.Kind, &l.WorkspaceID, &l.UserID, &l.Role, &l.CreatedBy, &created, &expires, &l.Mailed)
	l.CreatedAt, l.ExpiresAt = fromDB(created), fromDB(expires)
	return l, err
}

// CreateUserLink stores a link (ErrConflict on a repeated hash).
func (q *queries) CreateUserLink(ctx context.Context, l *UserLink) error {
	stamp(&l.CreatedAt)
	return q.exec(ctx, `INSERT INTO user_links (`+userLinkCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.TokenHash, l.Kind, l.WorkspaceID, l.UserID, l.Role, l.CreatedBy, toDB(l.CreatedAt), toDB(l.ExpiresAt), l.Mailed)
}

// GetUserLink finds an unexpired link of kind.
func (q *queries) GetUserLink(ctx context.Context, kind string, tokenHash []byte, now time.Time) (*UserLink, error) {
	l, err := scanUserLink(q.row(ctx, `SELECT `+userLinkCols+` FROM user_links WHERE token_hash = ? AND kind = ? AND expires_at > ?`,
		tokenHash, kind, toDB(now)))
	if err != nil {
		return nil, notFound(err)
	}
	return &l, nil
}

// ConsumeUserLink deletes and returns an unexpired link in one statement,
// so two concurrent uses cannot both succeed.
func (q *queries) ConsumeUserLink(ctx context.Context, kind string, tokenHash []byte, now time.Time) (*UserLink, error) {
	l, err := scanUserLink(q.w.QueryRowContext(ctx, `DELETE FROM user_links WHERE token_hash = ? AND kind = ? AND expires_at > ? RETURNING `+userLinkCols,
		tokenHash, kind, toDB(now)))
	if err != nil {
		return nil, notFound(err)
	}
	return &l, nil
}

// DeleteUserLinks deletes a member's links of kind.
func (q *queries) DeleteUserLinks(ctx context.Context, kind, workspaceID, userID string) (int64, error) {
	return q.execN(ctx, `DELETE FROM user_links WHERE kind = ? AND workspace_id = ? AND user_id = ?`, kind, workspaceID, userID)
}

// ListUserLinks lists unexpired links of kind, newest first.
func (q *queries) ListUserLinks(ctx context.Context, kind, workspaceID string, now time.Time) ([]UserLink, error) {
	rows, err := q.rows(ctx, `SELECT `+userLinkCols+` FROM user_links WHERE kind = ? AND workspace_id = ? AND expires_at > ?
		ORDER BY created_at DESC`, kind, workspaceID, toDB(now))
	return collect(rows, err, func(r *sql.Rows) (UserLink, error) { return scanUserLink(r) })
}

// CountMemberships counts a user's memberships.
func (q *queries) CountMemberships(ctx context.Context, userID string) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = ?`, userID).Scan(&n)
	return n, mapErr(err)
}
