// Package workspace holds Gatehouse's domain rules and the service that
// applies them: group sync and the access rules (docs/access-rules.md) as pure functions,
// password hashing, and Service, which runs a login or an admin change in
// one store transaction and writes the audit log.
//
// It knows nothing about HTTP or SAML: the web layer turns a verified
// assertion into a plain SSOIdentity.
package workspace

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// DefaultSessionTTL applies when Service.SessionTTL is zero.
const DefaultSessionTTL = 12 * time.Hour

// Service applies the rules against a store. All fields but Store are
// optional.
type Service struct {
	Store store.Store
	// Now is the clock (time.Now when nil); injected so tests can freeze it.
	Now func() time.Time
	// Log receives operational messages (slog.Default when nil).
	Log *slog.Logger
	// SessionTTL is how long a session lives (DefaultSessionTTL when zero).
	SessionTTL time.Duration
	// EnvMappings returns the TJ_SAML_GROUP_MAPPINGS__{slug} mapping of a
	// workspace (nil map when unset). An error means the variable is
	// invalid: group sync is then off for that workspace (docs/access-rules.md, "TJ_SAML_GROUP_MAPPINGS__{slug}").
	// nil = no environment mappings at all.
	EnvMappings func(slug string) (map[string]string, error)
	// PasswordHashes bounds concurrent argon2id hashes (nil = a gate
	// shared by the process, sized by DefaultHashConcurrency).
	PasswordHashes *HashGate
	// OnSignOut, when set, hears of every ended sign-in (see SignOutEvent);
	// the OpenID Connect provider revokes the applications' tokens there.
	OnSignOut func(ctx context.Context, ev SignOutEvent)

	// seen throttles the "IdP groups seen" writes (see SeenGroupsInterval);
	// it is why a Service must not be copied.
	seen seenThrottle
}

// SSOIdentity is what the web layer extracts from a verified assertion
// (docs/saml.md, "Attributes").
type SSOIdentity struct {
	NameID, NameIDFormat, SessionIndex string
	Email                              string // "" when the IdP sent none
	Name                               string
	Groups                             []string // values of the group attribute
	// GroupsOverage: Entra omitted the groups (groups.link present, group
	// attribute absent); sync must change nothing.
	GroupsOverage bool
	// Attributes are all received attributes, kept as sso_user_info.
	Attributes map[string][]string
}

// SAMLLogin is one validated SAML response to turn into a session.
type SAMLLogin struct {
	Workspace *store.Workspace
	Config    *store.SAMLConfig
	Identity  SSOIdentity
	// AssertionID and AssertionExpiresAt (saml.Assertion's ID and
	// ReplayUntil) go into the replay cache.
	AssertionID        string
	AssertionExpiresAt time.Time
	// RequestID is the InResponseTo, consumed in the same transaction;
	// "" for an unsolicited response.
	RequestID string
	TraceID   string
}

// LoginResult is a successful sign-in.
type LoginResult struct {
	User       store.User
	Membership store.Membership
	// SessionToken is the cookie value; only its SHA-256 is stored.
	SessionToken string
	Session      store.Session
	// RedirectTo is the target saved with the consumed request; "" otherwise.
	RedirectTo string
	// Sync is the group sync outcome; nil when sync did not run.
	Sync *SyncResult
}

// Principal is the signed-in member behind a session.
type Principal struct {
	Session    store.Session
	User       store.User
	Membership store.Membership
	Workspace  store.Workspace
	Groups     []store.Group
}

// now is the injected clock.
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// log is the injected logger.
func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// sessionTTL is the configured session lifetime.
func (s *Service) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return DefaultSessionTTL
}

// inTx runs fn in one store transaction.
func (s *Service) inTx(ctx context.Context, fn func(q store.Queries) error) error {
	return s.Store.InTx(ctx, fn)
}
