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
