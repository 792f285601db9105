package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeRedirect checks the property safeRedirect exists for: whatever
// it accepts, a browser resolving it against our origin stays on our
// origin (Go's URL resolution stands in for the browser's; backslashes,
// which browsers treat as '/', are refused outright).
func FuzzSafeRedirect(f *testing.F) {
	for _, s := range []string{"/w/acme", "//evil.com", `/\evil.com`, "https://evil.com", "/%2F%2Fevil", "/a?b=//c", "/./../x", "/\t/evil", "///evil"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://sso.example.test/login/acme")
	f.Fuzz(func(t *testing.T, p string) {
		got := safeRedirect(p)
		if got == "" {
			return
		}
		if got != p || strings.ContainsRune(got, '\\') {
			t.Fatalf("safeRedirect(%q) = %q", p, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			return // unparseable targets are not followed by Go clients; browsers see a same-origin path
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != base.Scheme {
			t.Fatalf("safeRedirect accepted %q, which resolves to %s", p, r)
		}
	})
}
