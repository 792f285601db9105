package web

import "net/http"

// apiHandler is a JSON API handler that runs after bearer authentication;
// c holds the token and its workspace (which matched the path's {slug}).
type apiHandler func(w http.ResponseWriter, r *http.Request, c *apiCaller)

// apiRoutes registers /api/v1 (SPEC §3). Every route needs a bearer token
// of the {slug} workspace; cookies are never looked at, so a browser
// session cannot be used against the API (no CSRF surface).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	const p = "/api/v1/workspaces/{slug}"
	mux.HandleFunc("GET "+p+"/login-settings", s.requireToken(s.apiGetLoginSettings))
	mux.HandleFunc("PUT "+p+"/login-settings", s.requireToken(s.apiPutLoginSettings))
	mux.HandleFunc("GET "+p+"/saml", s.requireToken(s.apiGetSAML))
	mux.HandleFunc("PUT "+p+"/saml", s.requireToken(s.apiPutSAML))
	mux.HandleFunc("GET "+p+"/group-mappings", s.requireToken(s.apiGetMappings))
	mux.HandleFunc("PUT "+p+"/group-mappings", s.requireToken(s.apiPutMappings))
	mux.HandleFunc("GET "+p+"/members", s.requireToken(s.apiGetMembers))
	mux.HandleFunc("GET "+p+"/groups", s.requireToken(s.apiGetGroups))
	mux.HandleFunc("GET "+p+"/idp-groups-seen", s.requireToken(s.apiGetSeenGroups))
	// Anything else under /api/v1 is a JSON 404, not the HTML page.
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, apiError{Error: "no such endpoint", Code: apiCodeNotFound})
	})
}
