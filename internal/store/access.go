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
	// DeleteUserSessions deletes the user's sessions in workspaceID, or in
	// every workspace when workspaceID is "", and returns how many.
	DeleteUserSessions(ctx context.Context, userID, workspaceID string) (int64, error)
	// DeleteUserAPITokens deletes the API tokens the user created in
	// workspaceID, or in every workspace when workspaceID is "", and
	// returns how many.
	DeleteUserAPITokens(ctx context.Context, userID, workspaceID string) (int64, error)
}
