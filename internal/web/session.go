package web

import (
	"net/http"
	"strings"
	"time"
)

// Session cookies. Every workspace has its own cookie, told apart by name
// (gatehouse_session_{slug}), never by path: a protected site's requests
// must carry it to /auth/forward/{slug}, and a sign-in, sign-out or
// IdP-initiated sign-in at one workspace must never replace or end the
// session the browser holds at another (docs/decisions.md, issue 10).
// These few functions are the only places that name, read, set or clear it.

// sessionCookiePrefix starts every workspace session cookie's name.
const sessionCookiePrefix = "gatehouse_session_"

// maxSessionCookieLen bounds a cookie value we will hash and look up; real
// tokens are 43 characters.
const maxSessionCookieLen = 256

// sessionCookieName is the name of workspace slug's session cookie. Slugs
// are lowercase [a-z0-9-], all valid cookie-name characters.
func sessionCookieName(slug string) string { return sessionCookiePrefix + slug }

// sessionToken returns the browser's session token for workspace slug, or
// "" when it has none (or an oversized one, which cannot be ours).
func sessionToken(r *http.Request, slug string) string {
	if slug == "" {
		return ""
	}
	c, err := r.Cookie(sessionCookieName(slug))
	if err != nil || c.Value == "" || len(c.Value) > maxSessionCookieLen {
		return ""
	}
	return c.Value
}

// setSessionCookie stores a new session token for workspace slug
// (HttpOnly, Secure, SameSite=Lax). Lax keeps the session on top-level
// navigations from the IdP and other sites but not on their cross-site
// POSTs. With GATEHOUSE_COOKIE_DOMAIN the cookie is scoped to that parent
// domain so protected sites on sibling subdomains send it along.
func (s *Server) setSessionCookie(w http.ResponseWriter, slug, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookieName(slug), Value: token, Path: "/", Domain: s.opts.CookieDomain,
		Expires: expires.UTC(), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie removes workspace slug's session cookie (with the same
// Domain it was set with, or the browser would keep it). With a cookie
// domain it also removes a host-only cookie of the same name, left from
// before the domain was configured, so a sign-out leaves neither behind.
func (s *Server) clearSessionCookie(w http.ResponseWriter, slug string) {
	domains := []string{s.opts.CookieDomain}
	if s.opts.CookieDomain != "" {
		domains = append(domains, "")
	}
	for _, d := range domains {
		http.SetCookie(w, &http.Cookie{
			Name: sessionCookieName(slug), Value: "", Path: "/", Domain: d, MaxAge: -1,
			HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
		})
	}
}

// endPreviousSession deletes the session the browser had at workspace slug
// before a new sign-in there, so a token never outlives a re-login
// (rotation). Sessions at other workspaces are left alone.
func (s *Server) endPreviousSession(r *http.Request, slug string) {
	if tok := sessionToken(r, slug); tok != "" {
		if _, err := s.svc.SignOut(r.Context(), tok); err != nil && !isSignedOutError(err) {
			s.log.Warn("could not delete previous session", "trace_id", traceID(r), "err", err)
		}
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
