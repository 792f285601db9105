package config

import (
	"bytes"
	"errors"
	"log/slog"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env is a getenv over a map.
func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Addr: ":8080", PublicURL: "http://localhost:8080", DataDir: "./data", DatabaseURL: "", DatabaseMaxConns: 25, DatabaseConnectTimeout: 10 * time.Second,
		LogLevel: slog.LevelInfo, LogFormat: "text", SessionTTL: 12 * time.Hour, SAMLMaxResponseBytes: 262144,
		MetadataRefresh: time.Hour, OIDCKeyRotation: 720 * time.Hour, OIDCSigningAlg: "RS256", CleanupInterval: time.Minute, AuditResponseRetention: 168 * time.Hour,
		ForwardAuthCacheTTL: 2 * time.Second, secureCookiesMode: "auto",
	}
	if c.TrustedProxies != nil || c.SecureCookies || c.AllowPrivateMetadataURLs {
		t.Fatalf("defaults: proxies %v, secure cookies %v, private metadata %v", c.TrustedProxies, c.SecureCookies, c.AllowPrivateMetadataURLs)
	}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", *c, want)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	vars := map[string]string{
		"GATEHOUSE_ADDR":                        "127.0.0.1:9000",
		"GATEHOUSE_PUBLIC_URL":                  "https://SSO.example.com/",
		"GATEHOUSE_DATA_DIR":                    "/var/lib/gatehouse",
		"GATEHOUSE_DATABASE_URL":                "postgres://gh:s3cret@db:5432/gh?sslmode=verify-full",
		"GATEHOUSE_DATABASE_MAX_CONNS":          "8",
		"GATEHOUSE_LOG_LEVEL":                   "DEBUG",
		"GATEHOUSE_LOG_FORMAT":                  "json",
		"GATEHOUSE_SESSION_TTL":                 "8h",
		"GATEHOUSE_SAML_MAX_RESPONSE_BYTES":     "524288",
		"GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS": "true",
		"GATEHOUSE_METADATA_REFRESH":            "30m",
		"GATEHOUSE_CLEANUP_INTERVAL":            "30s",
		"GATEHOUSE_AUDIT_RESPONSE_RETENTION":    "0",
		"GATEHOUSE_TRUSTED_PROXIES":             "10.0.0.0/8, 192.168.1.7 ,::1",
	}
	c, err := Load(env(vars), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.PublicURL != "https://SSO.example.com" || c.DataDir != "/var/lib/gatehouse" ||
		c.DatabaseURL != vars["GATEHOUSE_DATABASE_URL"] || c.DatabaseMaxConns != 8 || c.LogLevel != slog.LevelDebug || c.LogFormat != "json" ||
		c.SessionTTL != 8*time.Hour || c.SAMLMaxResponseBytes != 524288 || !c.AllowPrivateMetadataURLs ||
		c.MetadataRefresh != 30*time.Minute || c.CleanupInterval != 30*time.Second || c.AuditResponseRetention != 0 {
		t.Fatalf("from the environment: %+v", c)
	}
	wantProxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("::1/128")}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[0] != wantProxies[0] || c.TrustedProxies[1] != wantProxies[1] || c.TrustedProxies[2] != wantProxies[2] {
		t.Fatalf("trusted proxies = %v, want %v", c.TrustedProxies, wantProxies)
	}
	if !c.SecureCookies {
		t.Fatal("secure cookies must be on (auto) for an https public URL")
	}

	// Flags win over the environment.
	c, err = Load(env(vars), []string{"-addr", ":7000", "--public-url=http://gh.internal:8081", "-secure-cookies", "true", "-trusted-proxies="})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":7000" || c.PublicURL != "http://gh.internal:8081" || !c.SecureCookies || c.TrustedProxies != nil || c.LogFormat != "json" {
		t.Fatalf("flags over environment: %+v", c)
	}
}

func TestSecureCookies(t *testing.T) {
	for _, tc := range []struct {
		public, mode string
		want         bool
	}{
		{"http://localhost:8080", "", false},
		{"https://sso.example.com", "", true},
		{"https://sso.example.com", "auto", true},
		{"https://sso.example.com", "false", false},
		{"http://sso.example.com", "true", true},
		{"http://sso.example.com", "AUTO", false},
	} {
		c, err := Load(env(map[string]string{"GATEHOUSE_PUBLIC_URL": tc.public, "GATEHOUSE_SECURE_COOKIES": tc.mode}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.SecureCookies != tc.want {
			t.Errorf("public %s, mode %q: secure cookies %v, want %v", tc.public, tc.mode, c.SecureCookies, tc.want)
		}
	}
}

func TestPublicURL(t *testing.T) {
	good := map[string]string{
		"http://localhost:8080":     "http://localhost:8080",
		"https://sso.example.com/":  "https://sso.example.com",
		"https://[::1]:8443":        "https://[::1]:8443",
		"https://sso.example.com:1": "https://sso.example.com:1",
	}
	for in, want := range good {
		c, err := Load(env(map[string]string{"GATEHOUSE_PUBLIC_URL": in}), nil)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if c.PublicURL != want {
			t.Errorf("%q -> %q, want %q", in, c.PublicURL, want)
		}
	}
	for _, bad := range []string{
		"sso.example.com", "ftp://sso.example.com", "https://", "https:///x", "https://sso.example.com/gatehouse",
		"https://sso.example.com/?a=1", "https://sso.example.com?", "https://sso.example.com/#top",
		"https://user:pw@sso.example.com", "https://sso.example.com:99999", "https://sso.example.com:0", "//sso.example.com",
	} {
		_, err := Load(env(map[string]string{"GATEHOUSE_PUBLIC_URL": bad}), nil)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), "GATEHOUSE_PUBLIC_URL=") || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error %q must name the variable and the value", bad, err)
		}
	}
}

func TestBadValuesNameVariableAndValue(t *testing.T) {
	bad := map[string]string{
		"GATEHOUSE_ADDR":                        "8080",
		"GATEHOUSE_DATA_DIR":                    " ",
		"GATEHOUSE_DATABASE_MAX_CONNS":          "0",
		"GATEHOUSE_LOG_LEVEL":                   "verbose",
		"GATEHOUSE_LOG_FORMAT":                  "xml",
		"GATEHOUSE_SESSION_TTL":                 "12",
		"GATEHOUSE_SAML_MAX_RESPONSE_BYTES":     "100",
		"GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS": "maybe",
		"GATEHOUSE_METADATA_REFRESH":            "1s",
		"GATEHOUSE_CLEANUP_INTERVAL":            "-1m",
		"GATEHOUSE_AUDIT_RESPONSE_RETENTION":    "-1h",
		"GATEHOUSE_TRUSTED_PROXIES":             "10.0.0.0/33",
		"GATEHOUSE_SECURE_COOKIES":              "sometimes",
	}
	for k, v := range bad {
		_, err := Load(env(map[string]string{k: v}), nil)
		if err == nil {
			t.Errorf("%s=%q accepted", k, v)
			continue
		}
		if !strings.Contains(err.Error(), k+"=") || !strings.Contains(err.Error(), v) {
			t.Errorf("%s=%q: error %q must name the variable and the value", k, v, err)
		}
	}
	// Every problem is reported at once.
	_, err := Load(env(bad), nil)
	for k := range bad {
		if err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("joined error does not mention %s: %v", k, err)
		}
	}
	// A bad flag is named as the flag.
	_, err = Load(env(nil), []string{"-session-ttl", "forever"})
	if err == nil || !strings.Contains(err.Error(), `-session-ttl="forever"`) {
		t.Errorf("bad flag: %v", err)
	}
}

func TestDatabaseURLNeverEchoed(t *testing.T) {
	for _, v := range []string{"mysql://root:hunter2@db/x", "postgres://gh:hunter2@/x", "hunter2"} {
		_, err := Load(env(map[string]string{"GATEHOUSE_DATABASE_URL": v}), nil)
		if err == nil {
			t.Errorf("%q accepted", v)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "GATEHOUSE_DATABASE_URL") {
			t.Errorf("error %q must name the variable and not echo the secret", err)
		}
	}
	c, err := Load(env(map[string]string{"GATEHOUSE_DATABASE_URL": "postgresql://gh@db/x"}), nil)
	if err != nil || c.DatabaseURL != "postgresql://gh@db/x" {
		t.Fatalf("postgresql:// URL: %v %v", c, err)
	}
}

func TestRedacted(t *testing.T) {
	c, err := Load(env(map[string]string{
		"GATEHOUSE_DATABASE_URL":    "postgres://gh:hunter2@db:5432/gh?sslmode=require&password=hunter3",
		"GATEHOUSE_TRUSTED_PROXIES": "10.1.0.0/16",
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", c.Redacted())
	line := buf.String()
	if strings.Contains(line, "hunter2") || strings.Contains(line, "hunter3") {
		t.Fatalf("secret in log line: %s", line)
	}
	for _, want := range []string{"config.addr=:8080", "config.public_url=http://localhost:8080", "db:5432", "config.trusted_proxies=10.1.0.0/16",
		"config.session_ttl=12h0m0s", "config.secure_cookies=false"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line lacks %q: %s", want, line)
		}
	}
	// Every option appears in the log line.
	for _, o := range Options() {
		key := "config." + strings.ReplaceAll(o.Flag, "-", "_")
		if o.Flag == "database-url" {
			key = "config.database"
		}
		if !strings.Contains(line, key+"=") {
			t.Errorf("log line lacks option %s (%s)", o.Env, key)
		}
	}
}

func TestHelpAndBadFlags(t *testing.T) {
	if _, err := Load(env(nil), []string{"-h"}); !errors.Is(err, ErrHelp) {
		t.Fatalf("-h: %v, want ErrHelp", err)
	}
	if _, err := Load(env(nil), []string{"-no-such-flag"}); err == nil || errors.Is(err, ErrHelp) {
		t.Fatalf("unknown flag: %v", err)
	}
	if _, err := Load(env(nil), []string{"extra"}); err == nil {
		t.Fatal("a stray argument was accepted")
	}
	var buf bytes.Buffer
	Usage(&buf)
	for _, o := range Options() {
		if !strings.Contains(buf.String(), "-"+o.Flag+" ") || !strings.Contains(buf.String(), o.Env) {
			t.Errorf("usage lacks -%s / %s", o.Flag, o.Env)
		}
	}
}

func TestTableIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range Options() {
		if !strings.HasPrefix(o.Env, "GATEHOUSE_") || o.Flag == "" || o.Doc == "" || o.set == nil {
			t.Errorf("incomplete option %+v", o)
		}
		if want := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(o.Env, "GATEHOUSE_"), "_", "-")); o.Flag != want {
			t.Errorf("%s has flag -%s, want -%s", o.Env, o.Flag, want)
		}
		if seen[o.Env] {
			t.Errorf("duplicate %s", o.Env)
		}
		seen[o.Env] = true
	}
}
