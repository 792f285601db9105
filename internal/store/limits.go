package store

import "context"

// LimitQueries keep tables that unauthenticated or IdP-controlled input
// writes to within a bound (issue 11).
type LimitQueries interface {
	// TrimSeenIdPGroups keeps the keep most recently seen IdP group values
	// of the workspace and deletes the rest; it returns how many it deleted.
	TrimSeenIdPGroups(ctx context.Context, workspaceID string, keep int) (int64, error)
}
