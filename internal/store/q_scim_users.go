package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

const scimUserCols = `workspace_id, user_id, user_name, user_name_key, external_id, email, resource, created_at, updated_at`

// scimMemberSelect reads a member with its optional SCIM record.
var scimMemberSelect = `SELECT ` + userColsU + `, ` + membershipColsM + `,
	s.user_id, s.user_name, s.user_name_key, s.external_id, s.email, s.resource, s.created_at, s.updated_at
	FROM memberships m JOIN users u ON u.id = m.user_id
	LEFT JOIN scim_users s ON s.workspace_id = m.workspace_id AND s.user_id = m.user_id`

var (
	userColsU       = prefixed("u.", userCols)
	membershipColsM = prefixed("m.", membershipCols)
)

func scanSCIMUser(sc interface{ Scan(...any) error }) (SCIMUser, error) {
	var su SCIMUser
	var uc, uu, mc, mu int64
	var sid, name, key, ext, email sql.NullString
	var sc0, su0 sql.NullInt64
	var res []byte
	u, m := &su.User, &su.Membership
	err := sc.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.SuperAdmin, &u.Archived, &uc, &uu, &u.PasswordWorkspaceID,
		&m.WorkspaceID, &m.UserID, &m.Status, &m.Role, &m.SSOUserInfo, &mc, &mu,
		&sid, &name, &key, &ext, &email, &res, &sc0, &su0)
	if err != nil {
		return su, err
	}
	u.CreatedAt, u.UpdatedAt = fromDB(uc), fromDB(uu)
	m.CreatedAt, m.UpdatedAt = fromDB(mc), fromDB(mu)
	if sid.Valid {
		su.Record = &SCIMUserRecord{WorkspaceID: m.WorkspaceID, UserID: sid.String, UserName: name.String, UserNameKey: key.String,
			ExternalID: ext.String, Email: email.String, Resource: res, CreatedAt: fromDB(sc0.Int64), UpdatedAt: fromDB(su0.Int64)}
	}
	return su, nil
}

// GetSCIMUser returns a member with its SCIM record.
func (q *queries) GetSCIMUser(ctx context.Context, workspaceID, userID string) (*SCIMUser, error) {
	su, err := scanSCIMUser(q.row(ctx, scimMemberSelect+` WHERE m.workspace_id = ? AND m.user_id = ?`, workspaceID, userID))
	if err != nil {
		return nil, notFound(err)
	}
	return &su, nil
}

// ListSCIMUsers lists members. A filtered list looks its candidates up
// through indexes (the directory asks "userName eq" before every create,
// so a scan of the workspace per request would make a sync quadratic).
func (q *queries) ListSCIMUsers(ctx context.Context, workspaceID string, f SCIMUserFilter, offset, limit int) ([]SCIMUser, int, error) {
	if f == (SCIMUserFilter{}) {
		return q.listAllSCIMUsers(ctx, workspaceID, offset, limit)
	}
	ids, err := q.scimCandidates(ctx, workspaceID, f)
	if err != nil {
		return nil, 0, err
	}
	var out []SCIMUser
	for _, id := range ids {
		su, err := q.GetSCIMUser(ctx, workspaceID, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *su)
	}
	slices.SortFunc(out, func(a, b SCIMUser) int {
		if c := a.Membership.CreatedAt.Compare(b.Membership.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.User.ID, b.User.ID)
	})
	total := len(out)
	if offset >= len(out) {
		return nil, total, nil
	}
	out = out[offset:]
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}

// listAllSCIMUsers is one page of every member.
func (q *queries) listAllSCIMUsers(ctx context.Context, workspaceID string, offset, limit int) ([]SCIMUser, int, error) {
	var total int
	if err := q.row(ctx, `SELECT COUNT(*) FROM memberships WHERE workspace_id = ?`, workspaceID).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := q.rows(ctx, scimMemberSelect+` WHERE m.workspace_id = ? ORDER BY m.created_at, m.user_id LIMIT ? OFFSET ?`,
		workspaceID, limit, offset)
	users, err := collect(rows, err, func(r *sql.Rows) (SCIMUser, error) { return scanSCIMUser(r) })
	return users, total, err
}

// scimCandidates returns the user IDs matching every set field of f.
func (q *queries) scimCandidates(ctx context.Context, workspaceID string, f SCIMUserFilter) ([]string, error) {
	var sets [][]string
	add := func(query string, args ...any) error {
		rows, err := q.rows(ctx, query, args...)
		ids, err := collect(rows, err, func(r *sql.Rows) (string, error) {
			var s string
			return s, r.Scan(&s)
		})
		sets = append(sets, ids)
		return err
	}
	const noRecord = ` AND NOT EXISTS (SELECT 1 FROM scim_users s WHERE s.workspace_id = m.workspace_id AND s.user_id = m.user_id)`
	var err error
	if f.ID != "" {
		sets = append(sets, []string{f.ID})
	}
	if f.UserName != "" && err == nil {
		key := strings.ToLower(f.UserName)
		err = add(`SELECT user_id FROM scim_users WHERE workspace_id = ? AND user_name_key = ?
			UNION SELECT m.user_id FROM users u JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ? WHERE u.email = ?`+noRecord,
			workspaceID, key, workspaceID, key)
	}
	if f.Email != "" && err == nil {
		key := strings.ToLower(f.Email)
		err = add(`SELECT user_id FROM scim_users WHERE workspace_id = ? AND email = ?
			UNION SELECT m.user_id FROM users u JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ? WHERE u.email = ?`+noRecord,
			workspaceID, key, workspaceID, key)
	}
	if f.ExternalID != "" && err == nil {
		err = add(`SELECT user_id FROM scim_users WHERE workspace_id = ? AND external_id = ?`, workspaceID, f.ExternalID)
	}
	if err != nil {
		return nil, err
	}
	return intersect(sets), nil
}

// intersect returns the values present in every set, deduplicated.
func intersect(sets [][]string) []string {
	if len(sets) == 0 {
		return nil
	}
	out := dedupe(sets[0])
	for _, s := range sets[1:] {
		out = slices.DeleteFunc(out, func(v string) bool { return !slices.Contains(s, v) })
	}
	return out
}

// SaveSCIMUser upserts a member's SCIM record.
func (q *queries) SaveSCIMUser(ctx context.Context, r *SCIMUserRecord) error {
	stamp(&r.CreatedAt)
	r.UpdatedAt = time0(r.UpdatedAt)
	return q.exec(ctx, `INSERT INTO scim_users (`+scimUserCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET user_name = excluded.user_name, user_name_key = excluded.user_name_key,
		external_id = excluded.external_id, email = excluded.email, resource = excluded.resource, updated_at = excluded.updated_at`,
		r.WorkspaceID, r.UserID, r.UserName, r.UserNameKey, r.ExternalID, r.Email, r.Resource, toDB(r.CreatedAt), toDB(r.UpdatedAt))
}

// DeleteMembership removes a member from one workspace. The SCIM record
// and SCIM group memberships go by cascade; custom groups and sessions
// reference the user, not the membership, so they are deleted here.
func (q *queries) DeleteMembership(ctx context.Context, workspaceID, userID string) error {
	return q.atomic(ctx, func(q *queries) error {
		if err := q.exec(ctx, `DELETE FROM group_members WHERE user_id = ?
			AND group_id IN (SELECT id FROM custom_groups WHERE workspace_id = ?)`, userID, workspaceID); err != nil {
			return err
		}
		if err := q.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND workspace_id = ?`, userID, workspaceID); err != nil {
			return err
		}
		return q.execOne(ctx, `DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID)
	})
}
