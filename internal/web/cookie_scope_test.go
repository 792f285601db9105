package web

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
)

// siblingEnv is a workspace admin signed in at sso.example.com by a
// server run with GATEHOUSE_COOKIE_DOMAIN=example.com; sibling holds the
// cookies a browser sends to another host under that domain (a
// protected site, or any host an attacker runs there).
type siblingEnv struct {
	*testEnv
	srv     *Server
	sibling []*http.Cookie
	ownHost []*http.Cookie
}

func newSiblingEnv(t *testing.T) *siblingEnv {
	t.Helper()
	return newSiblingEnvOn(t, false)
}

func newSiblingEnvOn(t *testing.T, postgres bool) *siblingEnv {
	t.Helper()
	e := newTestEnv(t, testOptions{password: true, postgres: postgres})
	ctx := context.Background()
	_, err := e.svc.CreateUser(ctx, "", e.ws.ID, "root@example.com", "Root", "correct horse battery", "admin")
	must(t, err)
	srv, err := New(Options{Store: e.st, Service: e.svc, PublicURL: "https://sso.example.com", SecureCookies: true,
		CookieDomain: "example.com", Logger: e.web.log})
	must(t, err)
	// Sign in through the real form (GET for the CSRF cookie, then POST).
	jar, _ := cookiejar.New(nil)
	own, _ := url.Parse("https://sso.example.com/")
	do := func(req *http.Request) *httptest.ResponseRecorder {
		for _, c := range jar.Cookies(own) {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		jar.SetCookies(own, rec.Result().Cookies())
		return rec
	}
	page := do(httptest.NewRequest(http.MethodGet, "https://sso.example.com/login/acme", nil))
	m := csrfRe.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page (%d)", page.Code)
	}
	form := url.Values{"csrf": {m[1]}, "email": {"root@example.com"}, "password": {"correct horse battery"}}
	req := httptest.NewRequest(http.MethodPost, "https://sso.example.com/login/acme", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://sso.example.com")
	if rec := do(req); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
	}
	sib, _ := url.Parse("https://dash.example.com/")
	return &siblingEnv{testEnv: e, srv: srv, sibling: jar.Cookies(sib), ownHost: jar.Cookies(own)}
}

// serveWith serves path on the cookie-domain server with cookies.
func (e *siblingEnv) serveWith(path string, cookies []*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "https://sso.example.com"+path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// TestCookieDomainSiblingGetsNoAdminSession is security review finding 4:
// with GATEHOUSE_COOKIE_DOMAIN every host under the domain received the
// workspace session cookie, and with it could open the admin's settings.
// Now siblings get only the forward-auth cookie, which opens nothing but
// /auth/forward/{slug}.
func TestCookieDomainSiblingGetsNoAdminSession(t *testing.T) {
	bothBackends(t, testCookieDomainSiblingGetsNoAdminSession)
}

func testCookieDomainSiblingGetsNoAdminSession(t *testing.T, postgres bool) {
	e := newSiblingEnvOn(t, postgres)
	if r := e.serveWith("/settings/acme/members", e.ownHost); r.Code != http.StatusOK {
		t.Fatalf("the admin's own host: /settings/acme/members %d %s, want 200", r.Code, r.Header().Get("Location"))
	}
	for _, path := range []string{"/settings/acme/workspace-login", "/settings/acme/members", "/settings/acme/sites", "/w/acme"} {
		if r := e.serveWith(path, e.sibling); r.Code == http.StatusOK {
			t.Errorf("a sibling host's cookies opened %s (%d)", path, r.Code)
		}
	}
	for _, c := range e.sibling {
		if c.Name == sessionCookieName("acme") || c.Name == "gatehouse_session_acme" {
			t.Errorf("a sibling host received the session cookie %s", c.Name)
		}
	}
	// Under Secure cookies only the __Host- name is read: a bare-named
	// cookie, which any host under the domain may set, is no session even
	// with a valid token in it.
	for _, c := range e.ownHost {
		if c.Name == sessionCookieName("acme") {
			bare := []*http.Cookie{{Name: "gatehouse_session_acme", Value: c.Value}}
			if r := e.serveWith("/settings/acme/members", bare); r.Code == http.StatusOK {
				t.Errorf("a bare-named session cookie opened the settings under Secure cookies")
			}
		}
	}
	if r := e.serveWith("/auth/forward/acme", e.sibling); r.Code != http.StatusOK || r.Header().Get(hdrEmail) != "root@example.com" {
		t.Fatalf("forward auth with the sibling's cookies: %d %q, want 200 for root", r.Code, r.Header().Get(hdrEmail))
	}
}

// forwardToken is the forward token the sibling host received.
func (e *siblingEnv) forwardToken(t *testing.T) string {
	t.Helper()
	for _, c := range e.sibling {
		if c.Name == forwardCookieName("acme") {
			return c.Value
		}
	}
	t.Fatal("the sibling host got no forward-auth cookie")
	return ""
}

// TestForwardCookieOpensOnlyForwardAuth: the forward token opens no page,
// API call or form post, whatever cookie or header it is put in, and no
// CSRF token derived from it is accepted.
func TestForwardCookieOpensOnlyForwardAuth(t *testing.T) {
	e := newSiblingEnv(t)
	fwd := e.forwardToken(t)
	jars := map[string][]*http.Cookie{
		"forward cookie":         {{Name: forwardCookieName("acme"), Value: fwd}},
		"as the session cookie":  {{Name: sessionCookieName("acme"), Value: fwd}},
		"as the bare session":    {{Name: "gatehouse_session_acme", Value: fwd}},
		"bare session name, sib": {{Name: "gatehouse_session_acme", Value: fwd}, {Name: forwardCookieName("acme"), Value: fwd}},
	}
	for name, cookies := range jars {
		for _, path := range []string{"/settings/acme/members", "/settings/acme/workspace-login", "/settings/acme/sites", "/w/acme",
			"/settings/acme/api-tokens", "/logout/acme"} {
			if r := e.serveWith(path, cookies); r.Code == http.StatusOK {
				t.Errorf("%s opened %s", name, path)
			}
		}
		// A form post with the CSRF token a session-bound derivation of the
		// forward token would give.
		form := url.Values{"csrf": {sessionCSRF(fwd)}, "action": {"archive"}, "user_id": {"x"}}
		req := httptest.NewRequest(http.MethodPost, "https://sso.example.com/settings/acme/members", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://sso.example.com")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		// Refused by the CSRF check, or (the token under the session's name
		// passes the CSRF check as any cookie value would) sent to sign in.
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusForbidden &&
			(rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login/acme")) {
			t.Errorf("%s: a settings post with a CSRF token derived from the forward token: %d to %q, want 403 or sign-in", name, rec.Code, loc)
		}
	}
	req := httptest.NewRequest(http.MethodGet, "https://sso.example.com/api/v1/workspaces/acme/members", nil)
	req.Header.Set("Authorization", "Bearer "+fwd)
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("the forward token as an API token: %d, want 401", rec.Code)
	}
	if r := e.serveWith("/auth/forward/acme", jars["forward cookie"]); r.Code != http.StatusOK {
		t.Errorf("the forward cookie at /auth/forward/acme: %d, want 200", r.Code)
	}
}

// TestSignOutEndsForwardCookie: signing out ends the forward token at once
// on this replica (the cached answer is forgotten through the derivation,
// without the forward cookie in the request) and clears the cookie under
// the domain it was set with.
func TestSignOutEndsForwardCookie(t *testing.T) {
	e := newSiblingEnv(t)
	fwd := e.forwardToken(t)
	srv, err := New(Options{Store: e.st, Service: e.svc, PublicURL: "https://sso.example.com", SecureCookies: true,
		CookieDomain: "example.com", Logger: e.web.log, ForwardAuthCacheTTL: time.Minute})
	must(t, err)
	e.srv = srv
	if r := e.serveWith("/auth/forward/acme", e.sibling); r.Code != http.StatusOK {
		t.Fatalf("before sign-out: %d", r.Code)
	}
	var session string
	for _, c := range e.ownHost {
		if c.Name == sessionCookieName("acme") {
			session = c.Value
		}
	}
	form := url.Values{"csrf": {sessionCSRF(session)}}
	req := httptest.NewRequest(http.MethodPost, "https://sso.example.com/logout/acme", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://sso.example.com")
	req.AddCookie(&http.Cookie{Name: sessionCookieName("acme"), Value: session})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", rec.Code)
	}
	cleared := false
	for _, c := range rec.Result().Cookies() {
		if c.Name == forwardCookieName("acme") && c.Domain == "example.com" && c.MaxAge < 0 {
			cleared = true
		}
	}
	if !cleared {
		t.Errorf("sign-out did not clear the domain-scoped forward cookie: %v", rec.Header().Values("Set-Cookie"))
	}
	if r := e.serveWith("/auth/forward/acme", []*http.Cookie{{Name: forwardCookieName("acme"), Value: fwd}}); r.Code != http.StatusUnauthorized {
		t.Fatalf("the forward token after sign-out: %d, want 401", r.Code)
	}
}

// TestForwardReturnReissuesForwardCookie: /auth/return gives a signed-in
// browser that lacks the forward cookie (lost, or from before the cookie
// domain changed) a fresh one, so the protected site does not send it
// round to sign-in for ever; an anonymous browser gets none.
func TestForwardReturnReissuesForwardCookie(t *testing.T) {
	e := newSiblingEnv(t)
	fwd := e.forwardToken(t)
	var own []*http.Cookie
	for _, c := range e.ownHost {
		if c.Name != forwardCookieName("acme") {
			own = append(own, c)
		}
	}
	for name, cookies := range map[string][]*http.Cookie{"signed in": own, "anonymous": nil} {
		r := e.serveWith("/auth/return/acme", cookies)
		var got *http.Cookie
		for _, c := range r.Result().Cookies() {
			if c.Name == forwardCookieName("acme") {
				got = c
			}
		}
		if name == "anonymous" && got != nil {
			t.Errorf("anonymous: /auth/return set %s", got.Raw)
		}
		if name == "signed in" && (got == nil || got.Value != fwd || got.Domain != "example.com") {
			t.Errorf("signed in: /auth/return set %v, want the forward token for example.com", got)
		}
	}
}

// TestForwardCookieIsNoOIDCSession: the OIDC hand-off takes the session
// cookie only; a browser holding just the forward token (under either
// name) must sign in, and prompt=none answers login_required.
func TestForwardCookieIsNoOIDCSession(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	signedIn := e.newClient()
	e.codeFlow(a, signedIn, "n")
	fwd := e.cookie(signedIn, forwardCookieName("acme"))
	if fwd == nil {
		t.Fatal("no forward-auth cookie after sign-in")
	}
	promptNone := func(browser *http.Client) authResult {
		_, opts := pkce()
		return e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("prompt", "none"))...), false)
	}
	if res := promptNone(signedIn); res.code == "" {
		t.Fatalf("the signed-in browser itself: %+v, want a code", res)
	}
	u, _ := url.Parse(e.srv.URL)
	for _, name := range []string{forwardCookieName("acme"), sessionCookieName("acme")} {
		browser := e.newClient()
		browser.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: fwd.Value, Path: "/"}})
		if res := promptNone(browser); res.code != "" || res.err != "login_required" {
			t.Errorf("the forward token as %s: %+v, want login_required", name, res)
		}
	}
}
