package web

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
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
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		s.notFound(w, r)
		return
	}
	ws, origins, err := s.forward.Workspace(r.Context(), slug)
	if s.lookupFailed(w, r, err) {
		return
	}
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
	s.render(w, r, http.StatusOK, "signout.html", signOutView{WorkspaceName: ws.Name, Slug: ws.Slug, Email: p.User.Email, Return: rd})
}

// signedOutTarget is where a sign-out at slug ends: the same-origin
// /auth/return path for a form's rd on a protected site, else "".
func (s *Server) signedOutTarget(r *http.Request, slug string) string {
	return s.returnPath(r, slug, r.PostFormValue("rd"))
}
