package store

import (
	"context"
	"time"
)

// OIDCQueries are the reads and writes of the OpenID Connect provider
// (docs/oidc.md): applications, pending authorizations, refresh tokens
// and the signing keys every replica shares.
type OIDCQueries interface {
	// Applications (OIDC clients) of a workspace.
	CreateOIDCClient(ctx context.Context, c *OIDCClient) error // ErrConflict on a repeated ID
	GetOIDCClient(ctx context.Context, workspaceID, id string) (*OIDCClient, error)
	ListOIDCClients(ctx context.Context, workspaceID string) ([]OIDCClient, error)
	// UpdateOIDCClient saves every field but ID, WorkspaceID and CreatedAt.
	UpdateOIDCClient(ctx context.Context, c *OIDCClient) error
	DeleteOIDCClient(ctx context.Context, workspaceID, id string) error

	// Pending authorization requests (short TTL; swept by DeleteExpired).
	CreateOIDCAuthRequest(ctx context.Context, r *OIDCAuthRequest) error
	// GetOIDCAuthRequest returns an unexpired request of the workspace.
	GetOIDCAuthRequest(ctx context.Context, workspaceID, id string, now time.Time) (*OIDCAuthRequest, error)
	// UpdateOIDCAuthRequestData replaces the request's data (sign-in done).
	UpdateOIDCAuthRequestData(ctx context.Context, workspaceID, id string, data []byte) error
	// SetOIDCAuthCode records the hash of the code issued for the request
	// (ErrNotFound when the request is gone or a code was issued already).
	SetOIDCAuthCode(ctx context.Context, workspaceID, id string, codeHash []byte) error
	// ConsumeOIDCAuthCode deletes and returns the unexpired request with
	// this code hash in one statement: a code is exchanged at most once.
	ConsumeOIDCAuthCode(ctx context.Context, workspaceID string, codeHash []byte, now time.Time) (*OIDCAuthRequest, error)
	DeleteOIDCAuthRequest(ctx context.Context, workspaceID, id string) error
	// CountOIDCAuthRequests counts the workspace's unexpired pending requests.
	CountOIDCAuthRequests(ctx context.Context, workspaceID string, now time.Time) (int, error)
	// EvictOIDCAuthRequests deletes up to n of the oldest unexpired
	// requests without a code yet of the workspace's owner holding the
	// most such requests, and returns how many it deleted.
	EvictOIDCAuthRequests(ctx context.Context, workspaceID string, n int, now time.Time) (int64, error)

	// Refresh tokens (only the SHA-256 of the token is stored).
	CreateOIDCRefreshToken(ctx context.Context, t *OIDCRefreshToken) error
	// GetOIDCRefreshToken returns the token by hash whatever its state
	// (used, revoked, expired), so that reuse can be detected.
	GetOIDCRefreshToken(ctx context.Context, workspaceID string, tokenHash []byte) (*OIDCRefreshToken, error)
	// MarkOIDCRefreshTokenUsed marks a current token used (rotation);
	// ErrNotFound when it was used, revoked or expired already, which is
	// how two concurrent uses of one token are told apart.
	MarkOIDCRefreshTokenUsed(ctx context.Context, tokenHash []byte, now time.Time) error
	// RevokeOIDCRefreshTokens revokes every unrevoked token the filter
	// selects and returns the grants that lost them (for back-channel logout).
	RevokeOIDCRefreshTokens(ctx context.Context, f OIDCTokenFilter) ([]OIDCGrant, error)

	// Back-channel logout grants: a sign-in handed to an application that
	// registered a back-channel logout URI. SaveOIDCLogoutGrant is
	// idempotent; TakeOIDCLogoutGrants deletes and returns the selected ones.
	SaveOIDCLogoutGrant(ctx context.Context, g *OIDCLogoutGrant) error
	TakeOIDCLogoutGrants(ctx context.Context, f OIDCTokenFilter) ([]OIDCGrant, error)

	// Signing keys, shared by every replica.
	CreateOIDCSigningKey(ctx context.Context, k *OIDCSigningKey) error
	// ListOIDCSigningKeys lists the keys not retired at now, oldest first.
	ListOIDCSigningKeys(ctx context.Context, now time.Time) ([]OIDCSigningKey, error)
	// RetireOIDCSigningKeys sets retireAt on every key that signs from
	// before activeFrom and has no retirement yet.
	RetireOIDCSigningKeys(ctx context.Context, activeFrom, retireAt time.Time) error

	// EnsureOIDCSecret stores value under name unless a value exists, and
	// returns the stored one (replicas racing on first start agree).
	EnsureOIDCSecret(ctx context.Context, name string, value []byte, at time.Time) ([]byte, error)
}

// OIDCClient is an application registered in a workspace. Only the
// SHA-256 of a confidential client's secret (32 random bytes) is stored.
type OIDCClient struct {
	ID                     string // the client_id
	WorkspaceID            string
	Name                   string
	SecretHash             []byte // nil for a public client
	Public                 bool
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	AllowedGroups          []string // custom group names; empty = any member
	MinRole                string   // "" = any role
	BackChannelLogoutURI   string
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// OIDCAuthRequest is a pending authorization. Data is the provider's own
// encoding of the request and its sign-in state.
type OIDCAuthRequest struct {
	ID          string
	WorkspaceID string
	ClientID    string
	// Owner is the rate-limit key of the client that started it (its
	// address or IPv6 prefix): eviction at the cap goes by owner.
	Owner     string
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OIDCRefreshToken is one refresh token of a family (the chain of
// rotations that started with one authorization).
type OIDCRefreshToken struct {
	TokenHash   []byte
	ID          string
	FamilyID    string
	WorkspaceID string
	ClientID    string
	UserID      string
	// SessionID is the sid of the workspace session it was issued under;
	// ConfigID, NameID and SessionIndex are that session's SAML details
	// (for single logout).
	SessionID, ConfigID, NameID, SessionIndex string
	Scopes                                    []string
	AMR                                       []string
	AuthTime                                  time.Time
	CreatedAt                                 time.Time
	ExpiresAt                                 time.Time
	UsedAt                                    time.Time // zero while it is the family's current token
	Revoked                                   bool
}

// OIDCTokenFilter selects refresh tokens to revoke: every set field must
// match. At least WorkspaceID, UserID, FamilyID, SessionID or ConfigID+NameID
// must be set.
type OIDCTokenFilter struct {
	WorkspaceID, UserID, ClientID, FamilyID, SessionID string
	ConfigID, NameID, SessionIndex                     string
}

// OIDCGrant is one (client, user, session) whose refresh tokens were revoked.
type OIDCGrant struct {
	WorkspaceID, ClientID, UserID, SessionID string
}

// OIDCLogoutGrant records that an application got tokens for a session.
type OIDCLogoutGrant struct {
	OIDCGrant
	ConfigID, NameID, SessionIndex string
	ExpiresAt                      time.Time
}

// OIDCSigningKey is a provider signing key. It signs from SignFrom on (the
// newest such key signs) and is published until RetireAt (zero = not
// retired).
type OIDCSigningKey struct {
	ID         string // the JWK key ID
	Algorithm  string // RS256
	PrivatePEM string
	CreatedAt  time.Time
	SignFrom   time.Time
	RetireAt   time.Time
}
