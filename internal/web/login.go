package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// loginView is the data of login.html.
type loginView struct {
	WorkspaceName, Slug string
	PasswordLogin       bool
	SSO                 []ssoButton
	Error, Notice       string
	RedirectTo          string // already sanitized
	Email               string // re-filled after a failed attempt
}

// ssoButton is one "Sign in with {SSO name}" button: a GET form (a real
// button for assistive technology, and no JavaScript) to the start URL.
type ssoButton struct {
	Label, Action string
}

// loginContext is what the sign-in page and the password POST both load.
type loginContext struct {
	ws       *store.Workspace
	settings *store.LoginSettings
	sso      *store.SAMLConfig // nil when none is enabled
}

// loadLogin loads the workspace of {slug}, its login settings and its
// enabled SAML config. A nil result with nil error means "404 was sent".
func (s *Server) loadLogin(w http.ResponseWriter, r *http.Request) (*loginContext, error) {
	ctx := r.Context()
	ws, err := s.store.GetWorkspaceBySlug(ctx, r.PathValue("slug"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.loginContextFor(ctx, ws)
}

// loginContextFor loads ws's login settings and its enabled SAML config.
func (s *Server) loginContextFor(ctx context.Context, ws *store.Workspace) (*loginContext, error) {
	ls, err := s.store.GetLoginSettings(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	lc := &loginContext{ws: ws, settings: ls}
	cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	switch {
	case err == nil && cfg.Enabled:
		lc.sso = cfg
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	return lc, nil
}

// view builds the page data for lc.
func (lc *loginContext) view(redirectTo string) loginView {
	v := loginView{WorkspaceName: lc.ws.Name, Slug: lc.ws.Slug, PasswordLogin: lc.settings.PasswordLogin, RedirectTo: redirectTo}
	if lc.sso != nil {
		label := strings.TrimSpace(lc.sso.Name)
		if label == "" {
			label = "SAML"
		}
		v.SSO = append(v.SSO, ssoButton{Label: label, Action: samlStartPath(lc.sso.ID, "")})
	}
	return v
}

// autoSSO is the automatic SSO rule of docs/access-rules.md: skip the page only when the setting is on,
// password login is off and exactly one SSO is enabled.
func (lc *loginContext) autoSSO() bool {
	return lc.settings.AutoSSO && !lc.settings.PasswordLogin && lc.sso != nil
}

// samlStartPath is the SP-initiated start URL of a config.
func samlStartPath(configID, redirectTo string) string {
	p := "/api/sso/saml/" + pathEscape(configID) + "/login"
	if redirectTo != "" {
		p += "?redirect_to=" + url.QueryEscape(redirectTo)
	}
	return p
}

// handleLoginPage shows the sign-in page, or goes straight to the IdP when
// automatic SSO applies and no message is to be shown.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	lc, err := s.loadLogin(w, r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if lc == nil {
		return
	}
	q := r.URL.Query()
	redirectTo := safeRedirect(q.Get("redirect_to"))
	v := lc.view(redirectTo)
	v.Error = loginMessages[q.Get("error")]
	v.Notice = loginNotices[q.Get("notice")]
	// prompt=login: an application asked for a fresh sign-in (docs/oidc.md).
	if p, err := s.currentPrincipal(r, lc.ws); err == nil && p != nil && v.Error == "" && q.Get("prompt") != "login" {
		http.Redirect(w, r, landingOr(redirectTo, lc.ws.Slug), http.StatusSeeOther)
		return
	}
	if v.Error == "" && v.Notice == "" && lc.autoSSO() {
		http.Redirect(w, r, samlStartPath(lc.sso.ID, redirectTo), http.StatusFound)
		return
	}
	s.allowSSOForms(w, lc)
	s.render(w, r, http.StatusOK, "login.html", v)
}

// landingOr is the sanitized target, or the workspace's landing page.
func landingOr(target, slug string) string {
	if t := safeRedirect(target); t != "" {
		return t
	}
	return "/w/" + pathEscape(slug)
}

// handlePasswordLogin checks email and password (rate-limited per address,
// per account and address, and per account: see ratelimit.go), rotates the
// session and redirects.
func (s *Server) handlePasswordLogin(w http.ResponseWriter, r *http.Request) {
	lc, err := s.loadLogin(w, r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if lc == nil {
		return
	}
	s.allowSSOForms(w, lc) // a failed attempt re-renders the SSO buttons
	email := strings.TrimSpace(r.PostFormValue("email"))
	v := lc.view(safeRedirect(r.PostFormValue("redirect_to")))
	v.Email = email
	if !lc.settings.PasswordLogin {
		s.loginFailed(w, r, v, http.StatusForbidden, "password_login_disabled")
		return
	}
	limits := s.limiter.loginKeys(s.limitAddress(r), strings.ToLower(email))
	if ok, wait := s.limiter.take(s.now(), limits...); !ok {
		s.log.Warn("password login rate-limited", "trace_id", traceID(r), "workspace", lc.ws.Slug)
		w.Header().Set("Retry-After", retryAfter(wait))
		s.loginFailed(w, r, v, http.StatusTooManyRequests, "rate_limited")
		return
	}
	res, err := s.svc.PasswordLogin(r.Context(), lc.ws, email, r.PostFormValue("password"), traceID(r))
	if err == nil || errors.Is(err, workspace.ErrPasswordHashBusy) {
		s.limiter.refund(s.now(), limits...) // only failed checks count
	}
	if s.hashBusy(w, r, err) {
		return
	}
	if err != nil {
		var ae *workspace.AccessError
		if !errors.As(err, &ae) {
			s.metrics.login("password", "failure", failureReason(err))
			s.serverError(w, r, err)
			return
		}
		s.loginFailed(w, r, v, http.StatusUnauthorized, ae.Code)
		return
	}
	s.metrics.login("password", "success", "")
	s.endPreviousSession(r, lc.ws.Slug)
	s.setSessionCookie(w, lc.ws.Slug, res.SessionToken, res.Session.ExpiresAt)
	http.Redirect(w, r, landingOr(v.RedirectTo, lc.ws.Slug), http.StatusSeeOther)
}

// loginFailed re-renders the sign-in page with the message for code.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, v loginView, status int, code string) {
	s.metrics.login("password", "failure", code)
	v.Error = loginMessages[code]
	if v.Error == "" {
		v.Error = loginMessages["invalid_credentials"]
	}
	s.render(w, r, status, "login.html", v)
}
