package store

import (
	"context"
	"time"
)

// AdminQueries are the reads and writes of the workspace settings pages
// added for issue 12 (admin safety, members, API token use).
type AdminQueries interface {
	// TouchAPIToken records that a token was used at at. It only moves
	// LastUsedAt forward, so concurrent requests cannot move it back.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	// SSOLinkedUsers lists the IDs of the users linked to a SAML config
	// (those whose role and groups group sync manages).
	SSOLinkedUsers(ctx context.Context, configID string) ([]string, error)

	// Invitation and password reset links (only the token's SHA-256 is stored).
	CreateUserLink(ctx context.Context, l *UserLink) error
	// GetUserLink returns an unexpired link without using it.
	GetUserLink(ctx context.Context, kind string, tokenHash []byte, now time.Time) (*UserLink, error)
	// ConsumeUserLink atomically deletes and returns an unexpired link;
	// ErrNotFound when it does not exist, expired or was used already.
	ConsumeUserLink(ctx context.Context, kind string, tokenHash []byte, now time.Time) (*UserLink, error)
	// DeleteUserLinks deletes a member's links of kind (revoke, replace).
	DeleteUserLinks(ctx context.Context, kind, workspaceID, userID string) (int64, error)
	// ListUserLinks lists a workspace's unexpired links of kind, newest first.
	ListUserLinks(ctx context.Context, kind, workspaceID string, now time.Time) ([]UserLink, error)
	// CountMemberships counts a user's memberships in all workspaces.
	CountMemberships(ctx context.Context, userID string) (int, error)
}

// User link kinds.
const (
	LinkInvite = "invite"
	LinkReset  = "reset"
)

// UserLink is an invitation or a password reset link.
type UserLink struct {
	TokenHash   []byte
	Kind        string // LinkInvite or LinkReset
	WorkspaceID string
	UserID      string
	Role        string // the invited role (invitations)
	CreatedBy   string // admin user ID; "" for a self-service reset
	CreatedAt   time.Time
	ExpiresAt   time.Time
	// Mailed: the link went to the member's own mailbox (never shown to
	// an admin); a reset link not mailed is re-checked when used.
	Mailed bool
}
