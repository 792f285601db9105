package store

import (
	"context"
	"database/sql"
	"time"
)

// ListGroupMappings lists the workspace's UI/API mappings in saved order.
func (q *queries) ListGroupMappings(ctx context.Context, workspaceID string) ([]GroupMapping, error) {
	rows, err := q.rows(ctx, `SELECT idp_group, workspace_group FROM group_mappings WHERE workspace_id = ? ORDER BY seq`, workspaceID)
	return collect(rows, err, func(r *sql.Rows) (GroupMapping, error) {
		var m GroupMapping
		return m, r.Scan(&m.IdPGroup, &m.WorkspaceGroup)
	})
}

// ReplaceGroupMappings makes m the workspace's mappings, in one transaction.
func (q *queries) ReplaceGroupMappings(ctx context.Context, workspaceID string, m []GroupMapping) error {
	return q.atomic(ctx, func(q *queries) error {
		if err := q.exec(ctx, `DELETE FROM group_mappings WHERE workspace_id = ?`, workspaceID); err != nil {
			return err
		}
		for i, gm := range m {
			if err := q.exec(ctx, `INSERT INTO group_mappings (workspace_id, seq, idp_group, workspace_group) VALUES (?, ?, ?, ?)`,
				workspaceID, i, gm.IdPGroup, gm.WorkspaceGroup); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordSeenIdPGroups notes each value as seen at the given time (counting
// logins), in one transaction.
func (q *queries) RecordSeenIdPGroups(ctx context.Context, workspaceID string, values []string, at time.Time) error {
	if len(values) == 0 {
		return nil
	}
	return q.atomic(ctx, func(q *queries) error {
		for _, v := range dedupe(values) {
			if err := q.exec(ctx, `INSERT INTO seen_idp_groups (workspace_id, value, last_seen, seen_count) VALUES (?, ?, ?, 1)
				ON CONFLICT (workspace_id, value) DO UPDATE SET last_seen = excluded.last_seen,
					seen_count = seen_idp_groups.seen_count + 1`, workspaceID, v, toDB(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListSeenIdPGroups lists seen values, most recently seen first (limit 0 = 100).
func (q *queries) ListSeenIdPGroups(ctx context.Context, workspaceID string, limit int) ([]SeenIdPGroup, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.rows(ctx, `SELECT value, last_seen, seen_count FROM seen_idp_groups WHERE workspace_id = ?
		ORDER BY last_seen DESC, value LIMIT ?`, workspaceID, limit)
	return collect(rows, err, func(r *sql.Rows) (SeenIdPGroup, error) {
		var g SeenIdPGroup
		var seen int64
		err := r.Scan(&g.Value, &seen, &g.Count)
		g.LastSeen = fromDB(seen)
		return g, err
	})
}
