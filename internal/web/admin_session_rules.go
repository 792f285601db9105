package web

import "net/http"

// checkSSOKeepsActor refuses disabling the SAML config through which the
// admin on the page is signed in: sessions follow the config
// (docs/access-rules.md, "Sessions follow the login rules"), so the save
// would sign them out at once, possibly with no other way back in.
func (s *Server) checkSSOKeepsActor(r *http.Request, enabled bool) error {
	p := requestPrincipal(r)
	if enabled || p == nil || p.Session.ConfigID == "" {
		return nil
	}
	cfg, err := s.store.GetSAMLConfigByWorkspace(r.Context(), requestWorkspace(r).ID)
	if err != nil || cfg.ID != p.Session.ConfigID || !cfg.Enabled {
		return nil
	}
	return &fieldError{"enabled", "You are signed in through this SSO: disabling it would sign you out at once. " +
		"Sign in with a password (or have another admin do it) to turn SSO off."}
}
