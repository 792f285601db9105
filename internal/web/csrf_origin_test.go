package web

import (
	"net/http/httptest"
	"net/url"
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
