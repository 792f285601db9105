package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"github.com/gatehouse-sso/gatehouse/internal/scim"
	"net/http"
	"strings"
)

// CSRF protection (every state-changing form):
//   - Signed-in browsers: the token is HMAC-SHA256 keyed by the session
//     token of the workspace the path names (pathWorkspace), so it is bound
//     to that session, needs no server state and works on every replica.
//   - Signed-out browsers (sign-in and setup forms): a double-submit cookie
//     whose value the form repeats.
//   - Both: when the browser says where the request came from (Sec-Fetch-Site
//     or Origin), it must be us.
// The middleware checks every POST/PUT/PATCH/DELETE except the SAML
// endpoints (the IdP posts there cross-site; they are protected by the
// SAML binding, the request cookie and the replay cache) and /api/v1
// (bearer tokens, no cookies).

const (
	csrfCookie = "gatehouse_csrf"
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
	// maxFormBytes bounds form bodies read for the CSRF check (the SAML
	// settings form carries up to 1 MiB of pasted metadata).
	maxFormBytes = 2 << 20
)

var errCSRF = errors.New("csrf check failed")

// csrfToken returns the token for the page being rendered, setting the
// anonymous cookie when the browser has neither it nor a session.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if t := s.expectedCSRF(r); t != "" {
		return t
	}
	v := randomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	return v
}

// expectedCSRF is the token the browser's cookies call for: the
// session-bound one when it holds a session at the path's workspace, else
// the anonymous cookie's value; "" when it has neither.
func (s *Server) expectedCSRF(r *http.Request) string {
	if tok := s.sessionToken(r, pathWorkspace(r.URL.Path)); tok != "" {
		return sessionCSRF(tok)
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	return ""
}

// sessionCSRF derives the session-bound token.
func sessionCSRF(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("gatehouse csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// checkCSRF verifies the request's origin and token. It reads the form
// (bounded), so handlers can use r.PostFormValue afterwards. Errors: errCSRF,
// errMultipart, or the form's read error (*http.MaxBytesError when too big).
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request) error {
	if !s.sameOrigin(r) {
		return errCSRF
	}
	// The form is read (bounded) also when the token comes in the header:
	// handlers read it afterwards, and must never read it unbounded.
	if err := readForm(w, r); err != nil {
		return err
	}
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostForm.Get(csrfField)
	}
	want := s.expectedCSRF(r)
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}

// sameOrigin rejects requests a browser marks as coming from elsewhere.
// Requests without either header (non-browser clients) rely on the token.
func (s *Server) sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	// Our pages are served with Referrer-Policy no-referrer, which makes
	// the browser send "Origin: null" on their own form posts (Fetch,
	// "serializing a request origin"); Sec-Fetch-Site, which page content
	// cannot set, then vouches that the post is same-origin.
	if o == "null" && r.Header.Get("Sec-Fetch-Site") == "same-origin" {
		return true
	}
	if o != "" && o != s.origin() {
		return false
	}
	return true
}

// csrfExempt lists the state-changing endpoints that are not browser forms.
func csrfExempt(path string) bool {
	// /oidc/: the provider's endpoints are called by applications (token,
	// revocation) or reached by top-level navigation (authorize,
	// end-session, which only ends a session for a valid id_token_hint).
	// SCIM: bearer tokens, no cookies.
	return strings.HasPrefix(path, "/api/sso/saml/") || strings.HasPrefix(path, "/oidc/") || strings.HasPrefix(path, "/api/v1/") || path == "/api/v1" ||
		strings.HasPrefix(path, scim.PathPrefix)
}

// csrfMiddleware enforces checkCSRF on every unsafe method.
func (s *Server) csrfMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !csrfExempt(r.URL.Path) {
				if err := s.checkCSRF(w, r); err != nil {
					s.log.Warn("csrf rejected", "trace_id", traceID(r), "path", r.URL.Path, "err", err)
					s.errorPage(w, r, formErrorStatus(err))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
