package store

import "time"

// Workspace is one tenant of the instance.
type Workspace struct {
	ID        string // UUID
	Name      string
	Slug      string // lowercase [a-z0-9-], unique
	CreatedAt time.Time
}

// User is an instance-wide account, unique by lowercased email.
type User struct {
	ID           string // UUID
	Email        string // lowercased
	Name         string
	PasswordHash string // argon2id PHC string; empty = no password
	// PasswordWorkspaceID limits the password to one workspace: it was set
	// through a link the admin could see, or chosen by an admin, so it
	// proves nothing about the mailbox ("" = valid in every workspace).
	PasswordWorkspaceID string
	SuperAdmin          bool
	Archived            bool // archived instance-wide
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Membership statuses.
const (
	StatusInvited  = "invited"
	StatusActive   = "active"
	StatusArchived = "archived"
)

// Membership of a user in a workspace. Role is one of workspace.RoleAdmin,
// RoleBuilder, RoleEndUser ("admin", "builder", "end-user").
type Membership struct {
	WorkspaceID string
	UserID      string
	Status      string
	Role        string
	// SSOUserInfo holds every attribute of the last SAML login, as JSON
	// (object of attribute name -> array of values), for apps.
	SSOUserInfo []byte
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Member is a membership joined with its user and custom groups, for lists.
type Member struct {
	User       User
	Membership Membership
	Groups     []Group
}

// Group is a custom group of a workspace.
type Group struct {
	ID          string // UUID
	WorkspaceID string
	Name        string // exact, unique in the workspace
	CanEditApps bool   // members get role builder from group sync (docs/access-rules.md, group sync rule 4)
	CreatedAt   time.Time
}

// LoginSettings are the workspace login settings (docs/concepts.md, docs/access-rules.md).
type LoginSettings struct {
	WorkspaceID    string
	PasswordLogin  bool
	Signup         bool     // JIT provisioning
	AllowedDomains []string // lowercased; empty = all
	AutoSSO        bool
	UpdatedAt      time.Time
}

// IdP-initiated sign-in modes (docs/saml.md, validation rule 5).
const (
	IdPInitiatedBounce = "bounce"
	IdPInitiatedAccept = "accept"
	IdPInitiatedReject = "reject"
)

// SAMLConfig is a workspace's SAML SSO configuration.
type SAMLConfig struct {
	ID             string // UUID; part of the ACS URL
	WorkspaceID    string
	Enabled        bool
	Name           string // "SSO name" (button label); "" shows "SAML"
	MetadataXML    string // the IdP metadata as pasted (or last fetched)
	MetadataURL    string // optional; refreshed on a schedule
	IdPEntityID    string // chosen when the metadata holds several entities
	IdPInitiated   string // IdPInitiatedBounce (default), ...Accept, ...Reject
	ClockSkew      time.Duration
	AllowSHA1      bool
	GroupSync      bool
	GroupAttribute string // default "groups"
	NameIDFormat   string // requested NameIDPolicy format; "" = persistent
	SignRequests   bool
	// AllowUnsignedLogout accepts IdP LogoutRequests without a signature
	// (for IdPs that cannot sign them). Off by default: any web page can
	// make a browser fetch an unsigned one (logout CSRF).
	AllowUnsignedLogout bool
	// PEM-encoded SP key pairs; empty when not configured.
	SPSigningKeyPEM     string
	SPSigningCertPEM    string
	SPEncryptionKeyPEM  string
	SPEncryptionCertPEM string
	// Previous SP certificates (and encryption key) during a rollover:
	// published next to the current ones until the admin removes them.
	SPSigningPrevCertPEM    string
	SPEncryptionPrevKeyPEM  string
	SPEncryptionPrevCertPEM string
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

// GroupMapping maps one IdP group value to one workspace group name
// (a role name or a custom group name).
type GroupMapping struct {
	IdPGroup       string
	WorkspaceGroup string
}

// SeenIdPGroup is an IdP group value seen at a login.
type SeenIdPGroup struct {
	Value    string
	LastSeen time.Time
	Count    int
}

// OutstandingRequest is an AuthnRequest we sent and not yet got an answer to.
type OutstandingRequest struct {
	ID         string // the AuthnRequest ID
	ConfigID   string
	RedirectTo string // same-origin relative path to land on
	ExpiresAt  time.Time
}

// Session is a signed-in browser. TokenHash is SHA-256 of the cookie value.
type Session struct {
	TokenHash    []byte
	UserID       string
	WorkspaceID  string
	ConfigID     string // SAML config used; "" for password login
	NameID       string
	NameIDFormat string
	SessionIndex string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	// ForwardHash is SHA-256 of the forward-auth cookie's token (nil for
	// none), the only key /auth/forward/{slug} looks a session up by
	// (docs/forward-auth.md, "Cookies"). Write-only: reads never need it.
	ForwardHash []byte
}

// APIToken authenticates /api/v1 calls for one workspace.
type APIToken struct {
	ID          string
	WorkspaceID string
	Name        string
	TokenHash   []byte
	CreatedBy   string // user ID
	CreatedAt   time.Time
	LastUsedAt  time.Time
	// ExpiresAt is when the token stops working; zero = never.
	ExpiresAt time.Time
}

// AuditEvent is one line of the audit log.
type AuditEvent struct {
	ID          int64
	WorkspaceID string
	UserID      string // subject, when known
	ActorID     string // who made a change; "" for the system/IdP
	Kind        string // e.g. "login.success", "login.failure", "config.saml", "membership.role", "groupsync"
	TraceID     string
	Reason      string // reason code for failures
	Message     string // operator-readable
	// Details is a JSON object with event-specific fields (attribute names,
	// role before/after, groups added/removed, ...).
	Details []byte
	// RedactedResponse keeps a failed login's SAML response (signature
	// values and attribute values redacted) for the retention period.
	RedactedResponse string
	CreatedAt        time.Time
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	WorkspaceID string
	UserID      string // optional
	Kind        string // optional; prefix match ("login" matches "login.failure")
	Limit       int    // 0 = 100
	BeforeID    int64  // optional, for paging
	TraceID     string // optional, exact
	// Since and Until bound CreatedAt (Since inclusive, Until exclusive);
	// zero = unbounded.
	Since, Until time.Time
}
