// Package store persists Gatehouse's state. One interface (Store), two real
// implementations: SQLite (the embedded default) and PostgreSQL. Both are
// exercised by the same conformance suite.
//
// The store knows nothing about SAML or the rules of provisioning and group
// sync; it stores records and enforces uniqueness. Every method that changes
// more than one row is either one statement or runs inside InTx.
package store

import (
	"context"
	"errors"
	"time"
)

// Sentinel errors. Implementations wrap them so callers use errors.Is.
var (
	// ErrNotFound: no row matched (or the row has expired).
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a uniqueness constraint was violated (slug, email,
	// group name, membership, SSO link, ...).
	ErrConflict = errors.New("store: conflict")
	// ErrReplay: the assertion ID has been used before.
	ErrReplay = errors.New("store: assertion already used")
)

// Store is a database handle. Its Queries run each in their own implicit
// transaction; InTx runs fn in one transaction that commits only when fn
// returns nil (any error, or a panic, rolls everything back). Inside fn use
// only the Queries passed to it: on SQLite the writer is one connection,
// so calling the Store itself from fn would wait for the connection fn holds.
type Store interface {
	Queries
	WriteProber
	InTx(ctx context.Context, fn func(q Queries) error) error
	// Ping checks the database is reachable (for /readyz).
	Ping(ctx context.Context) error
	// DeleteExpired removes outstanding requests, replay entries and
	// sessions expired at now, and redacted SAML responses of audit events
	// older than now-retention. It returns the number of rows removed.
	DeleteExpired(ctx context.Context, now time.Time, retention time.Duration) (int64, error)
	// Backend is "sqlite" or "postgres".
	Backend() string
	Close() error
}

// Queries is every read and write the application needs.
type Queries interface {
	ForwardAuthQueries
	ForwardCookieQueries
	AccessQueries
	SCIMQueries
	OIDCQueries
	// Workspaces.
	CreateWorkspace(ctx context.Context, w *Workspace) error // ErrConflict on slug
	GetWorkspace(ctx context.Context, id string) (*Workspace, error)
	GetWorkspaceBySlug(ctx context.Context, slug string) (*Workspace, error)
	ListWorkspaces(ctx context.Context) ([]Workspace, error)

	// Users (instance-wide; email is stored lowercased and unique).
	CreateUser(ctx context.Context, u *User) error // ErrConflict on email
	GetUser(ctx context.Context, id string) (*User, error)
	GetUserByEmail(ctx context.Context, email string) (*User, error)
	UpdateUser(ctx context.Context, u *User) error
	CountUsers(ctx context.Context) (int, error)

	// Memberships.
	CreateMembership(ctx context.Context, m *Membership) error // ErrConflict if it exists
	GetMembership(ctx context.Context, workspaceID, userID string) (*Membership, error)
	UpdateMembership(ctx context.Context, m *Membership) error
	ListMembers(ctx context.Context, workspaceID string) ([]Member, error)
	// CountActiveAdmins counts active admin memberships of users not
	// archived instance-wide.
	CountActiveAdmins(ctx context.Context, workspaceID string) (int, error)

	// Custom groups (never the reserved role names; the caller validates).
	CreateGroup(ctx context.Context, g *Group) error // ErrConflict on (workspace, name)
	GetGroup(ctx context.Context, id string) (*Group, error)
	UpdateGroup(ctx context.Context, g *Group) error // rename, CanEditApps
	DeleteGroup(ctx context.Context, id string) error
	ListGroups(ctx context.Context, workspaceID string) ([]Group, error)
	// MemberGroups lists the custom groups the user belongs to in the workspace.
	MemberGroups(ctx context.Context, workspaceID, userID string) ([]Group, error)
	AddGroupMember(ctx context.Context, groupID, userID string) error // idempotent
	RemoveGroupMember(ctx context.Context, groupID, userID string) error
	// SetMemberGroups replaces the user's custom groups in the workspace by exactly groupIDs.
	SetMemberGroups(ctx context.Context, workspaceID, userID string, groupIDs []string) error

	// Workspace login settings. GetLoginSettings returns the defaults
	// (password login on, signup off, no domains, no auto SSO) when none were saved.
	GetLoginSettings(ctx context.Context, workspaceID string) (*LoginSettings, error)
	SaveLoginSettings(ctx context.Context, s *LoginSettings) error

	// SAML configs (at most one per workspace).
	GetSAMLConfig(ctx context.Context, id string) (*SAMLConfig, error)
	GetSAMLConfigByWorkspace(ctx context.Context, workspaceID string) (*SAMLConfig, error)
	// SaveSAMLConfig inserts (empty c.ID gets a new UUID) or updates.
	SaveSAMLConfig(ctx context.Context, c *SAMLConfig) error

	// Group mappings edited in the UI/API (the environment's live in config).
	ListGroupMappings(ctx context.Context, workspaceID string) ([]GroupMapping, error)
	ReplaceGroupMappings(ctx context.Context, workspaceID string, m []GroupMapping) error
	// IdP group values seen at recent logins, for the settings page.
	RecordSeenIdPGroups(ctx context.Context, workspaceID string, values []string, at time.Time) error
	ListSeenIdPGroups(ctx context.Context, workspaceID string, limit int) ([]SeenIdPGroup, error)

	// SSO subject links: (config, NameID) -> user.
	GetSSOLink(ctx context.Context, configID, nameID string) (userID string, err error)
	CreateSSOLink(ctx context.Context, configID, nameID, userID string, at time.Time) error // ErrConflict

	// Outstanding AuthnRequests (10-minute TTL).
	SaveRequest(ctx context.Context, r *OutstandingRequest) error
	// GetRequest returns an unexpired request without consuming it.
	GetRequest(ctx context.Context, configID, id string, now time.Time) (*OutstandingRequest, error)
	// ConsumeRequest atomically deletes and returns an unexpired request;
	// ErrNotFound when it does not exist, expired, or was consumed already.
	ConsumeRequest(ctx context.Context, configID, id string, now time.Time) (*OutstandingRequest, error)

	// MarkAssertionUsed records an assertion ID until expiresAt; ErrReplay
	// when it was recorded before (atomic across replicas).
	MarkAssertionUsed(ctx context.Context, assertionID string, expiresAt time.Time) error

	// Sessions (only the SHA-256 of the token is stored).
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns an unexpired session by token hash.
	GetSession(ctx context.Context, tokenHash []byte, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteSSOSessions deletes the sessions opened through configID for
	// nameID (and sessionIndex, when not empty); used by single logout.
	DeleteSSOSessions(ctx context.Context, configID, nameID, sessionIndex string) (int64, error)

	// Admin API tokens (only the SHA-256 of the token is stored).
	CreateAPIToken(ctx context.Context, t *APIToken) error
	GetAPIToken(ctx context.Context, tokenHash []byte) (*APIToken, error)
	ListAPITokens(ctx context.Context, workspaceID string) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, workspaceID, id string) error

	// Audit log.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error)

	LimitQueries
	AdminQueries
}
