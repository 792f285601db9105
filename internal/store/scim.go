package store

import (
	"context"
	"time"
)

// SCIMQueries persist SCIM 2.0 provisioning (docs/scim.md): a workspace's
// bearer token, the directory's view of the members it provisioned, and
// the directory's groups with their members.
type SCIMQueries interface {
	// SaveSCIMToken creates or replaces (rotates) the workspace's token.
	SaveSCIMToken(ctx context.Context, t *SCIMToken) error
	// GetSCIMToken returns the workspace's token (ErrNotFound when SCIM is off).
	GetSCIMToken(ctx context.Context, workspaceID string) (*SCIMToken, error)
	// GetSCIMTokenByHash finds a token by the SHA-256 of its value.
	GetSCIMTokenByHash(ctx context.Context, tokenHash []byte) (*SCIMToken, error)
	// DeleteSCIMToken revokes the workspace's token (ErrNotFound when none).
	DeleteSCIMToken(ctx context.Context, workspaceID string) error
	// TouchSCIMToken records the time of the last provisioning request.
	TouchSCIMToken(ctx context.Context, workspaceID string, at time.Time) error

	// GetSCIMUser returns a member of the workspace with its SCIM record
	// (nil Record when the directory never provisioned it); ErrNotFound
	// when the user is not a member of that workspace.
	GetSCIMUser(ctx context.Context, workspaceID, userID string) (*SCIMUser, error)
	// ListSCIMUsers lists the workspace's members matching f, oldest
	// membership first, from offset (0-based), at most limit; total is the
	// number of matches.
	ListSCIMUsers(ctx context.Context, workspaceID string, f SCIMUserFilter, offset, limit int) (users []SCIMUser, total int, err error)
	// SaveSCIMUser inserts or updates the record of a member (ErrConflict
	// when another member of the workspace has the same user name key).
	SaveSCIMUser(ctx context.Context, r *SCIMUserRecord) error
	// DeleteMembership removes a member from one workspace: the
	// membership, its SCIM record and group memberships, its custom
	// groups and its sessions there. Other workspaces are untouched.
	DeleteMembership(ctx context.Context, workspaceID, userID string) error

	// CreateSCIMGroup inserts g (ErrConflict when the display name is taken).
	CreateSCIMGroup(ctx context.Context, g *SCIMGroup) error
	// GetSCIMGroup finds a group of the workspace (ErrNotFound otherwise).
	GetSCIMGroup(ctx context.Context, workspaceID, id string) (*SCIMGroup, error)
	// ListSCIMGroups lists the workspace's groups matching f by creation.
	ListSCIMGroups(ctx context.Context, workspaceID string, f SCIMGroupFilter, offset, limit int) (groups []SCIMGroup, total int, err error)
	// UpdateSCIMGroup saves the display name and external ID.
	UpdateSCIMGroup(ctx context.Context, g *SCIMGroup) error
	// DeleteSCIMGroup deletes a group of the workspace and its members.
	DeleteSCIMGroup(ctx context.Context, workspaceID, id string) error
	// CountSCIMGroups counts the groups the directory pushed.
	CountSCIMGroups(ctx context.Context, workspaceID string) (int, error)
	// AddSCIMGroupMember adds a member of the group's workspace; added is
	// false when it was in the group already.
	AddSCIMGroupMember(ctx context.Context, g *SCIMGroup, userID string) (added bool, err error)
	// RemoveSCIMGroupMember removes a member; removed is false when absent.
	RemoveSCIMGroupMember(ctx context.Context, groupID, userID string) (removed bool, err error)
	// ListSCIMGroupMembers lists the group's members (user IDs, sorted).
	ListSCIMGroupMembers(ctx context.Context, groupID string) ([]SCIMGroupMember, error)
	// SCIMUserGroups lists the directory groups a member is in.
	SCIMUserGroups(ctx context.Context, workspaceID, userID string) ([]SCIMGroup, error)
}

// SCIMToken is a workspace's provisioning bearer token; only the SHA-256
// of the value is stored.
type SCIMToken struct {
	WorkspaceID   string
	TokenHash     []byte
	CreatedBy     string // user ID of the admin; "" for the operator (CLI)
	CreatedAt     time.Time
	LastRequestAt time.Time // zero until the directory's first request
}

// SCIMUserRecord is the directory's view of a provisioned member.
type SCIMUserRecord struct {
	WorkspaceID string
	UserID      string
	UserName    string // as the directory sent it
	UserNameKey string // the comparison form (lowercased): unique in the workspace
	ExternalID  string
	Email       string // lowercased work email the directory sent
	// Resource is the JSON object the directory maintains (name, emails,
	// extension attributes, ...), without id, meta and active.
	Resource  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

// SCIMUser is a member of a workspace as SCIM shows it.
type SCIMUser struct {
	User       User
	Membership Membership
	Record     *SCIMUserRecord // nil: a member the directory never provisioned
}

// SCIMUserFilter selects members; empty fields match everything. Values
// compare case-insensitively (userName and emails are not case-exact).
type SCIMUserFilter struct {
	ID         string
	UserName   string // the record's user name; the email for members without one
	ExternalID string
	Email      string // the record's email; the account's for members without one
}

// SCIMGroup is a group the directory pushed (not a custom group: group
// sync maps it to roles and custom groups).
type SCIMGroup struct {
	ID          string
	WorkspaceID string
	DisplayName string
	ExternalID  string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// SCIMGroupFilter selects groups; empty fields match everything.
type SCIMGroupFilter struct {
	ID          string
	DisplayName string // exact
	ExternalID  string
}

// SCIMGroupMember is one member of a SCIM group.
type SCIMGroupMember struct {
	UserID string
	Email  string
	Name   string
}
