package web

import "net/http"

// apiHandler is a JSON API handler that runs after bearer authentication;
// c holds the token and its workspace (which matched the path's {slug}).
type apiHandler func(w http.ResponseWriter, r *http.Request, c *apiCaller)

// apiEndpoint is one /api/v1 path with its handlers by method.
type apiEndpoint struct {
	path     string
	get, put apiHandler
}

// apiRoutes registers /api/v1 (docs/endpoints.md). Every route needs a bearer token
// of the {slug} workspace; cookies are never looked at, so a browser
// session cannot be used against the API (no CSRF surface).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	const p = "/api/v1/workspaces/{slug}"
	for _, e := range []apiEndpoint{
		{p + "/login-settings", s.apiGetLoginSettings, s.apiPutLoginSettings},
		{p + "/saml", s.apiGetSAML, s.apiPutSAML},
		{p + "/group-mappings", s.apiGetMappings, s.apiPutMappings},
		{p + "/members", s.apiGetMembers, nil},
		{p + "/groups", s.apiGetGroups, nil},
		{p + "/idp-groups-seen", s.apiGetSeenGroups, nil},
	} {
		allow := "GET, HEAD"
		mux.HandleFunc("GET "+e.path, s.requireToken(e.get))
		if e.put != nil {
			mux.HandleFunc("PUT "+e.path, s.requireToken(e.put))
			allow += ", PUT"
		}
		mux.HandleFunc(e.path, apiMethodNotAllowed(allow))
	}
	// Anything else under /api/v1 is a JSON 404, not the HTML page.
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, apiError{Error: "no such endpoint", Code: apiCodeNotFound})
	})
}

// apiMethodNotAllowed answers a known path with an unsupported method.
func apiMethodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeAPIError(w, http.StatusMethodNotAllowed, apiError{Error: "method " + r.Method + " not allowed; use " + allow, Code: apiCodeMethodNotAllowed})
	}
}
