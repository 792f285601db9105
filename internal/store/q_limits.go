package store

import "context"

// TrimSeenIdPGroups implements LimitQueries.
func (q *queries) TrimSeenIdPGroups(ctx context.Context, workspaceID string, keep int) (int64, error) {
	return q.execN(ctx, `DELETE FROM seen_idp_groups WHERE workspace_id = ? AND value NOT IN
		(SELECT value FROM seen_idp_groups WHERE workspace_id = ? ORDER BY last_seen DESC, value LIMIT ?)`,
		workspaceID, workspaceID, max(keep, 0))
}
