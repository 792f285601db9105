package config

import (
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// Redacted is the configuration for the startup log line: every option by
// flag name, with the password of the database URL replaced. Pass it to
// slog as a value (log.Info("starting", "config", cfg.Redacted())).
func (c *Config) Redacted() slog.Value {
	proxies := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		proxies[i] = p.String()
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("public_url", c.PublicURL),
		slog.String("data_dir", c.DataDir),
		slog.String("database", redactURL(c.DatabaseURL)),
		slog.Int("database_max_conns", c.DatabaseMaxConns),
		slog.Duration("database_connect_timeout", c.DatabaseConnectTimeout),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("log_format", c.LogFormat),
		slog.Duration("session_ttl", c.SessionTTL),
		slog.Int("saml_max_response_bytes", c.SAMLMaxResponseBytes),
		slog.Bool("allow_private_metadata_urls", c.AllowPrivateMetadataURLs),
		slog.Duration("metadata_refresh", c.MetadataRefresh),
		slog.Duration("oidc_key_rotation", c.OIDCKeyRotation),
		slog.String("oidc_signing_alg", c.OIDCSigningAlg),
		slog.Bool("oidc_allow_private_backchannel", c.OIDCAllowPrivateBackChannel),
		slog.Duration("cleanup_interval", c.CleanupInterval),
		slog.Duration("audit_response_retention", c.AuditResponseRetention),
		slog.Int("password_hash_concurrency", c.PasswordHashConcurrency),
		slog.String("trusted_proxies", strings.Join(proxies, ",")),
		slog.String("secure_cookies", strconv.FormatBool(c.SecureCookies)),
		slog.String("smtp_url", redactSMTP(c.SMTPURL)),
		slog.String("cookie_domain", c.CookieDomain),
		slog.Duration("forward_auth_cache_ttl", c.ForwardAuthCacheTTL),
	)
}

// redactURL hides the password of a database URL (and a password given
// as a query parameter); "" reads as the SQLite default.
func redactURL(s string) string {
	if s == "" {
		return "sqlite"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable, hidden)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// redactSMTP hides the SMTP password; "" reads as "off".
func redactSMTP(s string) string {
	if s == "" {
		return "off"
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable, hidden)"
	}
	return u.Redacted()
}
