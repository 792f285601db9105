package web

import (
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// signOutView is the data of signout.html.
type signOutView struct {
	WorkspaceName, Slug, Email string
	Return                     string // a URL on a protected site, already checked
}

// handleSignOutPage is the page protected sites link to
// (/logout/{slug}?rd=URL): a form, because a plain GET must never sign
// anyone out (any page could embed the link). Signed-out visitors go
// straight on to rd, or to the sign-in page.
func (s *Server) handleSignOutPage(w http.ResponseWriter, r *http.Request) {
	ws, origins, ok := s.forwardWorkspace(w, r)
	if !ok {
		return
	}
	slug := ws.Slug
	rd := forwardauth.CheckReturnURL(r.URL.Query().Get("rd"), origins)
	p, err := s.currentPrincipal(r, ws)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p == nil {
		if rd != "" {
			http.Redirect(w, r, rd, http.StatusFound)
			return
		}
		http.Redirect(w, r, loginPath(slug)+"?notice=signed_out", http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	// The form's answer redirects to the IdP's single logout (SAML
	// sessions) or back to the site: CSP form-action must allow both, or
	// the browser stops the redirect chain.
	cspFormAction(w.Header(), s.signOutFormOrigins(r, p, rd)...)
	s.render(w, r, http.StatusOK, "signout.html", signOutView{WorkspaceName: ws.Name, Slug: ws.Slug, Email: p.User.Email, Return: rd})
}

// signedOutTarget is where a sign-out at slug ends: the same-origin
// /auth/return path for a form's rd on a protected site, else "".
func (s *Server) signedOutTarget(r *http.Request, slug string) string {
	return s.returnPath(r, slug, r.PostFormValue("rd"))
}

// signOutFormOrigins are the origins the sign-out form's redirects reach:
// the IdP's single logout endpoints for a SAML session, and the site.
func (s *Server) signOutFormOrigins(r *http.Request, p *workspace.Principal, rd string) []string {
	var origins []string
	if u, err := url.Parse(rd); err == nil && rd != "" {
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	if p.Session.ConfigID == "" {
		return origins
	}
	cfg, err := s.store.GetSAMLConfig(r.Context(), p.Session.ConfigID)
	if err != nil || !cfg.Enabled {
		return origins
	}
	rt, err := s.runtime(cfg)
	if err != nil {
		return origins
	}
	return append(origins, endpointOrigins(rt.md.SLO)...)
}
