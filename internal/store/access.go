package store

import "context"

// AccessQueries end a member's access and serialize changes to one
// membership (docs/access-rules.md, "Ending access").
type AccessQueries interface {
	// LockMembership returns the membership and holds its row until the
	// transaction ends, so that concurrent logins or admin changes of one
	// member run one after the other and each sees what the previous one
	// committed. PostgreSQL takes a row lock (SELECT ... FOR UPDATE);
	// SQLite's single writer already runs write transactions one at a
	// time. Use it inside InTx; ErrNotFound when there is no membership.
	LockMembership(ctx context.Context, workspaceID, userID string) (*Membership, error)
	// LockWorkspaceAdmins serializes, until the transaction ends, every
	// change that may take an admin out of the workspace, so that two
	// concurrent demotions cannot both see the other admin and leave none.
	// Take it after LockMembership (one lock order: no deadlock).
	// PostgreSQL locks the workspace row (FOR NO KEY UPDATE, which does not
	// block inserts that reference it); SQLite needs nothing.
	LockWorkspaceAdmins(ctx context.Context, workspaceID string) error
	// DeleteUserSessions deletes the user's sessions in workspaceID, or in
	// every workspace when workspaceID is "", and returns how many.
	DeleteUserSessions(ctx context.Context, userID, workspaceID string) (int64, error)
	// DeleteUserAPITokens deletes the API tokens the user created in
	// workspaceID, or in every workspace when workspaceID is "", and
	// returns how many.
	DeleteUserAPITokens(ctx context.Context, userID, workspaceID string) (int64, error)
}
