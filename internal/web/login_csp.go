package web

import (
	"net/http"
	"net/url"
)

// allowSSOForms widens the sign-in page's form-action to the origins of
// the IdP's SSO endpoints. The "Sign in with …" button is a GET form to
// our start URL, which redirects to the IdP, and browsers apply
// form-action to the redirects that follow a form submission: with
// form-action 'self' alone Chromium silently stays on the page (found by
// the e2e journeys).
func (s *Server) allowSSOForms(w http.ResponseWriter, lc *loginContext) {
	if lc == nil || lc.sso == nil {
		return
	}
	rt, err := s.runtime(lc.sso)
	if err != nil {
		return // the start URL reports the broken config when clicked
	}
	var origins []string
	for _, e := range rt.md.SSO {
		if u, err := url.Parse(e.Location); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			origins = append(origins, u.Scheme+"://"+u.Host)
		}
	}
	cspFormAction(w.Header(), origins...)
}
