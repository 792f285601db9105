package store

import (
	"context"
	"database/sql"
)

const scimGroupCols = `id, workspace_id, display_name, external_id, created_at, updated_at`

func scanSCIMGroup(sc interface{ Scan(...any) error }) (SCIMGroup, error) {
	var g SCIMGroup
	var created, updated int64
	err := sc.Scan(&g.ID, &g.WorkspaceID, &g.DisplayName, &g.ExternalID, &created, &updated)
	g.CreatedAt, g.UpdatedAt = fromDB(created), fromDB(updated)
	return g, err
}

func scanSCIMGroupRows(r *sql.Rows) (SCIMGroup, error) { return scanSCIMGroup(r) }

// CreateSCIMGroup inserts g (ErrConflict on a taken display name).
func (q *queries) CreateSCIMGroup(ctx context.Context, g *SCIMGroup) error {
	newID(&g.ID)
	stamp(&g.CreatedAt)
	if g.UpdatedAt.IsZero() {
		g.UpdatedAt = g.CreatedAt
	}
	return q.exec(ctx, `INSERT INTO scim_groups (`+scimGroupCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		g.ID, g.WorkspaceID, g.DisplayName, g.ExternalID, toDB(g.CreatedAt), toDB(g.UpdatedAt))
}

// GetSCIMGroup finds a group of the workspace.
func (q *queries) GetSCIMGroup(ctx context.Context, workspaceID, id string) (*SCIMGroup, error) {
	g, err := scanSCIMGroup(q.row(ctx, `SELECT `+scimGroupCols+` FROM scim_groups WHERE workspace_id = ? AND id = ?`, workspaceID, id))
	if err != nil {
		return nil, notFound(err)
	}
	return &g, nil
}

// ListSCIMGroups lists groups matching f, oldest first.
func (q *queries) ListSCIMGroups(ctx context.Context, workspaceID string, f SCIMGroupFilter, offset, limit int) ([]SCIMGroup, int, error) {
	where, args := ` WHERE workspace_id = ?`, []any{workspaceID}
	for _, c := range []struct{ col, v string }{{"id", f.ID}, {"display_name", f.DisplayName}, {"external_id", f.ExternalID}} {
		if c.v != "" {
			where += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	var total int
	if err := q.row(ctx, `SELECT COUNT(*) FROM scim_groups`+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := q.rows(ctx, `SELECT `+scimGroupCols+` FROM scim_groups`+where+` ORDER BY created_at, id LIMIT ? OFFSET ?`,
		append(args, limit, offset)...)
	groups, err := collect(rows, err, scanSCIMGroupRows)
	return groups, total, err
}

// UpdateSCIMGroup saves the display name and external ID.
func (q *queries) UpdateSCIMGroup(ctx context.Context, g *SCIMGroup) error {
	g.UpdatedAt = time0(g.UpdatedAt)
	return q.execOne(ctx, `UPDATE scim_groups SET display_name = ?, external_id = ?, updated_at = ? WHERE workspace_id = ? AND id = ?`,
		g.DisplayName, g.ExternalID, toDB(g.UpdatedAt), g.WorkspaceID, g.ID)
}

// DeleteSCIMGroup deletes a group (its members go by cascade).
func (q *queries) DeleteSCIMGroup(ctx context.Context, workspaceID, id string) error {
	return q.execOne(ctx, `DELETE FROM scim_groups WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}

// CountSCIMGroups counts the workspace's SCIM groups.
func (q *queries) CountSCIMGroups(ctx context.Context, workspaceID string) (int, error) {
	var n int
	err := q.row(ctx, `SELECT COUNT(*) FROM scim_groups WHERE workspace_id = ?`, workspaceID).Scan(&n)
	return n, mapErr(err)
}

// AddSCIMGroupMember adds a member (ErrNotFound when the user is not a
// member of the group's workspace, through the foreign key).
func (q *queries) AddSCIMGroupMember(ctx context.Context, g *SCIMGroup, userID string) (bool, error) {
	n, err := q.execN(ctx, `INSERT INTO scim_group_members (group_id, workspace_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		g.ID, g.WorkspaceID, userID)
	return n > 0, err
}

// RemoveSCIMGroupMember removes a member.
func (q *queries) RemoveSCIMGroupMember(ctx context.Context, groupID, userID string) (bool, error) {
	n, err := q.execN(ctx, `DELETE FROM scim_group_members WHERE group_id = ? AND user_id = ?`, groupID, userID)
	return n > 0, err
}

// ListSCIMGroupMembers lists a group's members with their email and name.
func (q *queries) ListSCIMGroupMembers(ctx context.Context, groupID string) ([]SCIMGroupMember, error) {
	rows, err := q.rows(ctx, `SELECT gm.user_id, u.email, u.name FROM scim_group_members gm JOIN users u ON u.id = gm.user_id
		WHERE gm.group_id = ? ORDER BY gm.user_id`, groupID)
	return collect(rows, err, func(r *sql.Rows) (SCIMGroupMember, error) {
		var m SCIMGroupMember
		return m, r.Scan(&m.UserID, &m.Email, &m.Name)
	})
}

// SCIMUserGroups lists the SCIM groups a member is in, by display name.
func (q *queries) SCIMUserGroups(ctx context.Context, workspaceID, userID string) ([]SCIMGroup, error) {
	rows, err := q.rows(ctx, `SELECT `+prefixed("g.", scimGroupCols)+` FROM scim_groups g
		JOIN scim_group_members gm ON gm.group_id = g.id
		WHERE gm.workspace_id = ? AND gm.user_id = ? ORDER BY g.display_name`, workspaceID, userID)
	return collect(rows, err, scanSCIMGroupRows)
}
