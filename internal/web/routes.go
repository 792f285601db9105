package web

import "net/http"

// routes registers every endpoint (Go 1.22 ServeMux patterns). The admin
// pages and the JSON API register theirs in adminRoutes and apiRoutes.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /readyz", s.handleReadyz)
	mux.Handle("GET /metrics", s.metrics.handler)
	// Browsers ask for it on every first visit; no icon beats a 404 page.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /setup", s.handleSetupForm)
	mux.HandleFunc("POST /setup", s.handleSetup)
	mux.HandleFunc("GET /login/{slug}", s.handleLoginPage)
	mux.HandleFunc("POST /login/{slug}", s.handlePasswordLogin)
	mux.HandleFunc("POST /logout/{slug}", s.handleLogout)
	mux.HandleFunc("GET /w/{slug}", s.requireMember(s.handleLanding))

	mux.HandleFunc("GET /api/sso/saml/{configID}/login", s.handleSAMLStart)
	mux.HandleFunc("POST /api/sso/saml/{configID}", s.handleACS)
	mux.HandleFunc("GET /api/sso/saml/{configID}/metadata", s.handleSPMetadata)
	mux.HandleFunc("GET /api/sso/saml/{configID}/slo", s.handleSLO)
	mux.HandleFunc("POST /api/sso/saml/{configID}/slo", s.handleSLO)

	s.adminRoutes(mux)
	s.linkRoutes(mux)
	s.apiRoutes(mux)
	s.forwardRoutes(mux)
	s.scimRoutes(mux)
	s.oidcRoutes(mux)

	// Unknown paths get our 404 page (with headers and trace ID) rather
	// than the mux's plain text.
	mux.HandleFunc("/", s.notFound)
	return s.limitBodies(s.csrfMiddleware(mux))
}
