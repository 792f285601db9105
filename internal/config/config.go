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

	LogLevel  slog.Level
	LogFormat string // "text" or "json"

	SessionTTL               time.Duration
	SAMLMaxResponseBytes     int
	AllowPrivateMetadataURLs bool
	MetadataRefresh          time.Duration
	OIDCKeyRotation          time.Duration // 0 = no scheduled rotation
	CleanupInterval          time.Duration
	AuditResponseRetention   time.Duration
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed
	// (for rate limits); empty means the peer address is the client.
	TrustedProxies []netip.Prefix
	// SecureCookies is the resolved GATEHOUSE_SECURE_COOKIES ("auto" means
	// on exactly when PublicURL is https).
	SecureCookies bool

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
	return c, nil
}

// badValue names the variable (or flag) and the value, unless secret.
func badValue(o Option, source, v string, err error) error {
	if o.Secret {
		return fmt.Errorf("%s: invalid value (not shown: it may hold a secret): %v", source, err)
	}
	return fmt.Errorf("%s=%q: %v", source, v, err)
}
