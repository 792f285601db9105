package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// maxOIDCBody bounds the form bodies posted to the provider's endpoints
// (token, revocation, end-session): a few short parameters.
const maxOIDCBody = 64 << 10

// oidcRoutes mounts each workspace's OpenID Connect provider (docs/oidc.md),
// the login hand-off page it sends browsers to, and the applications'
// API and settings page.
func (s *Server) oidcRoutes(mux *http.ServeMux) {
	if s.opts.OIDC == nil {
		return
	}
	mux.HandleFunc("GET /oidc/{slug}/login", s.handleOIDCLogin)
	mux.HandleFunc("/oidc/{slug}/", s.handleOIDC)
	if s.opts.Apps != nil {
		s.applicationAPIRoutes(mux)
		s.applicationPageRoutes(mux)
	}
}

// handleOIDC serves the provider of a known workspace; unknown slugs get
// the 404 page before any provider is created.
func (s *Server) handleOIDC(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		s.notFound(w, r)
		return
	}
	ws, err := s.store.GetWorkspaceBySlug(r.Context(), slug)
	if s.lookupFailed(w, r, err) {
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxOIDCBody)
	}
	rest := strings.TrimPrefix(r.URL.Path, oidc.Prefix(slug))
	if rest == "/authorize" && (r.URL.Query().Has("request_uri") || r.FormValue("request_uri") != "") {
		// Not supported; answered here because nothing about the client
		// has been validated yet, so there is nowhere safe to redirect.
		s.log.Warn("oidc: request_uri not supported", "trace_id", traceID(r), "workspace", slug)
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	switch rest {
	case "/authorize/callback":
		// Codes are issued by the login hand-off, to the browser that
		// started the request; the op package's callback is not served.
		s.notFound(w, r)
		return
	case "/authorize":
		// Each request may store a pending authorization: per client
		// address (and IPv6 /56 and /48), a rate and a bound on how many
		// it holds, so that no one address or prefix reaches the
		// workspace's cap (docs/decisions.md, "Review 3").
		ip := s.clientIP(r)
		if ok, wait := s.limiter.take(s.now(), s.limiter.oidcAuthKeys(ip)...); !ok {
			s.log.Warn("oidc: authorization requests rate-limited", "trace_id", traceID(r), "workspace", slug)
			s.tooMany(w, r, wait)
			return
		}
		ctx := oidc.WithBrowserBinding(r.Context(), s.oidcBinding(w, r, slug))
		r = r.WithContext(oidc.WithRequestOwner(ctx, oidcOwner(ip)))
	}
	if rest == "/end_session" {
		r = r.WithContext(oidc.WithBrowserSignOut(r.Context(), func(userID string) error {
			return s.oidcSignOut(w, r, ws, userID)
		}))
	}
	rec := &oidcRecorder{ResponseWriter: w, page: rest == "/authorize"}
	s.opts.OIDC.ServeHTTP(rec, r, ws)
	if rec.status >= 400 {
		s.log.Warn("oidc: request refused", "trace_id", traceID(r), "workspace", slug, "endpoint", rest,
			"status", rec.status, "error", rec.errorCode())
	}
	s.logRedirectedError(w, r, slug, rest)
	if rec.swallowed {
		s.errorPage(w, r, rec.status)
	}
}

// oidcBindingCookiePrefix names the cookie that ties a pending
// authorization to the browser that started it. Under Secure cookies it is
// __Host-gatehouse_oidc_binding_{slug} with Path=/ (like the session
// cookie), so no sibling host can set a cookie of that name; otherwise it
// is gatehouse_oidc_binding with the workspace's /oidc/{slug}/ path.
const oidcBindingCookiePrefix = "gatehouse_oidc_binding"

// oidcBindingCookie is the binding cookie's name and path for slug.
func (s *Server) oidcBindingCookie(slug string) (name, path string) {
	if s.opts.SecureCookies {
		return hostCookiePrefix + oidcBindingCookiePrefix + "_" + slug, "/"
	}
	return oidcBindingCookiePrefix, oidc.Prefix(slug) + "/"
}

// oidcBindings are every well-formed value of the browser's binding
// cookie: a planted cookie of the same name (a sibling host's, with a
// longer path, is sent first) must not hide the browser's own.
func (s *Server) oidcBindings(r *http.Request, slug string) []string {
	name, _ := s.oidcBindingCookie(slug)
	var vs []string
	for _, c := range r.CookiesNamed(name) {
		if len(c.Value) == 43 && len(vs) < 8 {
			vs = append(vs, c.Value)
		}
	}
	return vs
}

// oidcBinding returns the browser's binding cookie value, setting a new
// random one when it has none. It is not a secret of the user: it only
// proves "the same browser" between /authorize and the login hand-off.
// With several values (one planted), the last is used: browsers send the
// cookie with the longest path first, and Gatehouse's own has the shortest.
func (s *Server) oidcBinding(w http.ResponseWriter, r *http.Request, slug string) string {
	if vs := s.oidcBindings(r, slug); len(vs) > 0 {
		return vs[len(vs)-1]
	}
	v := randomToken()
	name, path := s.oidcBindingCookie(slug)
	http.SetCookie(w, &http.Cookie{Name: name, Value: v, Path: path,
		// Long-lived, so that a browser gets it once: two authorizations
		// started at the same moment by a browser without it would each
		// set their own, and only the last would finish.
		MaxAge: 30 * 24 * 3600, HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode})
	return v
}

// oidcSignOut ends the browser's session in the workspace when it is
// userID's (RP-initiated logout with a valid id_token_hint).
func (s *Server) oidcSignOut(w http.ResponseWriter, r *http.Request, ws *store.Workspace, userID string) error {
	p, err := s.currentPrincipal(r, ws)
	if err != nil || p == nil || p.Workspace.ID != ws.ID || p.User.ID != userID {
		return err
	}
	if err := s.svc.SignOutSession(r.Context(), &p.Session); err != nil {
		return err
	}
	s.clearSessionCookie(w, ws.Slug)
	return nil
}

// handleOIDCLogin is the provider's login page: it finishes a pending
// authorization for the signed-in member, or sends the browser through
// the workspace's sign-in (password, SSO button or automatic SSO) and back
// here. The pending request stays server-side; only its ID travels.
func (s *Server) handleOIDCLogin(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		s.notFound(w, r)
		return
	}
	ws, err := s.store.GetWorkspaceBySlug(r.Context(), slug)
	if s.lookupFailed(w, r, err) {
		return
	}
	p, err := s.currentPrincipal(r, ws)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p != nil && p.Workspace.ID != ws.ID {
		p = nil
	}
	bindings := s.oidcBindings(r, slug)
	out, err := s.opts.OIDC.ContinueLogin(w, r, ws, r.URL.Query().Get("id"), bindings, p)
	switch {
	case errors.Is(err, oidc.ErrUnknownRequest):
		s.log.Warn("oidc: unknown or expired authorization request", "trace_id", traceID(r), "workspace", slug)
		s.errorPage(w, r, http.StatusBadRequest)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if out == oidc.Answered {
		s.logRedirectedError(w, r, slug, "/login")
		return
	}
	back := oidc.LoginPath(slug) + "?id=" + url.QueryEscape(r.URL.Query().Get("id"))
	target := loginPath(slug) + "?redirect_to=" + url.QueryEscape(back)
	if out == oidc.NeedsReauth {
		target += "&prompt=login"
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// logRedirectedError logs an OAuth error that was sent to the
// application's redirect URI (access_denied, login_required,
// invalid_request ...) with the trace ID; the URL itself is not logged.
func (s *Server) logRedirectedError(w http.ResponseWriter, r *http.Request, slug, endpoint string) {
	loc := w.Header().Get("Location")
	if loc == "" {
		return
	}
	u, err := url.Parse(loc)
	if err != nil || u.Query().Get("error") == "" {
		return
	}
	s.log.Warn("oidc: request refused", "trace_id", traceID(r), "workspace", slug, "endpoint", endpoint,
		"status", http.StatusFound, "error", u.Query().Get("error"))
}

// oidcRecorder notes the provider's status and error code for the log,
// and, on the browser-facing authorization endpoint, swallows the op
// package's plain-text error bodies so that the caller can show the
// generic error page with a trace ID (an invalid redirect_uri is never
// redirected to).
type oidcRecorder struct {
	http.ResponseWriter
	page      bool
	status    int
	swallowed bool
	body      []byte
}

func (w *oidcRecorder) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	// The op package's CORS allows credentials from any origin; no
	// endpoint here needs the browser's cookies cross-origin.
	w.Header().Del("Access-Control-Allow-Credentials")
	if w.page && code >= 400 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		w.swallowed = true
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *oidcRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.status >= 400 && len(w.body) < 512 {
		w.body = append(w.body, b[:min(len(b), 512-len(w.body))]...)
	}
	if w.swallowed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// errorCode extracts the OAuth error code from a JSON error body, or the
// first words of a text one, for the log (bounded, no token values).
func (w *oidcRecorder) errorCode() string {
	b := string(w.body)
	if i := strings.Index(b, `"error":"`); i >= 0 {
		rest := b[i+len(`"error":"`):]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return rest[:j]
		}
	}
	if len(b) > 120 {
		b = b[:120]
	}
	return strings.TrimSpace(b)
}
