package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestSafeRedirect(t *testing.T) {
	cases := map[string]string{
		"/w/acme":             "/w/acme",
		"/w/acme?x=1#top":     "/w/acme?x=1#top",
		"/":                   "/",
		"":                    "",
		"//evil.com":          "",
		"/\\evil.com":         "",
		"https://evil.com":    "",
		"evil.com":            "",
		"javascript:alert(1)": "",
		"/%2F%2Fevil.com":     "",
		"/%5cevil.com":        "",
		"/a\\b":               "",
		"/a\nb":               "",
		"/" + strings.Repeat("a", maxRedirectLen): "",
	}
	for in, want := range cases {
		if got := safeRedirect(in); got != want {
			t.Errorf("safeRedirect(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactResponse(t *testing.T) {
	in := `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="_r">` +
		`<saml:Issuer>https://idp</saml:Issuer><ds:Signature><ds:SignedInfo><ds:Reference><ds:DigestValue>DIGEST</ds:DigestValue></ds:Reference></ds:SignedInfo>` +
		`<ds:SignatureValue>SIGVALUE</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>CERTDATA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>` +
		`<saml:Assertion><saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>secret@example.com</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>`
	out := redactResponse([]byte(in))
	for _, gone := range []string{"DIGEST", "SIGVALUE", "CERTDATA", "secret@example.com"} {
		if strings.Contains(out, gone) {
			t.Errorf("redacted copy keeps %q:\n%s", gone, out)
		}
	}
	for _, kept := range []string{"https://idp", `Name="email"`, "redacted"} {
		if !strings.Contains(out, kept) {
			t.Errorf("redacted copy lost %q:\n%s", kept, out)
		}
	}
	if out := redactResponse([]byte("<a><b>secret")); strings.Contains(out, "secret") {
		t.Errorf("malformed input kept: %q", out)
	}
	if redactResponse(nil) != "" {
		t.Error("empty input should give an empty copy")
	}
}

func TestLoginLimiter(t *testing.T) {
	l := newRateLimiter()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	allow := func(ip, account string, at time.Time) bool {
		ok, _ := l.take(at, l.loginKeys(ip, account)...)
		return ok
	}
	pair := int(loginPairRule.burst)
	for i := 0; i < pair; i++ {
		if !allow("1.1.1.1", "a@x", now) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, wait := l.take(now, l.loginKeys("1.1.1.1", "a@x")...); ok || wait != loginPairRule.every {
		t.Errorf("pair burst exceeded: ok %v, wait %v (want a refusal for %v)", ok, wait, loginPairRule.every)
	}
	if !allow("1.1.1.1", "b@x", now) {
		t.Error("another account from the same IP refused too early")
	}
	if !allow("1.1.1.2", "a@x", now) {
		t.Error("the same account from another IP refused")
	}
	if !allow("1.1.1.1", "a@x", now.Add(loginPairRule.every)) {
		t.Error("no refill after the interval")
	}
	// A refunded (successful) attempt does not count.
	l.refund(now.Add(loginPairRule.every), l.loginKeys("1.1.1.1", "a@x")...)
	if !allow("1.1.1.1", "a@x", now.Add(loginPairRule.every)) {
		t.Error("a refunded attempt still counted")
	}
	// The IP limit binds across accounts.
	l2 := newRateLimiter()
	allowed := 0
	for i := 0; i < int(loginIPRule.burst)+5; i++ {
		if ok, _ := l2.take(now, l2.loginKeys("2.2.2.2", string(rune('a'+i))+"@x")...); ok {
			allowed++
		}
	}
	if allowed != int(loginIPRule.burst) {
		t.Errorf("IP allowed %d attempts, want %d", allowed, int(loginIPRule.burst))
	}
	// The account ceiling binds across addresses.
	l3 := newRateLimiter()
	allowed = 0
	for i := 0; i < int(loginAccountRule.burst)+5; i++ {
		if ok, _ := l3.take(now, l3.loginKeys(fmt.Sprintf("10.0.0.%d", i), "a@x")...); ok {
			allowed++
		}
	}
	if allowed != int(loginAccountRule.burst) {
		t.Errorf("account allowed %d attempts from many addresses, want %d", allowed, int(loginAccountRule.burst))
	}
}

func TestLimitKeys(t *testing.T) {
	if addressKey("2001:db8:1:2:3:4:5:6") != addressKey("2001:db8:1:2:ffff::1") || addressKey("2001:db8:1:2::1") == addressKey("2001:db8:1:3::1") {
		t.Error("IPv6 addresses are not keyed by their /64")
	}
	if addressKey("192.0.2.1") != "192.0.2.1" {
		t.Error("IPv4 address changed")
	}
	if k := boundedKey(strings.Repeat("x", 1<<20)); len(k) > maxLimitKeyBytes {
		t.Errorf("a 1 MiB key is kept as %d bytes", len(k))
	}
}

func TestErrorPageShowsTraceAndNoInput(t *testing.T) {
	pages, err := loadPages()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"error.html", "login.html", "setup.html", "landing.html", "index.html", "saml_post.html"} {
		if pages.pages[p] == nil {
			t.Errorf("page %s not loaded", p)
		}
	}
	pub, _ := parsePublicURL("https://sso.example.test")
	s := &Server{pages: pages, log: slog.New(slog.NewTextHandler(io.Discard, nil)), publicURL: pub,
		metrics: newMetrics(prometheus.NewRegistry(), false)}
	var seen string
	h := s.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = traceID(r)
		s.errorPage(w, r, http.StatusBadRequest)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x?q=%3Cscript%3Eevil%3C/script%3E", nil))
	out := rec.Body.String()
	if rec.Code != http.StatusBadRequest || len(seen) != 32 || !strings.Contains(out, seen) {
		t.Fatalf("status %d, trace %q, page:\n%s", rec.Code, seen, out)
	}
	if strings.Contains(out, "evil") {
		t.Error("error page echoes the request")
	}
}

func TestClientIP(t *testing.T) {
	s := &Server{opts: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	cases := []struct{ remote, xff, want string }{
		{"203.0.113.9:1234", "", "203.0.113.9"},
		{"203.0.113.9:1234", "1.2.3.4", "203.0.113.9"},             // untrusted peer: header ignored
		{"10.0.0.2:1234", "198.51.100.7", "198.51.100.7"},          // trusted proxy
		{"10.0.0.2:1234", "6.6.6.6, 198.51.100.7", "198.51.100.7"}, // left entries are the client's
		{"10.0.0.2:1234", "198.51.100.7, 10.0.0.3", "198.51.100.7"},
		{"10.0.0.2:1234", "garbage", "10.0.0.2"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("remote %s xff %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestHSTSOnlyOverHTTPS(t *testing.T) {
	for url, want := range map[string]bool{"https://sso.example.test": true, "http://localhost:8080": false} {
		pub, err := parsePublicURL(url)
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		(&Server{publicURL: pub}).securityHeaders(h)
		if got := h.Get("Strict-Transport-Security") != ""; got != want {
			t.Errorf("%s: HSTS %v, want %v", url, got, want)
		}
	}
	for _, bad := range []string{"", "ftp://x", "https://x/?q=1", "/relative", "https://x#f"} {
		if _, err := parsePublicURL(bad); err == nil {
			t.Errorf("public URL %q accepted", bad)
		}
	}
}

func TestRecoverShows500WithTrace(t *testing.T) {
	pages, err := loadPages()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := parsePublicURL("https://sso.example.test")
	var logs strings.Builder
	s := &Server{pages: pages, log: slog.New(slog.NewTextHandler(&logs, nil)), publicURL: pub,
		metrics: newMetrics(prometheus.NewRegistry(), false)}
	h := s.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	m := traceRe.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusInternalServerError || m == nil {
		t.Fatalf("panic: %d\n%s", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logs.String(), m[1]) || !strings.Contains(logs.String(), "boom") {
		t.Error("the panic is not logged with the trace ID")
	}
	if rec.Header().Get("Content-Security-Policy") == "" {
		t.Error("the 500 page lacks the security headers")
	}
}
