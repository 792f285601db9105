package web

import (
	"net/http"
	"net/url"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
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
	cspFormAction(w.Header(), endpointOrigins(rt.md.SSO)...)
}

// allowSLOForm widens form-action on pages shown to a SAML session: their
// "Sign out" form posts to us and is then redirected to the IdP's single
// logout endpoint, which form-action 'self' would block (the browser then
// silently stays on the page, looking signed in).
func (s *Server) allowSLOForm(w http.ResponseWriter, r *http.Request, p *workspace.Principal) {
	if p == nil || p.Session.ConfigID == "" {
		return
	}
	cfg, err := s.store.GetSAMLConfig(r.Context(), p.Session.ConfigID)
	if err != nil || !cfg.Enabled {
		return
	}
	rt, err := s.runtime(cfg)
	if err != nil {
		return
	}
	cspFormAction(w.Header(), endpointOrigins(rt.md.SLO)...)
}

// endpointOrigins are the scheme://host of the http(s) endpoints.
func endpointOrigins(eps []saml.Endpoint) []string {
	var origins []string
	for _, e := range eps {
		if u, err := url.Parse(e.Location); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			origins = append(origins, u.Scheme+"://"+u.Host)
		}
	}
	return origins
}
