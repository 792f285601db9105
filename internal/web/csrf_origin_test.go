package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Chromium posts "Origin: null" from pages with Referrer-Policy
// no-referrer (found by the e2e journeys); only Sec-Fetch-Site:
// same-origin makes that acceptable.
func TestSameOriginWithNullOrigin(t *testing.T) {
	s := &Server{publicURL: &url.URL{Scheme: "http", Host: "127.0.0.1:8080"}}
	for _, c := range []struct {
		origin, site string
		want         bool
	}{
		{"null", "same-origin", true},
		{"null", "cross-site", false},
		{"null", "", false},
		{"http://127.0.0.1:8080", "same-origin", true},
		{"http://evil.example", "same-origin", false},
		{"", "", true},
	} {
		r := httptest.NewRequest("POST", "/login/acme", nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if c.site != "" {
			r.Header.Set("Sec-Fetch-Site", c.site)
		}
		if got := s.sameOrigin(r); got != c.want {
			t.Errorf("Origin %q Sec-Fetch-Site %q: sameOrigin = %v, want %v", c.origin, c.site, got, c.want)
		}
	}
}

// The sign-in page's SSO button is a GET form whose target redirects to
// the IdP; browsers apply form-action to that redirect, so the page must
// allow the IdP's SSO origin (a real Chromium stayed on the page).
func TestLoginPageAllowsFormRedirectToIdP(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true, password: true})
	resp := e.get(e.client, "/login/acme")
	body(t, resp)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://idp.example.test") {
		t.Errorf("sign-in page CSP %q does not allow the redirect to the IdP", csp)
	}
}

// Pages shown to a SAML session carry a "Sign out" form that ends in a
// redirect to the IdP's single logout endpoint; form-action must allow it
// (in Chromium the sign-out otherwise silently did nothing).
func TestSAMLSessionPagesAllowSignOutRedirectToIdP(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	body(t, e.signIn(e.client, "alice@example.com", ""))
	resp := e.get(e.client, "/w/acme")
	body(t, resp)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://idp.example.test") {
		t.Errorf("landing page CSP %q does not allow the logout redirect to the IdP", csp)
	}
}
