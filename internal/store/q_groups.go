package store

import (
	"context"
	"database/sql"
)

const groupCols = `id, workspace_id, name, can_edit_apps, created_at`

func scanGroup(sc interface{ Scan(...any) error }) (Group, error) {
	var g Group
	var created int64
	err := sc.Scan(&g.ID, &g.WorkspaceID, &g.Name, &g.CanEditApps, &created)
	g.CreatedAt = fromDB(created)
	return g, err
}

func scanGroupRows(r *sql.Rows) (Group, error) { return scanGroup(r) }

// CreateGroup inserts g (ErrConflict when the name is taken in the workspace).
func (q *queries) CreateGroup(ctx context.Context, g *Group) error {
	newID(&g.ID)
	stamp(&g.CreatedAt)
	return q.exec(ctx, `INSERT INTO custom_groups (`+groupCols+`) VALUES (?, ?, ?, ?, ?)`,
		g.ID, g.WorkspaceID, g.Name, g.CanEditApps, toDB(g.CreatedAt))
}

// GetGroup finds a group by ID.
func (q *queries) GetGroup(ctx context.Context, id string) (*Group, error) {
	g, err := scanGroup(q.row(ctx, `SELECT `+groupCols+` FROM custom_groups WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err)
	}
	return &g, nil
}

// UpdateGroup saves the name and the can-edit-apps flag.
func (q *queries) UpdateGroup(ctx context.Context, g *Group) error {
	return q.execOne(ctx, `UPDATE custom_groups SET name = ?, can_edit_apps = ? WHERE id = ?`, g.Name, g.CanEditApps, g.ID)
}

// DeleteGroup deletes a group and (by cascade) its memberships.
func (q *queries) DeleteGroup(ctx context.Context, id string) error {
	return q.execOne(ctx, `DELETE FROM custom_groups WHERE id = ?`, id)
}

// ListGroups lists the workspace's custom groups by name.
func (q *queries) ListGroups(ctx context.Context, workspaceID string) ([]Group, error) {
	rows, err := q.rows(ctx, `SELECT `+groupCols+` FROM custom_groups WHERE workspace_id = ? ORDER BY name`, workspaceID)
	return collect(rows, err, scanGroupRows)
}

// MemberGroups lists the user's custom groups in the workspace by name.
func (q *queries) MemberGroups(ctx context.Context, workspaceID, userID string) ([]Group, error) {
	rows, err := q.rows(ctx, `SELECT `+prefixed("g.", groupCols)+` FROM custom_groups g
		JOIN group_members gm ON gm.group_id = g.id
		WHERE g.workspace_id = ? AND gm.user_id = ? ORDER BY g.name`, workspaceID, userID)
	return collect(rows, err, scanGroupRows)
}

// workspaceGroupMembers maps user ID -> custom groups for a whole workspace.
func (q *queries) workspaceGroupMembers(ctx context.Context, workspaceID string) (map[string][]Group, error) {
	rows, err := q.rows(ctx, `SELECT gm.user_id, `+prefixed("g.", groupCols)+` FROM custom_groups g
		JOIN group_members gm ON gm.group_id = g.id
		WHERE g.workspace_id = ? ORDER BY g.name`, workspaceID)
	type pair struct {
		user  string
		group Group
	}
	pairs, err := collect(rows, err, func(r *sql.Rows) (pair, error) {
		var p pair
		var created int64
		err := r.Scan(&p.user, &p.group.ID, &p.group.WorkspaceID, &p.group.Name, &p.group.CanEditApps, &created)
		p.group.CreatedAt = fromDB(created)
		return p, err
	})
	out := make(map[string][]Group)
	for _, p := range pairs {
		out[p.user] = append(out[p.user], p.group)
	}
	return out, err
}

// AddGroupMember adds a user to a group; adding twice is not an error.
func (q *queries) AddGroupMember(ctx context.Context, groupID, userID string) error {
	return q.exec(ctx, `INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, groupID, userID)
}

// RemoveGroupMember removes a user from a group (no error when absent).
func (q *queries) RemoveGroupMember(ctx context.Context, groupID, userID string) error {
	return q.exec(ctx, `DELETE FROM group_members WHERE group_id = ? AND user_id = ?`, groupID, userID)
}

// SetMemberGroups makes groupIDs exactly the user's custom groups in the
// workspace, in one transaction. A group of another workspace is
// ErrNotFound (and nothing changes).
//
// The groups are checked by reading them, never by counting the rows an
// INSERT ... ON CONFLICT DO NOTHING wrote: on PostgreSQL a concurrent
// login of the same member may have inserted the row first, and "0 rows"
// then means "already there", not "no such group".
func (q *queries) SetMemberGroups(ctx context.Context, workspaceID, userID string, groupIDs []string) error {
	ids := dedupe(groupIDs)
	return q.atomic(ctx, func(q *queries) error {
		for _, id := range ids {
			var one int
			err := q.w.QueryRowContext(ctx, `SELECT 1 FROM custom_groups WHERE id = ? AND workspace_id = ?`, id, workspaceID).Scan(&one)
			if err != nil {
				return notFound(err)
			}
		}
		if err := q.exec(ctx, `DELETE FROM group_members WHERE user_id = ?
			AND group_id IN (SELECT id FROM custom_groups WHERE workspace_id = ?)`, userID, workspaceID); err != nil {
			return err
		}
		for _, id := range ids {
			if err := q.exec(ctx, `INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, userID); err != nil {
				return err
			}
		}
		return nil
	})
}
