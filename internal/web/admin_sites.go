package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// sitesPage is the data of admin_sites.html (Workspace settings >
// Applications > Protected sites).
type sitesPage struct {
	Workspace    *store.Workspace
	Tab          string
	Sites        []store.ProtectedSite
	ForwardURL   string // the check URL for the proxy configuration
	SignOutURL   string // the sign-out link a site can show
	CacheSeconds float64
	URL          string // re-filled after a refused add
	Flash, Error string
}

// adminSiteRoutes registers the protected-sites settings page.
func (s *Server) adminSiteRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/{slug}/protected-sites", s.requireAdmin(s.handleSites))
	mux.HandleFunc("POST /settings/{slug}/protected-sites", s.requireAdmin(s.handleSitesPost))
}

// handleSites lists the workspace's protected sites.
func (s *Server) handleSites(w http.ResponseWriter, r *http.Request) {
	page := &sitesPage{}
	if f := s.takeFlash(w, r); f != nil {
		page.Flash = f.Message
	}
	s.renderSites(w, r, http.StatusOK, page)
}

// handleSitesPost adds or removes a site (CSRF-checked by the middleware);
// a success redirects back to the page with a flash.
func (s *Server) handleSitesPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	sites := forwardauth.Sites{Store: s.store, Now: s.now}
	page := &sitesPage{}
	var err error
	switch r.PostFormValue("action") {
	case "add":
		var site *store.ProtectedSite
		if site, err = sites.Add(r.Context(), actor, ws.ID, r.PostFormValue("url")); err == nil {
			page.Flash = "Protected site " + site.Origin + " added."
		}
	case "remove":
		if err = sites.Remove(r.Context(), actor, ws.ID, r.PostFormValue("site_id")); err == nil {
			page.Flash = "Protected site removed."
		}
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	s.forward.ForgetWorkspace(ws.Slug)
	status := http.StatusOK
	switch {
	case err == nil:
		// post/redirect/get: a reload never repeats the change.
		s.redirectFlash(w, r, "/settings/"+pathEscape(ws.Slug)+"/protected-sites", flash{Message: page.Flash})
		return
	case errors.Is(err, forwardauth.ErrInvalidSite), errors.Is(err, store.ErrConflict):
		status, page.Error, page.URL = http.StatusBadRequest, err.Error(), r.PostFormValue("url")
	case errors.Is(err, store.ErrNotFound):
		status, page.Error = http.StatusNotFound, "That site is not listed (any more)."
	default:
		s.serverError(w, r, err)
		return
	}
	s.renderSites(w, r, status, page)
}

// renderSites lists the sites around page.
func (s *Server) renderSites(w http.ResponseWriter, r *http.Request, status int, page *sitesPage) {
	ws := requestWorkspace(r)
	list, err := s.store.ListSites(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Sites = ws, "sites", list
	page.ForwardURL = s.url("/auth/forward/" + pathEscape(ws.Slug))
	page.SignOutURL = s.url("/logout/"+pathEscape(ws.Slug)) + "?rd="
	page.CacheSeconds = s.forward.TTL().Seconds()
	s.render(w, r, status, "admin_sites.html", page)
}
