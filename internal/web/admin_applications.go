package web

import (
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// applicationsPage is the data of admin_applications.html.
type applicationsPage struct {
	Workspace *store.Workspace
	Tab       string
	Issuer    string
	Apps      []store.OIDCClient
	Groups    []store.Group
	// NewClientID and NewSecret are shown once, right after creation or
	// rotation (in this response only, never in a URL or a cookie).
	NewClientID, NewSecret string
	Flash, Error           string
	Form                   applicationForm // re-filled after a failed create
}

// applicationForm is the create form's values.
type applicationForm struct {
	Name, RedirectURIs, AllowedGroups, MinRole string
	Public                                     bool
}

// applicationNotices are the flash messages of post/redirect/get.
var applicationNotices = map[string]string{
	"updated": "Application saved.",
	"deleted": "Application deleted.",
}

// applicationPageRoutes registers Workspace settings > Applications.
func (s *Server) applicationPageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /settings/{slug}/applications", s.requireAdmin(s.handleApplications))
	mux.HandleFunc("POST /settings/{slug}/applications", s.requireAdmin(s.handleApplicationsPost))
}

// handleApplications lists the workspace's applications.
func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request) {
	page := &applicationsPage{Flash: applicationNotices[r.URL.Query().Get("notice")]}
	if f := s.takeFlash(w, r); f != nil {
		page.Flash, page.NewSecret, page.NewClientID = f.Message, f.Secret, f.Ref
	}
	s.renderApplications(w, r, http.StatusOK, page)
}

// handleApplicationsPost creates, updates, rotates the secret of, or
// deletes (after confirmation) an application. Every success redirects
// (post/redirect/get); a new secret travels in the sealed flash cookie and
// is shown once on the page that follows (flash.go).
func (s *Server) handleApplicationsPost(w http.ResponseWriter, r *http.Request) {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	ctx := r.Context()
	page := &applicationsPage{}
	id := r.PostFormValue("client_id")
	var err error
	switch r.PostFormValue("action") {
	case "create":
		page.Form = applicationForm{Name: r.PostFormValue("name"), RedirectURIs: r.PostFormValue("redirect_uris"),
			AllowedGroups: r.PostFormValue("allowed_groups"), MinRole: r.PostFormValue("min_role"), Public: r.PostFormValue("public") == "on"}
		in := appInputFromForm(r)
		in.Public = page.Form.Public
		var c *store.OIDCClient
		var secret string
		if c, secret, err = s.opts.Apps.Create(ctx, actor, ws.ID, in); err == nil {
			s.redirectFlash(w, r, "/settings/"+pathEscape(ws.Slug)+"/applications",
				flash{Message: "Application " + quote(c.Name) + " created.", Secret: secret, Ref: c.ID})
			return
		}
	case "rotate":
		var secret string
		if secret, err = s.opts.Apps.RotateSecret(ctx, actor, ws.ID, id); err == nil {
			s.redirectFlash(w, r, "/settings/"+pathEscape(ws.Slug)+"/applications",
				flash{Message: "New secret created; the old one no longer works.", Secret: secret, Ref: id})
			return
		}
	case "update":
		if _, err = s.opts.Apps.Update(ctx, actor, ws.ID, id, appInputFromForm(r)); err == nil {
			http.Redirect(w, r, "/settings/"+pathEscape(ws.Slug)+"/applications?notice=updated", http.StatusSeeOther)
			return
		}
	case "delete":
		if s.needsConfirmation(w, r, "application.delete", "action", "client_id") {
			return
		}
		if err = s.opts.Apps.Delete(ctx, actor, ws.ID, id); err == nil {
			http.Redirect(w, r, "/settings/"+pathEscape(ws.Slug)+"/applications?notice=deleted", http.StatusSeeOther)
			return
		}
	default:
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	status := http.StatusOK
	if err != nil {
		if status = errorStatus(err); status >= 500 {
			s.serverError(w, r, err)
			return
		}
		page.Flash, page.NewSecret, page.NewClientID, page.Error = "", "", "", errorMessage(err)
	}
	s.renderApplications(w, r, status, page)
}

// appInputFromForm reads an application's settings from a form: URIs
// one per line, groups comma-separated.
func appInputFromForm(r *http.Request) oidc.AppInput {
	var groups []string
	if g := strings.TrimSpace(r.PostFormValue("allowed_groups")); g != "" {
		groups = strings.Split(g, ",")
	}
	return oidc.AppInput{Name: r.PostFormValue("name"), RedirectURIs: strings.Split(r.PostFormValue("redirect_uris"), "\n"),
		PostLogoutRedirectURIs: strings.Split(r.PostFormValue("post_logout_redirect_uris"), "\n"), AllowedGroups: groups,
		MinRole: r.PostFormValue("min_role"), BackChannelLogoutURI: r.PostFormValue("backchannel_logout_uri")}
}

// renderApplications lists the applications around page.
func (s *Server) renderApplications(w http.ResponseWriter, r *http.Request, status int, page *applicationsPage) {
	ws := requestWorkspace(r)
	apps, err := s.opts.Apps.List(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	groups, err := s.store.ListGroups(r.Context(), ws.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Workspace, page.Tab, page.Apps, page.Groups = ws, "applications", apps, groups
	page.Issuer = s.opts.OIDC.Issuer(ws.Slug)
	if page.NewSecret != "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, status, "admin_applications.html", page)
}
