package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Session cookies. Every workspace has its own cookie, told apart by name
// (gatehouse_session_{slug}), never by path: a sign-in, sign-out or
// IdP-initiated sign-in at one workspace must never replace or end the
// session the browser holds at another (docs/decisions.md, issue 10).
//
// The session cookie is always host-only, and named with the __Host-
// prefix when cookies are Secure, so browsers refuse a cookie of that name
// set by any other host (a sibling under the same parent domain cannot
// plant its own session on Gatehouse's host). Forward auth gets a cookie
// of its own, gatehouse_forward_{slug}, carrying workspace.ForwardToken of
// the session: scoped to GATEHOUSE_COOKIE_DOMAIN when set so protected
// sites on sibling hosts send it along, and accepted only by
// /auth/forward/{slug}. Hosts that receive it can pass a forward-auth
// check and nothing else (docs/forward-auth.md, "Cookies").
// These few functions are the only places that name, read, set or clear
// either cookie.

const (
	// sessionCookiePrefix starts every workspace session cookie's name
	// (after hostCookiePrefix under Secure cookies).
	sessionCookiePrefix = "gatehouse_session_"
	// hostCookiePrefix makes browsers accept the cookie only when Secure,
	// Path=/ and without a Domain, from the host itself.
	hostCookiePrefix = "__Host-"
	// forwardCookiePrefix starts every workspace forward-auth cookie's name.
	forwardCookiePrefix = "gatehouse_forward_"
)

// maxSessionCookieLen bounds a cookie value we will hash and look up; real
// tokens are 43 characters.
const maxSessionCookieLen = 256

// sessionCookieName is the name of workspace slug's session cookie under
// Secure cookies (every real deployment over https). Slugs are lowercase
// [a-z0-9-], all valid cookie-name characters.
func sessionCookieName(slug string) string { return hostCookiePrefix + sessionCookiePrefix + slug }

// forwardCookieName is the name of workspace slug's forward-auth cookie.
func forwardCookieName(slug string) string { return forwardCookiePrefix + slug }

// sessionCookie is the session cookie name this server uses: without
// Secure cookies (plain-http development on localhost) browsers refuse
// __Host- names, so the bare name is used there.
func (s *Server) sessionCookie(slug string) string {
	if s.opts.SecureCookies {
		return sessionCookieName(slug)
	}
	return sessionCookiePrefix + slug
}

// sessionToken returns the browser's session token for workspace slug, or
// "" when it has none (or an oversized one, which cannot be ours). Only
// the session cookie counts: never the forward-auth cookie, and under
// Secure cookies never a bare-named cookie another host may have set.
func (s *Server) sessionToken(r *http.Request, slug string) string {
	if slug == "" {
		return ""
	}
	return cookieValue(r, s.sessionCookie(slug))
}

// forwardToken returns the browser's forward-auth token for workspace
// slug, or "". Only /auth/forward/{slug} may call it.
func forwardToken(r *http.Request, slug string) string {
	if slug == "" {
		return ""
	}
	return cookieValue(r, forwardCookieName(slug))
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" || len(c.Value) > maxSessionCookieLen {
		return ""
	}
	return c.Value
}

// setSessionCookie stores a new session token for workspace slug
// (HttpOnly, Secure, SameSite=Lax, host-only) and the session's forward
// token (setForwardCookie). Lax keeps the session on top-level navigations
// from the IdP and other sites but not on their cross-site POSTs.
func (s *Server) setSessionCookie(w http.ResponseWriter, slug, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookie(slug), Value: token, Path: "/",
		Expires: expires.UTC(), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	s.setForwardCookie(w, slug, token, expires)
}

// setForwardCookie stores the forward token of the session token for
// workspace slug: with GATEHOUSE_COOKIE_DOMAIN scoped to that parent domain
// so protected sites on sibling hosts send it to their proxy's check,
// host-only otherwise.
func (s *Server) setForwardCookie(w http.ResponseWriter, slug, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: forwardCookieName(slug), Value: workspace.ForwardToken(token), Path: "/", Domain: s.opts.CookieDomain,
		Expires: expires.UTC(), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie removes workspace slug's session and forward-auth
// cookies. A cookie is only removed with the Domain it was set with, so
// the forward cookie is cleared both with the cookie domain and host-only
// (left from before the domain was configured), and the bare-named
// session cookie of earlier versions (possibly domain-scoped) is cleared
// too, so a sign-out leaves nothing behind.
func (s *Server) clearSessionCookie(w http.ResponseWriter, slug string) {
	clear := func(name, domain string) {
		http.SetCookie(w, &http.Cookie{
			Name: name, Value: "", Path: "/", Domain: domain, MaxAge: -1,
			HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
		})
	}
	domains := []string{""}
	if s.opts.CookieDomain != "" {
		domains = append(domains, s.opts.CookieDomain)
	}
	clear(s.sessionCookie(slug), "")
	for _, d := range domains {
		if s.opts.SecureCookies || d != "" {
			clear(sessionCookiePrefix+slug, d) // earlier versions' name and scope
		}
		clear(forwardCookieName(slug), d)
	}
}

// endPreviousSession deletes the session the browser had at workspace slug
// before a new sign-in there, so a token never outlives a re-login
// (rotation). Sessions at other workspaces are left alone.
func (s *Server) endPreviousSession(r *http.Request, slug string) {
	if tok := s.sessionToken(r, slug); tok != "" {
		if _, err := s.svc.SignOut(r.Context(), tok); err != nil && !isSignedOutError(err) {
			s.log.Warn("could not delete previous session", "trace_id", traceID(r), "err", err)
		}
		s.forward.Forget(tok)
	}
}

// workspacePathPrefixes are the first path segments of routes whose second
// segment is a workspace slug.
var workspacePathPrefixes = map[string]bool{"login": true, "logout": true, "settings": true, "w": true, "oidc": true, "auth": true}

// pathWorkspace is the workspace slug a request path is about ("" when
// none). It needs no routing, so the CSRF middleware, which runs before the
// mux, and the page renderer agree on which session a form belongs to.
// /auth/forward/{slug} has its slug third.
func pathWorkspace(path string) string {
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return ""
	}
	first, rest, _ := strings.Cut(rest, "/")
	if !workspacePathPrefixes[first] {
		return ""
	}
	if first == "auth" {
		var kind string
		kind, rest, _ = strings.Cut(rest, "/")
		if kind != "forward" {
			return ""
		}
	}
	slug, _, _ := strings.Cut(rest, "/")
	if !slugPattern.MatchString(slug) {
		return ""
	}
	return slug
}
