package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// requestTTL is how long an AuthnRequest stays answerable (docs/saml.md, "Requests").
const requestTTL = 10 * time.Minute

// bindingCookiePrefix names the per-request cookies that bind an
// AuthnRequest to the browser that started it (login CSRF protection):
// each request gets its own cookie, so two tabs signing in at once work.
const bindingCookiePrefix = "gatehouse_saml_"

// bindingCookieName is the cookie name for request id (a hash prefix, so
// any ID syntax yields a valid cookie name).
func bindingCookieName(id string) string {
	h := sha256.Sum256([]byte(id))
	return bindingCookiePrefix + hex.EncodeToString(h[:8])
}

// samlPostView is the data of saml_post.html (HTTP-POST binding).
type samlPostView struct {
	Action, Field, Value, RelayState string
}

// loadEnabledConfig loads {configID}; it returns nil after sending a
// generic 404 when the config is unknown, or the "SSO is turned off" page
// when it is disabled (what Entra's Test button and My Apps reach).
func (s *Server) loadEnabledConfig(w http.ResponseWriter, r *http.Request) (*store.SAMLConfig, *store.Workspace) {
	cfg, ws, err := s.lookupConfig(r)
	if s.lookupFailed(w, r, err) {
		return nil, nil
	}
	if !cfg.Enabled {
		s.ssoDisabled(w, r, cfg, ws)
		return nil, nil
	}
	return cfg, ws
}

// handleSAMLStart begins SP-initiated sign-in: it stores the request with
// its sanitized redirect target, binds it to this browser and sends the
// browser to the IdP.
func (s *Server) handleSAMLStart(w http.ResponseWriter, r *http.Request) {
	cfg, _ := s.loadEnabledConfig(w, r)
	if cfg == nil {
		return
	}
	// Each start stores an outstanding request: limited per client address.
	if ok, wait := s.limiter.take(s.now(), limitKey{s.limiter.start, s.limitAddress(r)}); !ok {
		s.log.Warn("saml start rate-limited", "trace_id", traceID(r), "config", cfg.ID)
		s.tooMany(w, r, wait)
		return
	}
	s.startSAML(w, r, cfg, safeRedirect(r.URL.Query().Get("redirect_to")))
}

// startSAML sends the browser to cfg's IdP with a fresh AuthnRequest.
func (s *Server) startSAML(w http.ResponseWriter, r *http.Request, cfg *store.SAMLConfig, redirectTo string) {
	rt, err := s.runtime(cfg)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.now()
	req, err := rt.sp.NewAuthnRequest(rt.md, now)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := &store.OutstandingRequest{ID: req.ID, ConfigID: cfg.ID, RedirectTo: redirectTo, ExpiresAt: now.Add(requestTTL)}
	if err := s.store.SaveRequest(r.Context(), out); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, bindingCookie(req.ID, req.ID, int(requestTTL/time.Second)))
	w.Header().Set("Cache-Control", "no-store")
	if req.Binding == saml.BindingHTTPPost {
		s.postToIdP(w, r, req.Destination, "SAMLRequest", req.PostValue(), "")
		return
	}
	u, err := req.RedirectURL("", rt.requestSigningKey())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, u, http.StatusFound)
}

// postToIdP renders the auto-submitting HTTP-POST binding form, allowing
// the form to post to the IdP's origin and nowhere else.
func (s *Server) postToIdP(w http.ResponseWriter, r *http.Request, action, field, value, relayState string) {
	u, err := url.Parse(action)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.serverError(w, r, errors.New("IdP endpoint is not an absolute http(s) URL"))
		return
	}
	cspFormAction(w.Header(), u.Scheme+"://"+u.Host)
	s.render(w, r, http.StatusOK, "saml_post.html", samlPostView{Action: action, Field: field, Value: value, RelayState: relayState})
}

// checkBinding reports whether the browser carries the cookie that
// startSAML set for request id.
func checkBinding(r *http.Request, id string) bool {
	c, err := r.Cookie(bindingCookieName(id))
	return err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(id)) == 1
}

// clearBinding deletes the binding cookie of request id.
func clearBinding(w http.ResponseWriter, id string) {
	http.SetCookie(w, bindingCookie(id, "", -1))
}

// bindingCookie is the binding cookie of request id, set and cleared with
// the same attributes. SameSite=None: the IdP's answer is a cross-site
// POST, which must carry it; Secure is required for SameSite=None.
func bindingCookie(id, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: bindingCookieName(id), Value: value, Path: "/api/sso/saml/",
		MaxAge: maxAge, HttpOnly: true, Secure: true, SameSite: http.SameSiteNoneMode}
}
