package web

import (
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
	l := newLoginLimiter()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < accountBurst; i++ {
		if !l.allow("1.1.1.1", "a@x", now) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.allow("1.1.1.1", "a@x", now) {
		t.Error("account burst exceeded")
	}
	if !l.allow("1.1.1.1", "b@x", now) {
		t.Error("another account from the same IP refused too early")
	}
	if !l.allow("1.1.1.1", "a@x", now.Add(accountRefill)) {
		t.Error("no refill after the interval")
	}
	// The IP limit binds across accounts.
	l2 := newLoginLimiter()
	allowed := 0
	for i := 0; i < ipBurst+5; i++ {
		if l2.allow("2.2.2.2", string(rune('a'+i))+"@x", now) {
			allowed++
		}
	}
	if allowed != ipBurst {
		t.Errorf("IP allowed %d attempts, want %d", allowed, ipBurst)
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
