package store

import (
	"context"
	"database/sql"
)

const membershipCols = `workspace_id, user_id, status, role, sso_user_info, created_at, updated_at`

func scanMembership(sc interface{ Scan(...any) error }) (Membership, error) {
	var m Membership
	var created, updated int64
	err := sc.Scan(&m.WorkspaceID, &m.UserID, &m.Status, &m.Role, &m.SSOUserInfo, &created, &updated)
	m.CreatedAt, m.UpdatedAt = fromDB(created), fromDB(updated)
	return m, err
}

// CreateMembership inserts m (ErrConflict when the user is already a member;
// ErrNotFound when the workspace or user does not exist).
func (q *queries) CreateMembership(ctx context.Context, m *Membership) error {
	stamp(&m.CreatedAt)
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = m.CreatedAt
	}
	return q.exec(ctx, `INSERT INTO memberships (`+membershipCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.WorkspaceID, m.UserID, m.Status, m.Role, m.SSOUserInfo, toDB(m.CreatedAt), toDB(m.UpdatedAt))
}

// GetMembership finds the membership of a user in a workspace.
func (q *queries) GetMembership(ctx context.Context, workspaceID, userID string) (*Membership, error) {
	m, err := scanMembership(q.row(ctx, `SELECT `+membershipCols+` FROM memberships WHERE workspace_id = ? AND user_id = ?`,
		workspaceID, userID))
	if err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}

// UpdateMembership saves status, role and SSO user info.
func (q *queries) UpdateMembership(ctx context.Context, m *Membership) error {
	m.UpdatedAt = time0(m.UpdatedAt)
	return q.execOne(ctx, `UPDATE memberships SET status = ?, role = ?, sso_user_info = ?, updated_at = ? WHERE workspace_id = ? AND user_id = ?`,
		m.Status, m.Role, m.SSOUserInfo, toDB(m.UpdatedAt), m.WorkspaceID, m.UserID)
}

// ListMembers lists the workspace's members by email, each with its
// custom groups (two queries, not one per member).
func (q *queries) ListMembers(ctx context.Context, workspaceID string) ([]Member, error) {
	rows, err := q.rows(ctx, `SELECT `+prefixed("u.", userCols)+`, `+prefixed("m.", membershipCols)+`
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.workspace_id = ? ORDER BY u.email`, workspaceID)
	members, err := collect(rows, err, scanMember)
	if err != nil {
		return nil, err
	}
	groups, err := q.workspaceGroupMembers(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for i := range members {
		members[i].Groups = groups[members[i].User.ID]
	}
	return members, nil
}

func scanMember(r *sql.Rows) (Member, error) {
	var mb Member
	var uc, uu, mc, mu int64
	u, m := &mb.User, &mb.Membership
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.SuperAdmin, &u.Archived, &uc, &uu, &u.PasswordWorkspaceID,
		&m.WorkspaceID, &m.UserID, &m.Status, &m.Role, &m.SSOUserInfo, &mc, &mu)
	u.CreatedAt, u.UpdatedAt = fromDB(uc), fromDB(uu)
	m.CreatedAt, m.UpdatedAt = fromDB(mc), fromDB(mu)
	return mb, err
}

// CountActiveAdmins counts admins who can act: an active admin membership
// of a user not archived instance-wide (to refuse removing the last admin).
func (q *queries) CountActiveAdmins(ctx context.Context, workspaceID string) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.workspace_id = ? AND m.status = ? AND m.role = ? AND NOT u.archived`,
		workspaceID, StatusActive, "admin").Scan(&n)
	return n, mapErr(err)
}
