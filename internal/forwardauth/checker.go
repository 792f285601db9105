package forwardauth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Outcome is a check's answer.
type Outcome int

// The outcomes, each one HTTP status of /auth/forward/{slug}.
const (
	Allowed          Outcome = iota // 200, with the identity
	SignedOut                       // 401: no valid forward token of a session at this workspace
	Forbidden                       // 403: signed in, but the rule is not met
	UnknownWorkspace                // 404
)

// Identity is what the proxy passes on to the protected site.
type Identity struct {
	UserID, Email, Name string
	Role                string
	Groups              []string // sorted custom group names
	Workspace           string   // slug
}

// Result is a check's outcome; Identity is set for Allowed and Forbidden,
// Origins (the workspace's protected sites, for the sign-in URL's return
// target) for SignedOut.
type Result struct {
	Outcome  Outcome
	Identity *Identity
	Origins  []string
}

// MaxCacheTTL bounds the configured cache lifetime: the staleness bound
// is a security property (archiving, sign-out elsewhere and role changes
// wait for it), so it must stay short.
const MaxCacheTTL = time.Minute

// maxCacheEntries bounds each cache; only valid sessions and existing
// workspaces are cached, so anonymous requests cannot fill them, but a
// bound keeps memory predictable whatever the number of sessions.
const maxCacheEntries = 100_000

// Checker answers checks. It caches, for at most TTL, the identity behind
// a session and a workspace's sites; TTL 0 reads the database every time.
// It is safe for concurrent use.
type Checker struct {
	store store.Store
	now   func() time.Time
	ttl   time.Duration

	mu         sync.RWMutex
	sessions   map[[sha256.Size]byte]sessionEntry
	workspaces map[string]workspaceEntry
}

type sessionEntry struct {
	id      *store.SessionIdentity
	fetched time.Time
}

type workspaceEntry struct {
	ws      *store.Workspace
	origins []string
	fetched time.Time
}

// NewChecker returns a Checker over st with cache lifetime ttl (clamped to
// [0, MaxCacheTTL]); now nil means time.Now.
func NewChecker(st store.Store, ttl time.Duration, now func() time.Time) *Checker {
	if now == nil {
		now = time.Now
	}
	ttl = min(max(ttl, 0), MaxCacheTTL)
	return &Checker{store: st, now: now, ttl: ttl,
		sessions: map[[sha256.Size]byte]sessionEntry{}, workspaces: map[string]workspaceEntry{}}
}

// TTL is the cache lifetime in use: the staleness bound of a check.
func (c *Checker) TTL() time.Duration { return c.ttl }

// Check answers a check for workspace slug with the forward token from the
// workspace's forward-auth cookie ("" when there is none) and rule. Only
// forward tokens are looked up (docs/forward-auth.md, "Cookies"): a
// session token is no forward token, so the session cookie never passes a
// check. An unknown or expired token, a session of another workspace, an
// archived user and an inactive membership are all SignedOut: never
// another identity.
func (c *Checker) Check(ctx context.Context, slug, token string, rule Rule) (Result, error) {
	if token != "" {
		id, err := c.identity(ctx, token)
		if err != nil {
			return Result{}, err
		}
		if id != nil && id.WorkspaceSlug == slug && !id.UserArchived && id.Status == store.StatusActive {
			ident := &Identity{UserID: id.UserID, Email: id.Email, Name: id.Name, Role: id.Role,
				Groups: id.Groups, Workspace: id.WorkspaceSlug}
			if !rule.Allows(id.Role, id.Groups) {
				return Result{Outcome: Forbidden, Identity: ident}, nil
			}
			return Result{Outcome: Allowed, Identity: ident}, nil
		}
	}
	_, origins, err := c.Workspace(ctx, slug)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Result{Outcome: UnknownWorkspace}, nil
		}
		return Result{}, err
	}
	return Result{Outcome: SignedOut, Origins: origins}, nil
}

// identity returns the session whose forward token is token, from the
// cache while fresh; nil (no error) when there is no such unexpired
// session. The cache is keyed by the forward token's hash only.
func (c *Checker) identity(ctx context.Context, token string) (*store.SessionIdentity, error) {
	if len(token) > 256 {
		return nil, nil
	}
	h := sha256.Sum256([]byte(token))
	now := c.now()
	if c.ttl > 0 {
		c.mu.RLock()
		e, ok := c.sessions[h]
		c.mu.RUnlock()
		if ok && now.Sub(e.fetched) < c.ttl && now.Before(e.id.ExpiresAt) {
			return e.id, nil
		}
	}
	id, err := c.store.ForwardSessionIdentity(ctx, h[:], now)
	if errors.Is(err, store.ErrNotFound) {
		c.forget(h)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.ttl > 0 {
		c.mu.Lock()
		if len(c.sessions) >= maxCacheEntries {
			c.sessions = map[[sha256.Size]byte]sessionEntry{}
		}
		c.sessions[h] = sessionEntry{id: id, fetched: now}
		c.mu.Unlock()
	}
	return id, nil
}

// Forget drops the cached answer for the session whose (session) token is
// sessionToken: a sign-out on this replica takes effect at once (on other
// replicas within the TTL). The forward token is derived from the
// session token, so the sign-out needs no forward cookie to find it.
func (c *Checker) Forget(sessionToken string) {
	if sessionToken == "" || len(sessionToken) > 256 {
		return
	}
	c.forget(sha256.Sum256([]byte(workspace.ForwardToken(sessionToken))))
}

func (c *Checker) forget(h [sha256.Size]byte) {
	if c.ttl == 0 {
		return
	}
	// Forged tokens are never cached: look before taking the write lock,
	// so a flood of them does not serialize the checks.
	c.mu.RLock()
	_, ok := c.sessions[h]
	c.mu.RUnlock()
	if !ok {
		return
	}
	c.mu.Lock()
	delete(c.sessions, h)
	c.mu.Unlock()
}

// ForgetUser drops every cached session of userID (after an admin
// archives a member or changes a role on this replica).
func (c *Checker) ForgetUser(userID string) {
	c.mu.Lock()
	for h, e := range c.sessions {
		if e.id.UserID == userID {
			delete(c.sessions, h)
		}
	}
	c.mu.Unlock()
}

// ForgetWorkspace drops a workspace's cached sites (after a change on this
// replica; other replicas see it within the TTL).
func (c *Checker) ForgetWorkspace(slug string) {
	c.mu.Lock()
	delete(c.workspaces, slug)
	c.mu.Unlock()
}

// Workspace returns the workspace of slug and the origins of its protected
// sites, cached like identities (store.ErrNotFound for an unknown slug,
// which is never cached, so made-up slugs cannot fill the cache).
func (c *Checker) Workspace(ctx context.Context, slug string) (*store.Workspace, []string, error) {
	now := c.now()
	if c.ttl > 0 {
		c.mu.RLock()
		e, ok := c.workspaces[slug]
		c.mu.RUnlock()
		if ok && now.Sub(e.fetched) < c.ttl {
			return e.ws, e.origins, nil
		}
	}
	ws, err := c.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	sites, err := c.store.ListSites(ctx, ws.ID)
	if err != nil {
		return nil, nil, err
	}
	origins := make([]string, len(sites))
	for i, s := range sites {
		origins[i] = s.Origin
	}
	if c.ttl > 0 {
		c.mu.Lock()
		if len(c.workspaces) >= maxCacheEntries {
			c.workspaces = map[string]workspaceEntry{}
		}
		c.workspaces[slug] = workspaceEntry{ws: ws, origins: origins, fetched: now}
		c.mu.Unlock()
	}
	return ws, origins, nil
}
