package web

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// handleLogout deletes the browser's session and, when it came from SAML
// and the IdP has a single logout endpoint, continues with SP-initiated
// logout at the IdP. Otherwise it lands on the sign-in page.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		s.notFound(w, r)
		return
	}
	var sess *store.Session
	if tok := s.sessionToken(r, slug); tok != "" {
		var err error
		sess, err = s.svc.SignOut(r.Context(), tok)
		if err != nil && !isSignedOutError(err) {
			s.serverError(w, r, err)
			return
		}
		s.forward.Forget(tok)
	}
	s.clearSessionCookie(w, slug)
	// back is the protected site the sign-out page came from (checked
	// against the workspace's sites), carried through the IdP's logout as
	// RelayState.
	back := s.signedOutTarget(r, slug)
	if sess != nil && sess.ConfigID != "" {
		if u := s.idpLogoutURL(r, sess, back); u != "" {
			http.Redirect(w, r, u, http.StatusFound)
			return
		}
	}
	if back != "" {
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, loginPath(slug)+"?notice=signed_out", http.StatusSeeOther)
}

// idpLogoutURL is the IdP's SLO URL with a LogoutRequest for sess, or ""
// when the IdP has no HTTP-Redirect SLO endpoint or anything fails (the
// local session is gone either way; a failure here is only logged).
func (s *Server) idpLogoutURL(r *http.Request, sess *store.Session, relayState string) string {
	cfg, err := s.store.GetSAMLConfig(r.Context(), sess.ConfigID)
	if err != nil || !cfg.Enabled {
		return ""
	}
	rt, err := s.runtime(cfg)
	if err != nil || !hasRedirectSLO(rt.md) {
		return ""
	}
	lr, err := rt.sp.NewLogoutRequest(rt.md, sess.NameID, sess.NameIDFormat, sess.SessionIndex, s.now())
	if err != nil {
		s.log.Warn("logout: could not build LogoutRequest", "trace_id", traceID(r), "err", err)
		return ""
	}
	u, err := lr.RedirectURL(relayState, rt.requestSigningKey())
	if err != nil {
		s.log.Warn("logout: could not encode LogoutRequest", "trace_id", traceID(r), "err", err)
		return ""
	}
	return u
}

// hasRedirectSLO reports whether the IdP offers HTTP-Redirect single logout.
func hasRedirectSLO(md *saml.IdPMetadata) bool {
	for _, e := range md.SLO {
		if e.Binding == saml.BindingHTTPRedirect {
			return true
		}
	}
	return false
}
