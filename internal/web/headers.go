package web

import (
	"net/http"
	"strings"
)

// defaultCSP allows only our own scripts, styles and images, no framing,
// and forms that post back to us. Pages never use inline scripts or styles.
const defaultCSP = "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries. Handlers that
// post a form to an IdP widen form-action with cspFormAction.
func (s *Server) securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", defaultCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// No page links out with secrets in its URL, but the ACS and the login
	// pages must never leak their URL to an IdP or a third party.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.publicURL.Scheme == "https" {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// cspFormAction allows a form to post to origins (the IdP's SSO or SLO
// endpoints) in addition to ourselves.
func cspFormAction(h http.Header, origins ...string) {
	csp := defaultCSP
	seen := map[string]bool{}
	for _, origin := range origins {
		if origin != "" && !seen[origin] && !strings.ContainsAny(origin, " ;,'\"") {
			csp += " " + origin
			seen[origin] = true
		}
	}
	h.Set("Content-Security-Policy", csp)
}
