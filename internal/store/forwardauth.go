package store

import (
	"context"
	"time"
)

// ProtectedSite is a site a workspace guards with forward authentication
// (docs/forward-auth.md). Origin is "scheme://host[:port]", lowercase,
// without path; return URLs may only point to a listed origin.
type ProtectedSite struct {
	ID          string
	WorkspaceID string
	Origin      string
	CreatedBy   string // user ID of the admin who added it ("" from the CLI)
	CreatedAt   time.Time
}

// SessionIdentity is everything a forward-auth check needs about a
// session, read in one statement: the session, its user, membership,
// workspace and the member's custom groups in that workspace.
type SessionIdentity struct {
	WorkspaceID, WorkspaceSlug string
	UserID, Email, Name        string
	UserArchived               bool
	Role, Status               string
	Groups                     []string // sorted custom group names
	ExpiresAt                  time.Time
}

// ForwardAuthQueries are the reads and writes of forward authentication.
type ForwardAuthQueries interface {
	// CreateSite adds a protected site (ErrConflict when the workspace
	// lists the origin already, ErrNotFound for an unknown workspace).
	CreateSite(ctx context.Context, s *ProtectedSite) error
	// ListSites lists the workspace's sites, by origin.
	ListSites(ctx context.Context, workspaceID string) ([]ProtectedSite, error)
	// DeleteSite removes a site of the workspace (ErrNotFound when it is
	// missing or belongs to another workspace).
	DeleteSite(ctx context.Context, workspaceID, id string) error
	// SessionIdentity resolves an unexpired session by token hash, with
	// its user, membership and groups, in one indexed read (ErrNotFound
	// when the session is missing or expired, or the membership is gone).
	SessionIdentity(ctx context.Context, tokenHash []byte, now time.Time) (*SessionIdentity, error)
}
