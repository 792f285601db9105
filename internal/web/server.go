// Package web is Gatehouse's HTTP layer: routes, server-rendered pages,
// sessions and CSRF, security headers, rate limits, the SAML endpoints and
// the /api/v1 JSON API. It contains no SQL and no provisioning rules: reads
// go to the store, every change goes through workspace.Service.
package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Options configure a Server. Configuration arrives as plain values (the
// cli reads internal/config and copies what the web layer needs).
type Options struct {
	Store   store.Store
	Service *workspace.Service
	// PublicURL is GATEHOUSE_PUBLIC_URL without a trailing slash; every
	// generated URL is built from it, never from the Host header.
	PublicURL string
	// SecureCookies sets the Secure attribute. Browsers keep Secure cookies
	// on http://localhost and http://127.0.0.1 too, so only turn it off for
	// plain-http deployments on other hosts.
	SecureCookies bool
	// CookieDomain (GATEHOUSE_COOKIE_DOMAIN) scopes the workspace session
	// cookies to a parent domain so protected sites on sibling subdomains
	// send them to forward auth; "" = host-only (docs/forward-auth.md).
	CookieDomain string
	// MaxResponseBytes caps a decoded SAMLResponse; 0 = saml.DefaultMaxResponseSize.
	MaxResponseBytes int
	// SetupToken is the one-time token the first-run setup page asks for;
	// empty disables the setup page.
	SetupToken string
	// GroupMappings returns TJ_SAML_GROUP_MAPPINGS__{slug} (nil when unset,
	// an error when invalid); nil means no environment mappings.
	GroupMappings func(slug string) (map[string]string, error)
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for rate limiting; empty = use the peer address.
	TrustedProxies []netip.Prefix
	// SSOConfig validates, saves and refreshes SAML configs; nil = one
	// built from these options (AllowPrivateMetadataURLs, MetadataClient).
	SSOConfig *ssoconfig.Manager
	// AllowPrivateMetadataURLs lets metadata URLs point at private
	// addresses (when SSOConfig is nil).
	AllowPrivateMetadataURLs bool
	// MetadataClient supplies TLS settings for metadata URL fetches
	// (tests; when SSOConfig is nil); nil = system roots. Its dialer and
	// redirects are always internal/saml's own.
	MetadataClient *http.Client
	// Mailer sends invitation and reset links (GATEHOUSE_SMTP_URL); nil =
	// no SMTP: the admin is shown each link to pass on.
	Mailer Mailer
	// ForwardAuthCacheTTL (GATEHOUSE_FORWARD_AUTH_CACHE_TTL) is how long a
	// forward-auth answer may be reused: the staleness bound of sign-out on
	// other replicas, archiving and role changes (docs/forward-auth.md).
	// 0 reads the database on every check.
	ForwardAuthCacheTTL time.Duration
	// Logger receives request and security logs; nil = slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// OIDC is the OpenID Connect provider mounted at /oidc/{slug}; nil = none.
	OIDC *oidc.Provider
	// Apps manages applications (OIDC clients) for the settings page and
	// the API; nil when OIDC is nil.
	Apps *oidc.Apps
	// Registry receives the metrics served on /metrics; nil = a fresh one
	// with the Go and process collectors.
	Registry *prometheus.Registry
}

// Server serves Gatehouse's pages and endpoints. Create it with New.
type Server struct {
	opts      Options
	store     store.Store
	svc       *workspace.Service
	log       *slog.Logger
	now       func() time.Time
	publicURL *url.URL
	pages     *pageSet
	metrics   *metrics
	limiter   *rateLimiter
	mdCache   *metadataCache
	sso       *ssoconfig.Manager
	forward   *forwardauth.Checker
	handler   http.Handler
	ready     readiness  // /readyz's cached write probe
	mail      *mailQueue // "Forgot password?" mails (mail_queue.go)
}

// New checks opts and builds the Server with its routes.
func New(opts Options) (*Server, error) {
	if opts.Store == nil || opts.Service == nil {
		return nil, errors.New("web: Options.Store and Options.Service are required")
	}
	pub, err := parsePublicURL(opts.PublicURL)
	if err != nil {
		return nil, err
	}
	opts.PublicURL = strings.TrimRight(pub.String(), "/")
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ownRegistry := opts.Registry == nil
	if ownRegistry {
		opts.Registry = prometheus.NewRegistry()
	}
	pages, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: opts, store: opts.Store, svc: opts.Service, log: opts.Logger, now: opts.Now,
		publicURL: pub, pages: pages,
		metrics: newMetrics(opts.Registry, ownRegistry),
		limiter: newRateLimiter(),
		mdCache: newMetadataCache(),
		sso:     opts.SSOConfig,
		forward: forwardauth.NewChecker(opts.Store, opts.ForwardAuthCacheTTL, opts.Now),
		mail:    newMailQueue(opts.Logger),
	}
	if s.sso == nil {
		s.sso = ssoconfig.New(ssoconfig.Options{Store: opts.Store, Service: opts.Service, PublicURL: opts.PublicURL,
			AllowPrivateMetadataURLs: opts.AllowPrivateMetadataURLs, Now: opts.Now, Logger: opts.Logger})
		s.sso.Fetch.Client = opts.MetadataClient
	}
	s.handler = s.middleware(s.routes())
	return s, nil
}

// Handler is the complete HTTP handler (routes wrapped in the middleware).
func (s *Server) Handler() http.Handler { return s.handler }

// parsePublicURL accepts an absolute http(s) URL without query or fragment.
func parsePublicURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("web: PublicURL must be an absolute http(s) URL without query or fragment")
	}
	return u, nil
}

// url builds an absolute URL on the public base from a path.
func (s *Server) url(path string) string { return s.opts.PublicURL + path }

// origin is the scheme://host[:port] of the public URL, for Origin checks.
func (s *Server) origin() string { return s.publicURL.Scheme + "://" + s.publicURL.Host }

// acsURL is a config's ACS URL, which is also its SP entity ID (docs/saml.md, setup step 3).
func (s *Server) acsURL(configID string) string {
	return s.url("/api/sso/saml/" + url.PathEscape(configID))
}
