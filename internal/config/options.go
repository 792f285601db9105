package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Option is one setting: its flag, environment variable, default and doc.
type Option struct {
	Flag    string // flag name for `gatehouse serve`, e.g. "public-url"
	Env     string // environment variable, e.g. GATEHOUSE_PUBLIC_URL
	Default string // as text, exactly as it would be written in the environment
	Doc     string // one sentence for -h and docs/configuration.md
	Secret  bool   // never echoed in errors or logs
	set     func(c *Config, v string) error
}

// Options lists every option in documentation order.
func Options() []Option { return append([]Option(nil), table...) }

var table = []Option{
	{Flag: "addr", Env: "GATEHOUSE_ADDR", Default: ":8080",
		Doc: "Listen address (host:port; an empty host listens on every interface).", set: setAddr},
	{Flag: "public-url", Env: "GATEHOUSE_PUBLIC_URL", Default: "http://localhost:8080",
		Doc: "Public base URL users and identity providers reach Gatehouse at (http or https, no path, query or fragment); every generated URL (ACS, metadata, redirects) is built from it, never from the Host header.", set: setPublicURL},
	{Flag: "data-dir", Env: "GATEHOUSE_DATA_DIR", Default: "./data",
		Doc: "Directory of the SQLite database file gatehouse.db (created if missing; unused with PostgreSQL).", set: setDataDir},
	{Flag: "database-url", Env: "GATEHOUSE_DATABASE_URL", Default: "", Secret: true,
		Doc: "PostgreSQL URL (postgres://user:password@host:5432/db?sslmode=verify-full); empty uses SQLite in the data directory. Several replicas share one PostgreSQL.", set: setDatabaseURL},
	{Flag: "database-max-conns", Env: "GATEHOUSE_DATABASE_MAX_CONNS", Default: "25",
		Doc: "Most PostgreSQL connections one Gatehouse process opens (1 to 1000); keep replicas times this below the server's max_connections. Ignored with SQLite.", set: setMaxConns},
	{Flag: "database-connect-timeout", Env: "GATEHOUSE_DATABASE_CONNECT_TIMEOUT", Default: "10s",
		Doc: "How long the start-up waits for the database to accept the connection and answer the first query before giving up with an error (Go duration, 1s to 10m); a host that accepts connections and never answers would otherwise hang the start for ever.", set: durationIn(func(c *Config) *time.Duration { return &c.DatabaseConnectTimeout }, time.Second, 10*time.Minute)},
	{Flag: "log-level", Env: "GATEHOUSE_LOG_LEVEL", Default: "info",
		Doc: "Log level: debug, info, warn or error.", set: setLogLevel},
	{Flag: "log-format", Env: "GATEHOUSE_LOG_FORMAT", Default: "text",
		Doc: "Log format: text or json.", set: setLogFormat},
	{Flag: "session-ttl", Env: "GATEHOUSE_SESSION_TTL", Default: "12h",
		Doc: "Lifetime of a sign-in session (Go duration, 1m to 720h).", set: durationIn(func(c *Config) *time.Duration { return &c.SessionTTL }, time.Minute, 720*time.Hour)},
	{Flag: "saml-max-response-bytes", Env: "GATEHOUSE_SAML_MAX_RESPONSE_BYTES", Default: "262144",
		Doc: "Largest decoded SAML response accepted, in bytes (4096 to 16777216).", set: setMaxResponse},
	{Flag: "allow-private-metadata-urls", Env: "GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS", Default: "false",
		Doc: "Allow IdP metadata URLs that resolve to private, loopback or link-local addresses (off: protects against server-side request forgery).", set: boolField(func(c *Config) *bool { return &c.AllowPrivateMetadataURLs })},
	{Flag: "metadata-refresh", Env: "GATEHOUSE_METADATA_REFRESH", Default: "1h",
		Doc: "How often IdP metadata configured by URL is fetched again (Go duration, at least 1m).", set: durationIn(func(c *Config) *time.Duration { return &c.MetadataRefresh }, time.Minute, 0)},
	{Flag: "cleanup-interval", Env: "GATEHOUSE_CLEANUP_INTERVAL", Default: "1m",
		Doc: "How often expired sessions, outstanding SAML requests and replay-cache entries are deleted (Go duration, at least 1s).", set: durationIn(func(c *Config) *time.Duration { return &c.CleanupInterval }, time.Second, 0)},
	{Flag: "audit-response-retention", Env: "GATEHOUSE_AUDIT_RESPONSE_RETENTION", Default: "168h",
		Doc: "How long the redacted SAML response of a failed sign-in, and the event's message (which may quote it), are kept in the audit log (Go duration; 0 keeps none past the next cleanup).", set: durationIn(func(c *Config) *time.Duration { return &c.AuditResponseRetention }, 0, 0)},
	{Flag: "password-hash-concurrency", Env: "GATEHOUSE_PASSWORD_HASH_CONCURRENCY", Default: "0",
		Doc: "Most password hashes (argon2id, 64 MiB each) computed at once, 0 to 256; 0 sizes it from GOMEMLIMIT (half of it, 64 MiB per hash) or, without one, the CPU count, at most 32. Attempts beyond it wait up to 2s, then get 503 with Retry-After.", set: setHashConcurrency},
	{Flag: "trusted-proxies", Env: "GATEHOUSE_TRUSTED_PROXIES", Default: "",
		Doc: "Comma-separated IPs or CIDR prefixes of reverse proxies whose X-Forwarded-For is believed for rate limits; empty uses the connection's peer address.", set: setTrustedProxies},
	{Flag: "smtp-url", Env: "GATEHOUSE_SMTP_URL", Default: "", Secret: true,
		Doc: "SMTP server for invitations and password reset links: smtp://user:password@host:587?from=gatehouse@example.com (STARTTLS when offered) or smtps://...:465; empty sends no mail and shows the admin each link to pass on.", set: setSMTPURL},
	{Flag: "oidc-key-rotation", Env: "GATEHOUSE_OIDC_KEY_ROTATION", Default: "720h",
		Doc: "How often the OpenID Connect signing key is rotated automatically (Go duration, at least 1h; 0 turns scheduled rotation off; `gatehouse keys rotate` rotates by hand).", set: setKeyRotation},
	{Flag: "oidc-signing-alg", Env: "GATEHOUSE_OIDC_SIGNING_ALG", Default: "RS256",
		Doc: "Algorithm of OpenID Connect signing keys generated from now on (first start, rotation): RS256 (every client supports it) or ES256 (much cheaper to sign).", set: setSigningAlg},
	{Flag: "secure-cookies", Env: "GATEHOUSE_SECURE_COOKIES", Default: "auto",
		Doc: "Secure attribute on cookies: auto (on when the public URL is https), true or false.", set: setSecureCookies},
	{Flag: "cookie-domain", Env: "GATEHOUSE_COOKIE_DOMAIN", Default: "",
		Doc: "Parent domain for the workspace forward-auth cookies (e.g. example.com), so forward auth works for protected sites at sibling subdomains; every host under it then receives them, never the session cookie, which is always host-only (docs/forward-auth.md). Empty: host-only cookies.", set: setCookieDomain},
	{Flag: "forward-auth-cache-ttl", Env: "GATEHOUSE_FORWARD_AUTH_CACHE_TTL", Default: "2s",
		Doc: "How long a forward-auth answer is reused (Go duration, 0 to 1m; 0 reads the database on every check): archiving, role changes and sign-outs on other replicas reach protected sites within it.", set: durationIn(func(c *Config) *time.Duration { return &c.ForwardAuthCacheTTL }, 0, time.Minute)},
}

// setCookieDomain accepts a lowercase DNS name with at least two labels
// ("example.com"; a leading dot is dropped). That the public URL's host
// lies within it is checked once every option is read.
func setCookieDomain(c *Config, v string) error {
	d := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(v)), ".")
	if d == "" {
		c.CookieDomain = ""
		return nil
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 || len(d) > 253 {
		return errors.New("want a parent domain such as example.com")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || l[0] == '-' || l[len(l)-1] == '-' {
			return errors.New("want a DNS name such as example.com (letters, digits, hyphens, dots)")
		}
	}
	c.CookieDomain = d
	return nil
}

func setAddr(c *Config, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("want host:port, e.g. :8080 or 127.0.0.1:8080")
	}
	if p, err := strconv.ParseUint(port, 10, 16); err != nil || (p == 0 && port != "0") {
		return fmt.Errorf("bad port %q", port)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Errorf("bad host %q", host)
	}
	c.Addr = v
	return nil
}

func setPublicURL(c *Config, v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return errors.New("not a URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an absolute http:// or https:// URL")
	case u.Host == "" || u.Hostname() == "":
		return errors.New("missing host")
	case u.User != nil:
		return errors.New("must not contain user information")
	case u.RawQuery != "" || u.ForceQuery:
		return errors.New("must not have a query")
	case u.Fragment != "" || strings.Contains(v, "#"):
		return errors.New("must not have a fragment")
	case u.Path != "" && u.Path != "/":
		return errors.New("must not have a path (Gatehouse serves from the root)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return fmt.Errorf("bad port %q", p)
		}
	}
	c.PublicURL = u.Scheme + "://" + u.Host
	return nil
}

func setDataDir(c *Config, v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("must not be empty")
	}
	c.DataDir = v
	return nil
}

func setDatabaseURL(c *Config, v string) error {
	if v == "" {
		c.DatabaseURL = ""
		return nil
	}
	if !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
		return errors.New("must start with postgres:// or postgresql:// (or be empty for SQLite)")
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return errors.New("not a valid postgres:// URL with a host")
	}
	c.DatabaseURL = v
	return nil
}

func setMaxConns(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return errors.New("want a whole number from 1 to 1000")
	}
	c.DatabaseMaxConns = n
	return nil
}

func setLogLevel(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "debug", "info", "warn", "error":
	default:
		return errors.New("want debug, info, warn or error")
	}
	return c.LogLevel.UnmarshalText([]byte(v))
}

func setLogFormat(c *Config, v string) error {
	if v != "text" && v != "json" {
		return errors.New("want text or json")
	}
	c.LogFormat = v
	return nil
}

func setMaxResponse(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 4096 || n > 16<<20 {
		return errors.New("want a whole number of bytes from 4096 to 16777216")
	}
	c.SAMLMaxResponseBytes = n
	return nil
}

func setTrustedProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := parsePrefix(item)
		if err != nil {
			return err
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}

// parsePrefix accepts a CIDR prefix or a single address (a /32 or /128).
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("bad CIDR prefix %q", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad IP address %q", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func setSecureCookies(c *Config, v string) error {
	if strings.EqualFold(v, "auto") {
		c.secureCookiesMode = "auto"
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return errors.New("want auto, true or false")
	}
	c.secureCookiesMode = map[bool]string{true: "on", false: "off"}[b]
	return nil
}

// boolField parses a strconv.ParseBool value into the chosen field.
func boolField(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		*field(c) = b
		return nil
	}
}

// durationIn parses a Go duration within [lo, hi] (hi 0 = no upper bound).
func durationIn(field func(*Config) *time.Duration, lo, hi time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return errors.New("want a Go duration such as 90s, 15m or 12h")
		}
		if d < lo || (hi > 0 && d > hi) {
			if hi > 0 {
				return fmt.Errorf("must be between %v and %v", lo, hi)
			}
			return fmt.Errorf("must be at least %v", lo)
		}
		*field(c) = d
		return nil
	}
}

func setSMTPURL(c *Config, v string) error {
	if v == "" {
		c.SMTPURL = ""
		return nil
	}
	// The shape only: internal/mail.ParseURL checks the rest when serve
	// starts (config imports nothing of ours).
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || u.Query().Get("from") == "" {
		return errors.New("want smtp://[user:password@]host[:port]?from=address, or the same with smtps")
	}
	c.SMTPURL = v
	return nil
}
func setHashConcurrency(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 256 {
		return errors.New("want a whole number from 0 (automatic) to 256")
	}
	c.PasswordHashConcurrency = n
	return nil
}

// setKeyRotation accepts 0 (off) or at least an hour: a shorter schedule
// would keep several keys published for no gain.
func setKeyRotation(c *Config, v string) error {
	if strings.TrimSpace(v) == "0" {
		c.OIDCKeyRotation = 0
		return nil
	}
	return durationIn(func(c *Config) *time.Duration { return &c.OIDCKeyRotation }, time.Hour, 0)(c, v)
}

// setSigningAlg accepts RS256 or ES256.
func setSigningAlg(c *Config, v string) error {
	switch v {
	case "RS256", "ES256":
		c.OIDCSigningAlg = v
		return nil
	}
	return errors.New("want RS256 or ES256")
}
