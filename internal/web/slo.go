package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxLogoutBytes bounds a decoded LogoutRequest/LogoutResponse.
const maxLogoutBytes = 64 << 10

// reasonLogoutUnsigned is logged when an unsigned IdP LogoutRequest is
// refused because the config does not accept them (docs/reason-codes.md).
const reasonLogoutUnsigned = "logout_unsigned"

// handleSLO is the single logout endpoint (docs/endpoints.md), HTTP-Redirect (GET)
// and HTTP-POST. A LogoutRequest from the IdP ends the sessions it names
// and is answered with a LogoutResponse; a LogoutResponse (the answer to
// our own logout) just lands on the sign-in page.
func (s *Server) handleSLO(w http.ResponseWriter, r *http.Request) {
	cfg, ws := s.loadEnabledConfig(w, r)
	if cfg == nil {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxLogoutBytes*2)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if v := r.Form.Get("SAMLRequest"); v != "" {
		s.sloRequest(w, r, cfg, ws, v)
		return
	}
	if v := r.Form.Get("SAMLResponse"); v != "" {
		raw, err := decodeBinding(r, v)
		if err == nil {
			_, err = saml.ParseLogoutResponse(raw)
		}
		if err != nil {
			s.log.Warn("slo: bad LogoutResponse", "trace_id", traceID(r), "err", err)
		}
		// Our own LogoutRequest carried the protected site to return to as
		// a same-origin /auth/return path, which checks it again.
		if rs := safeRedirect(r.Form.Get("RelayState")); strings.HasPrefix(rs, "/auth/return/"+ws.Slug+"?") {
			http.Redirect(w, r, rs, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, loginPath(ws.Slug)+"?notice=signed_out", http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, http.StatusBadRequest)
}

// decodeBinding decodes a SAML message from the Redirect (deflated, in the
// query of a GET) or the POST binding (plain base64 in the form).
func decodeBinding(r *http.Request, v string) ([]byte, error) {
	if r.Method == http.MethodGet {
		return saml.DecodeRedirectValue(v, maxLogoutBytes)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxLogoutBytes {
		return nil, errors.New("logout message too large")
	}
	return raw, nil
}

// sloRequest handles an IdP-initiated LogoutRequest. A request whose
// signature verifies against the config's metadata ends every session of
// that config and NameID (and SessionIndex). An unsigned one is refused
// unless the config allows unsigned logout requests (any web page can make
// a browser fetch one: logout CSRF); when allowed it is only trusted for
// what the browser itself holds: its own session is ended when it belongs
// to this config and the same NameID, and other sessions are left alone.
func (s *Server) sloRequest(w http.ResponseWriter, r *http.Request, cfg *store.SAMLConfig, ws *store.Workspace, v string) {
	rt, err := s.runtime(cfg)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lr, signed, err := s.readIdPLogoutRequest(r, cfg, rt, v)
	if err != nil {
		s.log.Warn("slo: LogoutRequest rejected", "trace_id", traceID(r), "config", cfg.ID, "err", err)
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if !signed && !cfg.AllowUnsignedLogout {
		s.log.Warn("slo: unsigned LogoutRequest refused (the config does not accept unsigned logout requests)",
			"trace_id", traceID(r), "config", cfg.ID, "reason", reasonLogoutUnsigned)
		s.errorPage(w, r, http.StatusForbidden)
		return
	}
	if signed {
		if err := s.endSignedLogoutSessions(r, cfg, lr); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.endOwnSSOSession(w, r, ws, cfg, lr)
	resp, err := rt.sp.NewLogoutResponse(rt.md, lr.ID, saml.StatusSuccess, s.now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u, err := resp.RedirectURL(r.Form.Get("RelayState"), rt.requestSigningKey())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, u, http.StatusFound)
}

// endOwnSSOSession ends the browser's own session when it was opened
// through cfg for lr's NameID, and clears its cookie.
func (s *Server) endOwnSSOSession(w http.ResponseWriter, r *http.Request, ws *store.Workspace, cfg *store.SAMLConfig, lr *saml.LogoutRequest) {
	p, err := s.currentPrincipal(r, ws)
	if err != nil || p == nil || p.Session.ConfigID != cfg.ID || p.Session.NameID != lr.NameID {
		return
	}
	tok := s.sessionToken(r, ws.Slug)
	_, _ = s.svc.SignOut(r.Context(), tok)
	s.forward.Forget(tok)
	s.clearSessionCookie(w, ws.Slug)
}
