package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Forward authentication for reverse proxies (docs/forward-auth.md). The
// rules live in internal/forwardauth; this file is the HTTP side.

// Identity headers of a 200 answer: oauth2-proxy's names, which proxy
// configurations already copy to the upstream.
const (
	hdrUser      = "X-Auth-Request-User"
	hdrEmail     = "X-Auth-Request-Email"
	hdrUsername  = "X-Auth-Request-Preferred-Username"
	hdrGroups    = "X-Auth-Request-Groups"
	hdrRole      = "X-Gatehouse-Role"
	hdrWorkspace = "X-Gatehouse-Workspace"
	// hdrSignIn carries, on a 401, the sign-in URL that returns to the
	// original page, for nginx's error_page (auth_request cannot follow a
	// 302, and nginx cannot URL-encode).
	hdrSignIn = "X-Gatehouse-Sign-In"
)

// forwardRoutes registers the forward-auth endpoints and the sign-out page
// protected sites link to.
func (s *Server) forwardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/forward/{slug}", s.handleForwardAuth)
	mux.HandleFunc("GET /auth/return/{slug}", s.handleForwardReturn)
	mux.HandleFunc("GET /logout/{slug}", s.handleSignOutPage)
	s.apiSiteRoutes(mux)
	s.adminSiteRoutes(mux)
}

// handleForwardAuth answers a proxy's check: 200 with the identity
// headers, 401 (or, with ?redirect=1, 302 to the sign-in page) when
// signed out, 403 when the group=/role= rule is not met, 404 for an
// unknown workspace, 400 for a malformed rule. Bodies are short plain
// text: the proxy, not a person, reads them.
func (s *Server) handleForwardAuth(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		http.Error(w, "unknown workspace", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	rule, err := forwardauth.ParseRule(q)
	if err != nil {
		s.log.Warn("forward auth: bad rule in the proxy's check URL", "trace_id", traceID(r), "workspace", slug, "err", err)
		http.Error(w, "bad group/role rule", http.StatusBadRequest)
		return
	}
	res, err := s.forward.Check(r.Context(), slug, forwardToken(r, slug), rule)
	if err != nil {
		s.log.Error("forward auth: check failed", "trace_id", traceID(r), "workspace", slug, "err", err)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	switch res.Outcome {
	case forwardauth.Allowed:
		id := res.Identity
		h.Set(hdrUser, id.UserID)
		h.Set(hdrEmail, id.Email)
		h.Set(hdrUsername, id.Email)
		// Group names hold no control characters (validated when created).
		h.Set(hdrGroups, strings.Join(id.Groups, ","))
		h.Set(hdrRole, id.Role)
		h.Set(hdrWorkspace, id.Workspace)
		w.WriteHeader(http.StatusOK)
	case forwardauth.Forbidden:
		http.Error(w, "forbidden", http.StatusForbidden)
	case forwardauth.UnknownWorkspace:
		http.Error(w, "unknown workspace", http.StatusNotFound)
	default:
		signIn := s.forwardSignInURL(r, slug, res.Origins)
		h.Set(hdrSignIn, signIn)
		if q.Get("redirect") == "1" {
			http.Redirect(w, r, signIn, http.StatusFound)
			return
		}
		http.Error(w, "sign-in required", http.StatusUnauthorized)
	}
}

// forwardedURL is the original URL the proxy reports in
// X-Forwarded-Proto/Host/Uri ("" unless all three are present).
func forwardedURL(r *http.Request) string {
	proto, host, uri := r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Host"), r.Header.Get("X-Forwarded-Uri")
	if proto == "" || host == "" || uri == "" || uri[0] != '/' {
		return ""
	}
	return proto + "://" + host + uri
}

// forwardSignInURL is the absolute URL of the workspace's sign-in page,
// returning afterwards to the original URL when it is on a protected site
// of the workspace (otherwise to the workspace's landing page).
func (s *Server) forwardSignInURL(r *http.Request, slug string, origins []string) string {
	signIn := s.url(loginPath(slug))
	if back := returnPathTo(r, slug, forwardedURL(r), origins, s.log); back != "" {
		signIn += "?redirect_to=" + url.QueryEscape(back)
	}
	return signIn
}

// returnPath is the same-origin path /auth/return/{slug}?rd=URL when raw
// is a URL on one of the workspace's protected sites, "" otherwise. The
// sign-in flows only ever carry same-origin paths; /auth/return checks
// the URL again when the browser arrives there.
func (s *Server) returnPath(r *http.Request, slug, raw string) string {
	if raw == "" {
		return ""
	}
	_, origins, err := s.forward.Workspace(r.Context(), slug)
	if err != nil {
		return ""
	}
	return returnPathTo(r, slug, raw, origins, s.log)
}

// returnPathTo is returnPath with the workspace's origins at hand.
func returnPathTo(r *http.Request, slug, raw string, origins []string, log *slog.Logger) string {
	if raw == "" {
		return ""
	}
	rd := forwardauth.CheckReturnURL(raw, origins)
	if rd == "" {
		log.Info("forward auth: return URL is not on a protected site of the workspace", "trace_id", traceID(r), "workspace", slug)
		return ""
	}
	p := "/auth/return/" + pathEscape(slug) + "?rd=" + url.QueryEscape(rd)
	if safeRedirect(p) == "" {
		return "" // too long to carry through sign-in
	}
	return p
}

// handleForwardReturn sends the browser on to rd when it is on one of the
// workspace's protected sites (the site's proxy asks for sign-in again if
// needed), and to the workspace's landing page otherwise: never elsewhere.
func (s *Server) handleForwardReturn(w http.ResponseWriter, r *http.Request) {
	ws, origins, ok := s.forwardWorkspace(w, r)
	if !ok {
		return
	}
	slug := ws.Slug
	w.Header().Set("Cache-Control", "no-store")
	// (Re)issue the forward-auth cookie for a signed-in browser: one that
	// lacks it (lost, or set before GATEHOUSE_COOKIE_DOMAIN changed) would
	// otherwise go round protected site -> sign-in -> here for ever.
	if p, err := s.currentPrincipal(r, ws); err == nil && p != nil {
		s.setForwardCookie(w, slug, s.sessionToken(r, slug), p.Session.ExpiresAt)
	}
	if rd := forwardauth.CheckReturnURL(r.URL.Query().Get("rd"), origins); rd != "" {
		http.Redirect(w, r, rd, http.StatusFound)
		return
	}
	http.Redirect(w, r, "/w/"+pathEscape(slug), http.StatusSeeOther)
}

// forwardWorkspace is the workspace of the {slug} path value and its
// protected sites' origins, from the forward-auth cache; ok false when it
// has answered 404 (bad or unknown slug) or 500 itself.
func (s *Server) forwardWorkspace(w http.ResponseWriter, r *http.Request) (*store.Workspace, []string, bool) {
	slug := r.PathValue("slug")
	if !slugPattern.MatchString(slug) {
		s.notFound(w, r)
		return nil, nil, false
	}
	ws, origins, err := s.forward.Workspace(r.Context(), slug)
	if s.lookupFailed(w, r, err) {
		return nil, nil, false
	}
	return ws, origins, true
}
