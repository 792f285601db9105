package store

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

const siteCols = `id, workspace_id, origin, created_by, created_at`

func scanSite(sc interface{ Scan(...any) error }) (ProtectedSite, error) {
	var s ProtectedSite
	var created int64
	err := sc.Scan(&s.ID, &s.WorkspaceID, &s.Origin, &s.CreatedBy, &created)
	s.CreatedAt = fromDB(created)
	return s, err
}

// CreateSite stores a protected site.
func (q *queries) CreateSite(ctx context.Context, s *ProtectedSite) error {
	newID(&s.ID)
	stamp(&s.CreatedAt)
	return q.exec(ctx, `INSERT INTO protected_sites (`+siteCols+`) VALUES (?, ?, ?, ?, ?)`,
		s.ID, s.WorkspaceID, s.Origin, s.CreatedBy, toDB(s.CreatedAt))
}

// ListSites lists the workspace's protected sites by origin.
func (q *queries) ListSites(ctx context.Context, workspaceID string) ([]ProtectedSite, error) {
	rows, err := q.rows(ctx, `SELECT `+siteCols+` FROM protected_sites WHERE workspace_id = ? ORDER BY origin`, workspaceID)
	return collect(rows, err, func(r *sql.Rows) (ProtectedSite, error) { return scanSite(r) })
}

// DeleteSite deletes one site of the workspace.
func (q *queries) DeleteSite(ctx context.Context, workspaceID, id string) error {
	return q.execOne(ctx, `DELETE FROM protected_sites WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}

// sessionIdentityQuery joins the session (primary key lookup) to its user,
// membership and workspace (primary keys), and left-joins the user's group
// memberships (indexed by user) to the groups of the session's workspace:
// one row per group membership, or one row with a NULL group.
const sessionIdentityQuery = `SELECT s.workspace_id, w.slug, s.user_id, u.email, u.name, u.archived, m.role, m.status, s.expires_at, g.name
FROM sessions s
JOIN users u ON u.id = s.user_id
JOIN memberships m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id
JOIN workspaces w ON w.id = s.workspace_id
LEFT JOIN group_members gm ON gm.user_id = s.user_id
LEFT JOIN custom_groups g ON g.id = gm.group_id AND g.workspace_id = s.workspace_id
WHERE s.token_hash = ? AND s.expires_at > ?`

// SessionIdentity reads a session and everything about its member at once.
func (q *queries) SessionIdentity(ctx context.Context, tokenHash []byte, now time.Time) (*SessionIdentity, error) {
	return q.sessionIdentity(ctx, sessionIdentityQuery, tokenHash, now)
}

// sessionIdentity runs query (sessionIdentityQuery or a variant keyed by
// another unique column of sessions) for key.
func (q *queries) sessionIdentity(ctx context.Context, query string, key []byte, now time.Time) (*SessionIdentity, error) {
	rows, err := q.rows(ctx, query, key, toDB(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var id *SessionIdentity
	for rows.Next() {
		var si SessionIdentity
		var expires int64
		var group sql.NullString
		if err := rows.Scan(&si.WorkspaceID, &si.WorkspaceSlug, &si.UserID, &si.Email, &si.Name, &si.UserArchived,
			&si.Role, &si.Status, &expires, &group); err != nil {
			return nil, err
		}
		if id == nil {
			si.ExpiresAt = fromDB(expires)
			id = &si
		}
		if group.Valid {
			id.Groups = append(id.Groups, group.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if id == nil {
		return nil, ErrNotFound
	}
	slices.Sort(id.Groups)
	return id, nil
}
