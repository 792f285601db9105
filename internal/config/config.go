// Package config reads Gatehouse's settings. Every option is an
// environment variable GATEHOUSE_* with a flag of the same meaning for
// `gatehouse serve`; one table (options.go) drives parsing, the -h text
// and docs/configuration.md, so the three cannot drift apart.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Config is the parsed configuration, passed down as plain values.
type Config struct {
	Addr        string // listen address, host:port
	PublicURL   string // absolute http(s) base URL, no trailing slash
	DataDir     string // holds the SQLite database
	DatabaseURL string // postgres://... or "" for SQLite in DataDir (a secret: may hold a password)
	// DatabaseMaxConns caps this process's PostgreSQL connections.
	DatabaseMaxConns int
	// DatabaseConnectTimeout bounds connecting and the first query at start.
	DatabaseConnectTimeout time.Duration

	LogLevel  slog.Level
	LogFormat string // "text" or "json"

	SessionTTL               time.Duration
	SAMLMaxResponseBytes     int
	AllowPrivateMetadataURLs bool
	MetadataRefresh          time.Duration
	OIDCKeyRotation          time.Duration // 0 = no scheduled rotation
	OIDCSigningAlg           string        // RS256 or ES256
	// OIDCAllowPrivateBackChannel lets back-channel logout URIs be http or
	// point at private addresses (development, tests).
	OIDCAllowPrivateBackChannel bool
	CleanupInterval             time.Duration
	AuditResponseRetention      time.Duration
	// PasswordHashConcurrency bounds concurrent argon2id hashes; 0 sizes
	// the bound from GOMEMLIMIT or the CPU count (workspace.NewHashGate).
	PasswordHashConcurrency int
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed
	// (for rate limits); empty means the peer address is the client.
	TrustedProxies []netip.Prefix
	// SecureCookies is the resolved GATEHOUSE_SECURE_COOKIES ("auto" means
	// on exactly when PublicURL is https).
	SecureCookies bool
	// SMTPURL is GATEHOUSE_SMTP_URL (a secret: may hold a password); ""
	// sends no mail.
	SMTPURL string
	// CookieDomain (GATEHOUSE_COOKIE_DOMAIN) scopes the workspace session
	// cookies to a parent domain; "" = host-only.
	CookieDomain string
	// ForwardAuthCacheTTL bounds how long a forward-auth answer is reused.
	ForwardAuthCacheTTL time.Duration

	secureCookiesMode string // "auto", "on" or "off", until resolved
}

// resolveSecureCookies turns "auto" into on for https public URLs.
func (c *Config) resolveSecureCookies() {
	switch c.secureCookiesMode {
	case "on":
		c.SecureCookies = true
	case "off":
		c.SecureCookies = false
	default:
		c.SecureCookies = strings.HasPrefix(c.PublicURL, "https://")
	}
}

// ErrHelp is returned by Load when args ask for help (-h, -help); print
// Usage and exit successfully.
var ErrHelp = flag.ErrHelp

// Load builds the configuration from flags (args, as given to `gatehouse
// serve`), then the environment (getenv), then the defaults, in that
// order of precedence. Every bad value is reported, each naming its
// variable; secrets are never echoed.
func Load(getenv func(string) string, args []string) (*Config, error) {
	fs := flag.NewFlagSet("gatehouse serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller prints Usage; errors come back
	flagVals := make(map[string]*string, len(table))
	for _, o := range table {
		flagVals[o.Flag] = fs.String(o.Flag, "", o.Doc)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, ErrHelp
		}
		return nil, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("flags: unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	c := &Config{}
	var errs []error
	for _, o := range table {
		v, source := o.Default, o.Env
		if ev := getenv(o.Env); ev != "" {
			v = ev
		}
		if set[o.Flag] {
			v, source = *flagVals[o.Flag], "-"+o.Flag
		}
		if err := o.set(c, v); err != nil {
			errs = append(errs, badValue(o, source, v, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c.resolveSecureCookies()
	if err := c.checkCookieDomain(); err != nil {
		return nil, err
	}
	return c, nil
}

// badValue names the variable (or flag) and the value, unless secret.
func badValue(o Option, source, v string, err error) error {
	if o.Secret {
		return fmt.Errorf("%s: invalid value (not shown: it may hold a secret): %v", source, err)
	}
	return fmt.Errorf("%s=%q: %v", source, v, err)
}

// checkCookieDomain refuses a cookie domain the public URL's host is not
// within: browsers would drop every session cookie set for it.
func (c *Config) checkCookieDomain() error {
	if c.CookieDomain == "" {
		return nil
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil {
		return err
	}
	host := strings.ToLower(u.Hostname())
	if host != c.CookieDomain && !strings.HasSuffix(host, "."+c.CookieDomain) {
		return fmt.Errorf("GATEHOUSE_COOKIE_DOMAIN=%q: the public URL's host %q is not within it", c.CookieDomain, host)
	}
	return nil
}
