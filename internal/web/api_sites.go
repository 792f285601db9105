package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// siteJSON is one protected site in the JSON API.
type siteJSON struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"` // the origin, e.g. https://dash.example.com
	CreatedAt time.Time `json:"createdAt"`
}

// siteInJSON is the body of POST .../sites.
type siteInJSON struct {
	URL string `json:"url"`
}

// apiSiteRoutes registers /api/v1/workspaces/{slug}/sites (token auth, as
// every /api/v1 route).
func (s *Server) apiSiteRoutes(mux *http.ServeMux) {
	const p = "/api/v1/workspaces/{slug}/sites"
	mux.HandleFunc("GET "+p, s.requireToken(s.apiGetSites))
	mux.HandleFunc("POST "+p, s.requireToken(s.apiPostSite))
	mux.HandleFunc(p, apiMethodNotAllowed("GET, HEAD, POST"))
	mux.HandleFunc("DELETE "+p+"/{id}", s.requireToken(s.apiDeleteSite))
	mux.HandleFunc(p+"/{id}", apiMethodNotAllowed("DELETE"))
}

// apiGetSites lists the workspace's protected sites.
func (s *Server) apiGetSites(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	list, err := s.store.ListSites(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := struct {
		Sites []siteJSON `json:"sites"`
	}{Sites: []siteJSON{}}
	for _, site := range list {
		out.Sites = append(out.Sites, siteJSON{ID: site.ID, URL: site.Origin, CreatedAt: site.CreatedAt.UTC()})
	}
	writeJSON(w, http.StatusOK, out)
}

// apiPostSite adds a protected site: 201 with the site, 400
// invalid_field for a URL that is not a bare http(s) origin, 409 conflict
// when it is listed already.
func (s *Server) apiPostSite(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in siteInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	site, err := forwardauth.Sites{Store: s.store, Now: s.now}.Add(r.Context(), c.actorID(), c.Workspace.ID, in.URL)
	switch {
	case errors.Is(err, forwardauth.ErrInvalidSite):
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeInvalidField, Field: "url"})
		return
	case errors.Is(err, store.ErrConflict):
		writeAPIError(w, http.StatusConflict, apiError{Error: err.Error(), Code: apiCodeConflict, Field: "url"})
		return
	case err != nil:
		s.apiServerError(w, r, err)
		return
	}
	s.forward.ForgetWorkspace(c.Workspace.Slug)
	writeJSON(w, http.StatusCreated, siteJSON{ID: site.ID, URL: site.Origin, CreatedAt: site.CreatedAt.UTC()})
}

// apiDeleteSite removes a site: 204, or 404 when it is not one of the
// workspace's.
func (s *Server) apiDeleteSite(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	err := forwardauth.Sites{Store: s.store, Now: s.now}.Remove(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		writeAPIError(w, http.StatusNotFound, apiError{Error: "no such site in this workspace", Code: apiCodeNotFound})
		return
	}
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	s.forward.ForgetWorkspace(c.Workspace.Slug)
	w.WriteHeader(http.StatusNoContent)
}
