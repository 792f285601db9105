package store

import "context"

// LockMembership reads the membership with a row lock on PostgreSQL
// (see AccessQueries); SQLite has no FOR UPDATE and needs none.
func (q *queries) LockMembership(ctx context.Context, workspaceID, userID string) (*Membership, error) {
	query := `SELECT ` + membershipCols + ` FROM memberships WHERE workspace_id = ? AND user_id = ?`
	if q.d.name == "postgres" {
		query += ` FOR UPDATE`
	}
	// Through w: the lock belongs to the write transaction (on SQLite the
	// read pool could not see its uncommitted rows).
	m, err := scanMembership(q.w.QueryRowContext(ctx, query, workspaceID, userID))
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// LockWorkspaceAdmins locks the workspace row on PostgreSQL (see
// AccessQueries).
func (q *queries) LockWorkspaceAdmins(ctx context.Context, workspaceID string) error {
	if q.d.name != "postgres" {
		return nil
	}
	var id string
	err := q.w.QueryRowContext(ctx, `SELECT id FROM workspaces WHERE id = ? FOR NO KEY UPDATE`, workspaceID).Scan(&id)
	return notFound(err)
}

// DeleteUserSessions deletes the user's sessions in one workspace or all.
func (q *queries) DeleteUserSessions(ctx context.Context, userID, workspaceID string) (int64, error) {
	if workspaceID == "" {
		return q.execN(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	}
	return q.execN(ctx, `DELETE FROM sessions WHERE user_id = ? AND workspace_id = ?`, userID, workspaceID)
}

// DeleteUserAPITokens deletes the tokens the user created in one
// workspace or all.
func (q *queries) DeleteUserAPITokens(ctx context.Context, userID, workspaceID string) (int64, error) {
	if userID == "" {
		// Tokens without a creator belong to nobody to revoke.
		return 0, nil
	}
	if workspaceID == "" {
		return q.execN(ctx, `DELETE FROM api_tokens WHERE created_by = ?`, userID)
	}
	return q.execN(ctx, `DELETE FROM api_tokens WHERE created_by = ? AND workspace_id = ?`, userID, workspaceID)
}
