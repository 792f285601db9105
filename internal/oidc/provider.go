package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Defaults of Options (docs/oidc.md lists them).
const (
	DefaultAccessTokenTTL = 10 * time.Minute
	DefaultIDTokenTTL     = 10 * time.Minute
	DefaultRefreshTTL     = 30 * 24 * time.Hour
	DefaultAuthRequestTTL = 10 * time.Minute
	DefaultKeyRefresh     = time.Minute
	// MaxPendingAuthRequests bounds the pending authorizations of one
	// workspace: an anonymous browser can start them, so they must not
	// grow the database without limit.
	MaxPendingAuthRequests = 10000
	// MaxTokenLifetime is how long a token signed with the default
	// lifetimes can stay valid (plus a minute of clock skew): a retired
	// key stays published this long after its successor takes over.
	MaxTokenLifetime = max(DefaultAccessTokenTTL, DefaultIDTokenTTL) + time.Minute
	// KeyActivationDelay is how long a rotated-in key is published before
	// it signs: twice the default key refresh, so that every replica has
	// it in its JWKS first.
	KeyActivationDelay = 2 * DefaultKeyRefresh
)

// codeKeyName names the shared secret that encrypts authorization codes
// (every replica must decrypt the codes of the others).
const codeKeyName = "oidc-code-key"

// Options configure the provider.
type Options struct {
	Store store.Store
	// PublicURL is GATEHOUSE_PUBLIC_URL without a trailing slash.
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger
	// Token lifetimes; zero means the Default* constant.
	AccessTokenTTL, IDTokenTTL, RefreshTTL, AuthRequestTTL time.Duration
	// KeyRefresh is how often each replica reloads the signing keys.
	KeyRefresh time.Duration
	// SigningAlg is the algorithm of keys generated from now on (first
	// start, rotation): AlgRS256 (default) or AlgES256.
	SigningAlg string
	// MaxPendingAuthRequests caps a workspace's pending authorizations;
	// zero means the MaxPendingAuthRequests constant.
	MaxPendingAuthRequests int
	// AllowPrivateBackChannel lets back-channel logout tokens go to
	// loopback, private and link-local addresses (and plain http):
	// GATEHOUSE_OIDC_ALLOW_PRIVATE_BACKCHANNEL.
	AllowPrivateBackChannel bool
}

// Provider serves the OpenID Connect provider of every workspace. It is
// safe for concurrent use; create it with New.
type Provider struct {
	opts    Options
	keys    *keyring
	codeKey [32]byte

	mu        sync.Mutex
	ops       map[string]*op.Provider // by workspace ID
	discovery map[string]discoveryDoc // by workspace ID
	capLogged map[string]time.Time    // last "at the cap" log line, by workspace ID
	bcl       *backChannel
}

// capLogDue reports whether the workspace's "pending authorizations at
// the cap" line may be logged again (once a minute: a flood must not
// flood the log too).
func (p *Provider) capLogDue(workspaceID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.opts.Now()
	if last, ok := p.capLogged[workspaceID]; ok && now.Sub(last) < time.Minute {
		return false
	}
	if p.capLogged == nil {
		p.capLogged = map[string]time.Time{}
	}
	p.capLogged[workspaceID] = now
	return true
}

// New loads (or on a fresh database creates) the shared code secret and
// signing key.
func New(ctx context.Context, opts Options) (*Provider, error) {
	if opts.Store == nil || opts.PublicURL == "" {
		return nil, errors.New("oidc: Options.Store and Options.PublicURL are required")
	}
	opts.PublicURL = strings.TrimRight(opts.PublicURL, "/")
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.AccessTokenTTL, DefaultAccessTokenTTL)
	def(&opts.IDTokenTTL, DefaultIDTokenTTL)
	def(&opts.RefreshTTL, DefaultRefreshTTL)
	def(&opts.AuthRequestTTL, DefaultAuthRequestTTL)
	def(&opts.KeyRefresh, DefaultKeyRefresh)
	if opts.MaxPendingAuthRequests <= 0 {
		opts.MaxPendingAuthRequests = MaxPendingAuthRequests
	}
	p := &Provider{opts: opts, ops: map[string]*op.Provider{}, discovery: map[string]discoveryDoc{},
		keys: &keyring{st: opts.Store, now: opts.Now, refresh: opts.KeyRefresh, alg: opts.SigningAlg}}
	if _, err := ParseSigningAlg(opts.SigningAlg); err != nil {
		return nil, err
	}
	var fresh [32]byte
	if _, err := rand.Read(fresh[:]); err != nil {
		return nil, err
	}
	key, err := opts.Store.EnsureOIDCSecret(ctx, codeKeyName, fresh[:], opts.Now())
	if err != nil {
		return nil, fmt.Errorf("oidc: code secret: %w", err)
	}
	if len(key) != len(p.codeKey) {
		return nil, errors.New("oidc: stored code secret has the wrong size")
	}
	copy(p.codeKey[:], key)
	if _, _, err := p.keys.snapshot(ctx); err != nil {
		return nil, fmt.Errorf("oidc: signing keys: %w", err)
	}
	p.bcl = newBackChannel(p)
	return p, nil
}

// ParseSigningAlg checks a signing algorithm name ("" is RS256).
func ParseSigningAlg(alg string) (string, error) {
	switch alg {
	case "", AlgRS256:
		return AlgRS256, nil
	case AlgES256:
		return AlgES256, nil
	}
	return "", fmt.Errorf("oidc: signing algorithm %q is not RS256 or ES256", alg)
}

// MaxTokenLifetime is how long a signed token can stay valid: a retired
// key stays in the JWKS this long after its successor takes over.
func (p *Provider) MaxTokenLifetime() time.Duration {
	return max(p.opts.AccessTokenTTL, p.opts.IDTokenTTL) + time.Minute
}

// KeyActivationDelay is how long a rotated-in key is published before it
// signs: twice the key refresh, so every replica has it in its JWKS first.
func (p *Provider) KeyActivationDelay() time.Duration { return 2 * p.opts.KeyRefresh }

// Issuer is the issuer URL of a workspace.
func (p *Provider) Issuer(slug string) string { return p.opts.PublicURL + "/oidc/" + slug }

// Prefix is the path every endpoint of a workspace's provider is under.
func Prefix(slug string) string { return "/oidc/" + slug }

// LoginPath is the hand-off page the provider sends browsers to (served by
// the web layer): it finishes the authorization when the browser is
// signed in to the workspace.
func LoginPath(slug string) string { return Prefix(slug) + "/login" }

// ServeHTTP serves one request for ws; the request path must be under
// Prefix(ws.Slug). The caller has checked that ws exists.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request, ws *store.Workspace) {
	o, err := p.forWorkspace(ws)
	if err != nil {
		p.opts.Log.Error("oidc: provider", "workspace", ws.Slug, "err", err)
		http.Error(w, "server_error", http.StatusInternalServerError)
		return
	}
	if r.URL.Path == Prefix(ws.Slug)+"/.well-known/openid-configuration" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		p.serveDiscovery(w, r, ws)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), requestCacheKey{}, &requestCache{}))
	http.StripPrefix(Prefix(ws.Slug), o).ServeHTTP(w, r)
}

// requestCache holds what one HTTP request has read already: the op
// package asks for the same client up to three times per token request.
// It lives only as long as the request, so nothing is ever stale.
type requestCache struct {
	mu       sync.Mutex
	clients  map[string]*store.OIDCClient
	consumed string // the pending request whose code was consumed
}

type requestCacheKey struct{}

// cachedClient returns the request's cached copy of a client, or nil.
func cachedClient(ctx context.Context, id string) *store.OIDCClient {
	if rc, ok := ctx.Value(requestCacheKey{}).(*requestCache); ok {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		return rc.clients[id]
	}
	return nil
}

// cacheClient remembers c for the rest of the request.
func cacheClient(ctx context.Context, c *store.OIDCClient) {
	if rc, ok := ctx.Value(requestCacheKey{}).(*requestCache); ok {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.clients == nil {
			rc.clients = map[string]*store.OIDCClient{}
		}
		rc.clients[c.ID] = c
	}
}

// discoveryDoc is a cached discovery document and the signing
// algorithms it was built for (a rotation to another algorithm rebuilds it).
type discoveryDoc struct {
	body []byte
	algs string
}

// serveDiscovery answers the discovery document from memory. It is the op
// package's document minus what Gatehouse does not offer: only the code
// flow (no implicit or hybrid response types, no JWT-bearer grant, no
// device flow), query response mode.
func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request, ws *store.Workspace) {
	keys, _, err := p.keys.snapshot(r.Context())
	if err != nil {
		p.opts.Log.Error("oidc: signing keys", "err", err)
		http.Error(w, "server_error", http.StatusInternalServerError)
		return
	}
	algs := fmt.Sprint(algorithms(keys))
	p.mu.Lock()
	doc := p.discovery[ws.ID].body
	if doc == nil || p.discovery[ws.ID].algs != algs {
		o := p.ops[ws.ID]
		ctx := op.ContextWithIssuer(r.Context(), p.Issuer(ws.Slug))
		d := op.CreateDiscoveryConfig(ctx, o, o.Storage())
		d.ResponseTypesSupported = []string{string(oidc.ResponseTypeCode)}
		d.ResponseModesSupported = []string{string(oidc.ResponseModeQuery)}
		d.GrantTypesSupported = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
		d.DeviceAuthorizationEndpoint = ""
		d.RequestParameterSupported = false
		var err error
		if doc, err = json.Marshal(d); err == nil {
			p.discovery[ws.ID] = discoveryDoc{body: doc, algs: algs}
		}
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(doc)
}

// forWorkspace returns the workspace's op provider, creating it once.
func (p *Provider) forWorkspace(ws *store.Workspace) (*op.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if o := p.ops[ws.ID]; o != nil {
		return o, nil
	}
	cfg := &op.Config{
		CryptoKey:                p.codeKey,
		CryptoKeyId:              "code1",
		DefaultLogoutRedirectURI: p.opts.PublicURL + "/login/" + ws.Slug + "?notice=signed_out",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.English},
		SupportedScopes:          []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile, ScopeGroups, oidc.ScopeOfflineAccess},
		SupportedClaims: []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "amr", "at_hash", "c_hash", "azp",
			"sid", "email", "email_verified", "name", "given_name", "family_name", "groups", "role", "workspace"},
		BackChannelLogoutSupported:        true,
		BackChannelLogoutSessionSupported: true,
	}
	var opOpts []op.Option
	if strings.HasPrefix(p.opts.PublicURL, "http://") {
		opOpts = append(opOpts, op.WithAllowInsecure())
	}
	st := &storage{p: p, ws: *ws}
	o, err := op.NewProvider(cfg, st, op.StaticIssuer(p.Issuer(ws.Slug)), opOpts...)
	if err != nil {
		return nil, err
	}
	st.op = o
	p.ops[ws.ID] = o
	return o, nil
}

// SessionID is the sid claim of a Gatehouse session: derived from the
// stored token hash, so it names the session without revealing anything
// that could be used as the session cookie.
func SessionID(s *store.Session) string {
	h := sha256.Sum256(append([]byte("gatehouse sid v1\x00"), s.TokenHash...))
	return base64.RawURLEncoding.EncodeToString(h[:16])
}

// newSecret is 32 random bytes, base64url.
func newSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
