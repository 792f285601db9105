package web

import (
	"net/http"
	"time"
)

// setSessionCookie stores a new session token (docs/concepts.md: HttpOnly, Secure,
// SameSite=Lax). Lax keeps the session on top-level navigations from the
// IdP and other sites but not on their cross-site POSTs.
func (s *Server) setSessionCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires.UTC(),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie removes the session cookie from the browser.
func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// endPreviousSession deletes the session the browser had before a new
// sign-in, so a token never outlives a re-login (rotation).
func (s *Server) endPreviousSession(r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && len(c.Value) <= 256 {
		if _, err := s.svc.SignOut(r.Context(), c.Value); err != nil && !isSignedOutError(err) {
			s.log.Warn("could not delete previous session", "trace_id", traceID(r), "err", err)
		}
	}
}
