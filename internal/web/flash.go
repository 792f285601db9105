package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"
)

// Post/redirect/get (docs/decisions.md, "Issue 12"): a successful POST of
// a settings page answers 303 to the page, and what the page should say
// once ("Role changed.", a new API token) travels in a flash cookie:
//   - sealed with AES-256-GCM under a key derived from the session token,
//     so it needs no server state, works on every replica and can be read
//     only together with the session it was made for;
//   - scoped to the settings pages, HttpOnly, SameSite=Strict, two minutes;
//   - shown once: the GET that displays it deletes it, so a reload shows
//     the page without it (and a reload never repeats the POST).
// A secret such as a new API token is therefore never in a URL, a log line
// or the database.

const (
	flashCookie = "gatehouse_flash"
	flashPath   = "/settings/"
	flashTTL    = 2 * time.Minute
)

// flash is one message for the page a POST redirects to.
type flash struct {
	Path    string `json:"p"`           // the page it is for
	Message string `json:"m"`           // shown in the status banner
	Warning string `json:"w,omitempty"` // a second, warning banner
	Section string `json:"s,omitempty"` // which form of the page was saved
	Secret  string `json:"x,omitempty"` // a one-time secret (new token)
	Ref     string `json:"r,omitempty"` // what the secret belongs to (a client ID)
	Expires int64  `json:"e"`           // Unix seconds
}

// flashKey derives the sealing key from the session token (like the CSRF
// token), with its own label so the two never coincide.
func flashKey(sessionToken string) []byte {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("gatehouse flash v1"))
	return m.Sum(nil)
}

// flashAEAD is AES-256-GCM under the session's flash key; nil when the
// browser has no session.
func (s *Server) flashAEAD(r *http.Request) cipher.AEAD {
	ws := requestWorkspace(r)
	if ws == nil {
		return nil
	}
	tok := s.sessionToken(r, ws.Slug)
	if tok == "" {
		return nil
	}
	block, err := aes.NewCipher(flashKey(tok))
	if err != nil {
		return nil
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil
	}
	return aead
}

// redirectFlash answers a successful POST: 303 to target with f sealed in
// the flash cookie for target's path.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, target string, f flash) {
	if aead := s.flashAEAD(r); aead != nil {
		f.Path = pathOnly(target)
		f.Expires = s.now().Add(flashTTL).Unix()
		plain, _ := json.Marshal(f) // a struct of strings cannot fail
		nonce := make([]byte, aead.NonceSize())
		_, _ = rand.Read(nonce)
		sealed := aead.Seal(nonce, nonce, plain, []byte(flashCookie))
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(sealed),
			Path: flashPath, MaxAge: int(flashTTL / time.Second), HttpOnly: true, Secure: s.opts.SecureCookies,
			SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// takeFlash returns the flash for this page (nil when there is none, it
// expired, or it is not this session's) and deletes the cookie, so that
// the message and any secret in it are shown once.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	aead := s.flashAEAD(r)
	if err != nil || aead == nil || len(raw) < aead.NonceSize() || len(raw) > 8<<10 {
		s.clearFlash(w)
		return nil
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(flashCookie))
	var f flash
	if err != nil || json.Unmarshal(plain, &f) != nil || s.now().Unix() > f.Expires {
		s.clearFlash(w)
		return nil
	}
	if f.Path != r.URL.Path {
		return nil // meant for another page: leave it for that one
	}
	s.clearFlash(w)
	return &f
}

// clearFlash deletes the flash cookie.
func (s *Server) clearFlash(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: flashPath, MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// pathOnly is target without its query and fragment.
func pathOnly(target string) string {
	for i, c := range target {
		if c == '?' || c == '#' {
			return target[:i]
		}
	}
	return target
}
