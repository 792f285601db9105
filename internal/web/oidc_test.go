package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// oidcTestOptions configure the providers of a test environment.
type oidcTestOptions struct {
	clock *testClock // nil = time.Now
	alg   string     // signing algorithm of generated keys; "" = RS256
	// maxPending caps a workspace's pending authorizations (0 = default).
	maxPending int
	// privateBackChannel allows back-channel logout URIs on loopback (the
	// tests' receivers) and plain http.
	privateBackChannel bool
}

// testClock is a settable clock for the provider (key refresh and
// retirement); tokens' own exp/iat come from the op package's real clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newOIDCProvider builds one replica's provider (nil without options).
func (e *testEnv) newOIDCProvider(o *oidcTestOptions, log *slog.Logger) *oidc.Provider {
	if o == nil {
		return nil
	}
	now := time.Now
	if o.clock != nil {
		now = o.clock.Now
	}
	p, err := oidc.New(context.Background(), oidc.Options{Store: e.st, PublicURL: e.srv.URL, Now: now, Log: log, SigningAlg: o.alg,
		MaxPendingAuthRequests: o.maxPending, AllowPrivateBackChannel: o.privateBackChannel})
	must(e.t, err)
	e.svc.OnSignOut = p.OnSignOut
	e.oidc = append(e.oidc, p)
	return p
}

// oidcApp is a registered application and the relying party's view of it.
type oidcApp struct {
	client   *store.OIDCClient
	secret   string
	conf     oauth2.Config
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	ctx      context.Context // carries the TLS client for go-oidc and oauth2
}

const testRedirectURI = "https://app.example.test/callback"

// oidcEnv is a server with a provider, the member alice (builder, group
// "eng", password login) and helpers to run the code flow.
type oidcEnv struct {
	*testEnv
	aliceID string
	groupID string
	// privateBackChannel: applications may use http back-channel URIs.
	privateBackChannel bool
}

const alicePassword = "correct horse battery staple"

func newOIDCEnv(t testing.TB, o testOptions) *oidcEnv {
	t.Helper()
	if o.oidc == nil {
		o.oidc = &oidcTestOptions{}
	}
	o.password = true
	e := &oidcEnv{testEnv: newTestEnv(t, o), privateBackChannel: o.oidc.privateBackChannel}
	ctx := context.Background()
	u, err := e.svc.CreateUser(ctx, "", e.ws.ID, "alice@example.com", "Alice Ann Liddell", alicePassword, "builder")
	must(t, err)
	e.aliceID = u.ID
	g, err := e.svc.CreateGroup(ctx, "", e.ws.ID, "eng", false)
	must(t, err)
	e.groupID = g.ID
	must(t, e.svc.AddGroupMember(ctx, "", e.ws.ID, g.ID, u.ID))
	return e
}

// app registers an application and discovers the provider with go-oidc.
func (e *oidcEnv) app(in oidc.AppInput) *oidcApp {
	e.t.Helper()
	if in.Name == "" {
		in.Name = "Test app"
	}
	if in.RedirectURIs == nil {
		in.RedirectURIs = []string{testRedirectURI}
	}
	apps := &oidc.Apps{Store: e.st, AllowPrivateBackChannel: e.privateBackChannel}
	c, secret, err := apps.Create(context.Background(), "", e.ws.ID, in)
	must(e.t, err)
	ctx := gooidc.ClientContext(context.Background(), e.srv.Client())
	p, err := gooidc.NewProvider(ctx, e.srv.URL+"/oidc/acme")
	must(e.t, err)
	ep := p.Endpoint()
	// No auto-detection: after a refused secret it would retry the same
	// code with the secret in the body, and that code is spent by then.
	ep.AuthStyle = oauth2.AuthStyleInHeader
	return &oidcApp{client: c, secret: secret, provider: p, ctx: ctx,
		verifier: p.Verifier(&gooidc.Config{ClientID: c.ID}),
		conf: oauth2.Config{ClientID: c.ID, ClientSecret: secret, Endpoint: ep, RedirectURL: in.RedirectURIs[0],
			Scopes: []string{gooidc.ScopeOpenID, "email", "profile", "groups", gooidc.ScopeOfflineAccess}}}
}

// authResult is where the authorization ended for the application.
type authResult struct {
	code, state, err string
	loginPage        bool // stopped at the sign-in page (login disabled)
	status           int  // non-redirect answer from Gatehouse
}

// authorize runs the browser through the authorization endpoint,
// signing in with alice's password when sent to the sign-in page (if
// login), until Gatehouse redirects to the application.
func (e *oidcEnv) authorize(browser *http.Client, authURL string, login bool) authResult {
	e.t.Helper()
	next := authURL
	for range 12 {
		resp, err := browser.Get(next)
		must(e.t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
			return authResult{status: resp.StatusCode}
		}
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		must(e.t, err)
		if strings.HasPrefix(loc.String(), testRedirectURI) || !strings.HasPrefix(loc.String(), e.srv.URL) {
			q := loc.Query()
			return authResult{code: q.Get("code"), state: q.Get("state"), err: q.Get("error")}
		}
		if loc.Path == "/login/acme" {
			if !login {
				return authResult{loginPage: true}
			}
			e.passwordLogin(browser, loc.RequestURI())
			next = e.srv.URL + loc.Query().Get("redirect_to")
			continue
		}
		next = loc.String()
	}
	e.t.Fatal("authorization did not finish in 12 redirects")
	return authResult{}
}

// passwordLogin signs alice in on the sign-in page at path.
func (e *oidcEnv) passwordLogin(browser *http.Client, path string) {
	e.t.Helper()
	u, _ := url.Parse(path)
	csrf := e.csrfFrom(browser, path)
	resp := e.postForm(browser, "/login/acme", url.Values{"email": {"alice@example.com"}, "password": {alicePassword},
		"csrf": {csrf}, "redirect_to": {u.Query().Get("redirect_to")}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("password login: status %d", resp.StatusCode)
	}
}

// pkce returns a verifier and the S256 authorization options.
func pkce() (string, []oauth2.AuthCodeOption) {
	v := oauth2.GenerateVerifier()
	return v, []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(v)}
}

// codeFlow signs alice in and returns the token response.
func (e *oidcEnv) codeFlow(a *oidcApp, browser *http.Client, nonce string) *oauth2.Token {
	e.t.Helper()
	verifier, opts := pkce()
	res := e.authorize(browser, a.conf.AuthCodeURL("st-1", append(opts, gooidc.Nonce(nonce))...), true)
	if res.code == "" || res.state != "st-1" {
		e.t.Fatalf("authorization: %+v", res)
	}
	tok, err := a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	must(e.t, err)
	return tok
}

// idToken verifies the response's ID token with go-oidc.
func (a *oidcApp) idToken(t *testing.T, tok *oauth2.Token) (*gooidc.IDToken, map[string]any) {
	t.Helper()
	raw, _ := tok.Extra("id_token").(string)
	idt, err := a.verifier.Verify(a.ctx, raw)
	if err != nil {
		t.Fatalf("ID token does not verify: %v", err)
	}
	var claims map[string]any
	must(t, idt.Claims(&claims))
	return idt, claims
}

func TestOIDCDiscovery(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	var d map[string]any
	must(t, a.provider.Claims(&d))
	iss := e.srv.URL + "/oidc/acme"
	for k, want := range map[string]string{
		"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/oauth/token",
		"userinfo_endpoint": iss + "/userinfo", "revocation_endpoint": iss + "/revoke",
		"end_session_endpoint": iss + "/end_session", "jwks_uri": iss + "/keys",
	} {
		if d[k] != want {
			t.Errorf("discovery %s = %v, want %s", k, d[k], want)
		}
	}
	for _, c := range []string{"groups", "role", "workspace", "sid", "amr"} {
		if !slices.Contains(anyStrings(d["claims_supported"]), c) {
			t.Errorf("claims_supported lacks %s: %v", c, d["claims_supported"])
		}
	}
	for k, want := range map[string][]string{"response_types_supported": {"code"}, "grant_types_supported": {"authorization_code", "refresh_token"},
		"response_modes_supported": {"query"}} {
		if got := anyStrings(d[k]); !slices.Equal(got, want) {
			t.Errorf("discovery %s = %v, want %v", k, got, want)
		}
	}
	if got := anyStrings(d["code_challenge_methods_supported"]); !slices.Equal(got, []string{"S256"}) {
		t.Errorf("code_challenge_methods_supported = %v, want [S256]", got)
	}
	// An unknown workspace has no provider.
	resp := e.get(e.client, "/oidc/nope/.well-known/openid-configuration")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown workspace discovery: status %d, want 404", resp.StatusCode)
	}
}

// anyStrings converts a JSON array of strings.
func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestOIDCCodeFlowClaims(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newOIDCEnv(t, testOptions{postgres: postgres})
		a := e.app(oidc.AppInput{})
		before := time.Now().Add(-time.Second)
		tok := e.codeFlow(a, e.newClient(), "n-0S6_WzA2Mj")
		idt, c := a.idToken(t, tok)
		if idt.Subject != e.aliceID || idt.Nonce != "n-0S6_WzA2Mj" || !slices.Equal(idt.Audience, []string{a.client.ID}) {
			t.Errorf("sub/nonce/aud = %s/%s/%v", idt.Subject, idt.Nonce, idt.Audience)
		}
		want := map[string]any{"email": "alice@example.com", "email_verified": true, "name": "Alice Ann Liddell",
			"given_name": "Alice Ann", "family_name": "Liddell", "role": "builder", "workspace": "acme"}
		for k, v := range want {
			if c[k] != v {
				t.Errorf("claim %s = %v, want %v", k, c[k], v)
			}
		}
		if g := anyStrings(c["groups"]); !slices.Equal(g, []string{"eng"}) {
			t.Errorf("groups = %v, want [eng]", g)
		}
		if amr := anyStrings(c["amr"]); !slices.Equal(amr, []string{"pwd"}) {
			t.Errorf("amr = %v, want [pwd]", amr)
		}
		if sid, _ := c["sid"].(string); len(sid) < 16 {
			t.Errorf("sid = %v", c["sid"])
		}
		at, _ := c["auth_time"].(float64)
		if authTime := time.Unix(int64(at), 0); authTime.Before(before.Truncate(time.Second)) || authTime.After(time.Now()) {
			t.Errorf("auth_time = %v, want the sign-in time", authTime)
		}
		if tok.RefreshToken == "" {
			t.Error("no refresh token for offline_access")
		}
		// Userinfo answers the same claims for the access token.
		ui, err := a.provider.UserInfo(a.ctx, oauth2.StaticTokenSource(tok))
		must(t, err)
		var uc map[string]any
		must(t, ui.Claims(&uc))
		if ui.Subject != e.aliceID || ui.Email != "alice@example.com" || uc["role"] != "builder" || !slices.Equal(anyStrings(uc["groups"]), []string{"eng"}) {
			t.Errorf("userinfo = %v", uc)
		}
		// The code is single-use.
		if _, err := a.conf.Exchange(a.ctx, "reused", oauth2.VerifierOption("x")); err == nil {
			t.Error("a made-up code was exchanged")
		}
	})
}

func TestOIDCCodeReuseAndPKCE(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	verifier, opts := pkce()
	res := e.authorize(browser, a.conf.AuthCodeURL("s", opts...), true)
	// Wrong verifier: invalid_grant, and the code is spent.
	_, err := a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	wantOAuthError(t, err, "invalid_grant")
	_, err = a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_grant")
	// A fresh code works once, then never again.
	verifier, opts = pkce()
	res = e.authorize(browser, a.conf.AuthCodeURL("s", opts...), true)
	_, err = a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	must(t, err)
	_, err = a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_grant")
	// Wrong secret: invalid_client.
	bad := a.conf
	bad.ClientSecret = "wrong"
	verifier, opts = pkce()
	res = e.authorize(browser, a.conf.AuthCodeURL("s", opts...), true)
	_, err = bad.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_client")
	// plain PKCE is refused at the authorization endpoint.
	res = e.authorize(browser, a.conf.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"),
		oauth2.SetAuthURLParam("code_challenge_method", "plain")), true)
	if res.err != "invalid_request" || res.state != "s" {
		t.Errorf("plain PKCE: %+v, want invalid_request", res)
	}
}

// wantOAuthError checks err is an OAuth error response with code.
func wantOAuthError(t *testing.T, err error, code string) {
	t.Helper()
	re, ok := err.(*oauth2.RetrieveError)
	if !ok || re.ErrorCode != code {
		t.Fatalf("error = %v, want OAuth error %s", err, code)
	}
}

func TestOIDCPublicClientNeedsPKCE(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{Public: true})
	if a.secret != "" {
		t.Fatal("a public client got a secret")
	}
	browser := e.newClient()
	res := e.authorize(browser, a.conf.AuthCodeURL("s"), true)
	if res.err != "invalid_request" {
		t.Fatalf("public client without PKCE: %+v", res)
	}
	tok := e.codeFlow(a, browser, "n")
	a.idToken(t, tok)
}

func TestOIDCWrongRedirectURIIsNotRedirected(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	bad := a.conf
	bad.RedirectURL = "https://evil.example.test/callback"
	_, opts := pkce()
	res := e.authorize(e.newClient(), bad.AuthCodeURL("s", opts...), true)
	if res.status != http.StatusBadRequest {
		t.Fatalf("mismatched redirect URI: %+v, want a 400 page", res)
	}
	resp := e.get(e.client, "/oidc/acme/authorize?"+url.Values{"client_id": {a.client.ID}, "redirect_uri": {bad.RedirectURL},
		"response_type": {"code"}, "scope": {"openid"}}.Encode())
	page := body(t, resp)
	if !strings.Contains(page, "trace") && !strings.Contains(strings.ToLower(page), "trace") {
		t.Errorf("error page without trace ID:\n%s", page)
	}
	// Unknown client: the same, never a redirect.
	resp = e.get(e.client, "/oidc/acme/authorize?"+url.Values{"client_id": {"nope"}, "redirect_uri": {testRedirectURI},
		"response_type": {"code"}, "scope": {"openid"}}.Encode())
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown client: status %d, want 400", resp.StatusCode)
	}
}

func TestOIDCPromptNoneAndLogin(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	_, opts := pkce()
	res := e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("prompt", "none"))...), false)
	if res.err != "login_required" || res.state != "s" {
		t.Fatalf("prompt=none without session: %+v", res)
	}
	e.codeFlow(a, browser, "n") // signs in
	_, opts = pkce()
	res = e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("prompt", "none"))...), false)
	if res.code == "" {
		t.Fatalf("prompt=none with session: %+v", res)
	}
	// prompt=login sends a signed-in browser through the sign-in again.
	_, opts = pkce()
	res = e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("prompt", "login"))...), false)
	if !res.loginPage {
		t.Fatalf("prompt=login: %+v, want the sign-in page", res)
	}
	res = e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("prompt", "login"))...), true)
	if res.code == "" {
		t.Fatalf("prompt=login after signing in again: %+v", res)
	}
}

func TestOIDCAccessRules(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	admins := e.app(oidc.AppInput{MinRole: "admin"})
	_, opts := pkce()
	res := e.authorize(e.newClient(), admins.conf.AuthCodeURL("s", opts...), true)
	if res.err != "access_denied" {
		t.Fatalf("builder at an admin-only app: %+v", res)
	}
	if !strings.Contains(e.logs.String(), `msg="oidc: request refused"`) || !strings.Contains(e.logs.String(), "error=access_denied") {
		t.Error("the access_denied answer was not logged with a trace ID")
	}
	if ev := e.audit("app.denied"); len(ev) != 1 || ev[0].UserID != e.aliceID {
		t.Errorf("audit of the refusal = %+v", ev)
	}
	eng := e.app(oidc.AppInput{AllowedGroups: []string{"eng"}})
	browser := e.newClient()
	tok := e.codeFlow(eng, browser, "n")
	if ev := e.audit("app.authorize"); len(ev) != 1 || !strings.Contains(string(ev[0].Details), eng.client.ID) {
		t.Errorf("audit of the authorization = %+v", ev)
	}
	// Archived: refused at refresh, and at the authorization endpoint.
	must(t, e.svc.SetMemberStatus(context.Background(), "", e.ws.ID, e.aliceID, store.StatusArchived))
	if rt, err := e.st.GetOIDCRefreshToken(context.Background(), e.ws.ID, sha256Of(tok.RefreshToken)); err != nil || !rt.Revoked {
		t.Fatalf("refresh token after archiving: %+v, %v; want revoked", rt, err)
	}
	_, err := eng.conf.TokenSource(eng.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
	_, opts = pkce()
	res = e.authorize(e.newClient(), eng.conf.AuthCodeURL("s", opts...), false)
	if res.code != "" {
		t.Fatalf("archived member got a code: %+v", res)
	}
}

func TestOIDCArchivedRefusedAtRefreshWithLiveToken(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	tok := e.codeFlow(a, e.newClient(), "n")
	// Group change shows at refresh (claims are never frozen at sign-in).
	must(t, e.svc.SetMemberRole(context.Background(), "", e.ws.ID, e.aliceID, "end-user"))
	tok2, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	must(t, err)
	_, c := a.idToken(t, tok2)
	if c["role"] != "end-user" {
		t.Errorf("role after refresh = %v, want end-user", c["role"])
	}
	if tok2.RefreshToken == tok.RefreshToken || tok2.RefreshToken == "" {
		t.Fatal("refresh token not rotated")
	}
	// Reuse of the rotated-out token revokes the family: the new one dies too.
	_, err = a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
	_, err = a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok2.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
}

func TestOIDCSignOutRevokesRefreshTokens(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	tok := e.codeFlow(a, browser, "n")
	csrf := e.csrfFrom(browser, "/w/acme")
	resp := e.postForm(browser, "/logout/acme", url.Values{"csrf": {csrf}})
	resp.Body.Close()
	_, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
}

func TestOIDCRevocationAndEndSession(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{PostLogoutRedirectURIs: []string{"https://app.example.test/bye"}})
	browser := e.newClient()
	tok := e.codeFlow(a, browser, "n")
	// Revocation endpoint (RFC 7009) with client authentication.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oidc/acme/revoke",
		strings.NewReader(url.Values{"token": {tok.RefreshToken}, "token_type_hint": {"refresh_token"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(a.client.ID, a.secret)
	resp, err := e.srv.Client().Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: status %d", resp.StatusCode)
	}
	_, err = a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")

	// RP-initiated logout: unregistered post-logout URI refused, the
	// registered one ends the session and redirects exactly there.
	tok = e.codeFlow(a, browser, "n")
	raw, _ := tok.Extra("id_token").(string)
	resp = e.get(browser, "/oidc/acme/end_session?"+url.Values{"id_token_hint": {raw},
		"post_logout_redirect_uri": {"https://evil.example.test/"}}.Encode())
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unregistered post-logout URI: status %d, want 400", resp.StatusCode)
	}
	resp = e.get(browser, "/oidc/acme/end_session?"+url.Values{"id_token_hint": {raw},
		"post_logout_redirect_uri": {"https://app.example.test/bye"}, "state": {"x"}}.Encode())
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "https://app.example.test/bye?state=x" {
		t.Fatalf("end_session redirect = %q", loc)
	}
	resp = e.get(browser, "/w/acme")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("workspace page after end_session: status %d, want a redirect to sign in", resp.StatusCode)
	}
	_, err = a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
}

func TestOIDCKeyRotation(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{clock: clock}})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	tok1 := e.codeFlow(a, browser, "n")
	old := jwtKeyID(t, tok1.Extra("id_token").(string))
	p := e.oidc[0]
	clock.Advance(time.Second)
	_, err := oidc.RotateKeys(context.Background(), e.st, clock.Now(), 0, p.MaxTokenLifetime(), oidc.AlgRS256)
	must(t, err)
	clock.Advance(oidc.DefaultKeyRefresh + time.Second) // the replica reloads its keys
	tok2 := e.codeFlow(a, browser, "n")
	if jwtKeyID(t, tok2.Extra("id_token").(string)) == old {
		t.Fatal("still signing with the old key after rotation")
	}
	// A fresh verifier (empty JWKS cache) still accepts the old token.
	fresh := e.app(oidc.AppInput{})
	if _, err := fresh.provider.Verifier(&gooidc.Config{ClientID: a.client.ID}).Verify(fresh.ctx, tok1.Extra("id_token").(string)); err != nil {
		t.Fatalf("token signed before rotation no longer verifies: %v", err)
	}
	if !slices.Contains(e.jwksKeyIDs(), old) {
		t.Fatal("old key left the JWKS while its tokens are valid")
	}
	clock.Advance(p.MaxTokenLifetime() + oidc.DefaultKeyRefresh)
	if ids := e.jwksKeyIDs(); slices.Contains(ids, old) || len(ids) != 1 {
		t.Fatalf("JWKS after the old key's tokens expired = %v", ids)
	}
}

// jwksKeyIDs lists the key IDs the JWKS publishes.
func (e *oidcEnv) jwksKeyIDs() []string {
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	must(e.t, json.Unmarshal([]byte(body(e.t, e.get(e.client, "/oidc/acme/keys"))), &set))
	var ids []string
	for _, k := range set.Keys {
		ids = append(ids, k.Kid)
	}
	return ids
}

// jwtKeyID reads the kid of a JWT's header.
func jwtKeyID(t *testing.T, raw string) string {
	t.Helper()
	h, _, _ := strings.Cut(raw, ".")
	var hdr struct {
		Kid string `json:"kid"`
	}
	b, err := base64.RawURLEncoding.DecodeString(h)
	must(t, err)
	must(t, json.Unmarshal(b, &hdr))
	return hdr.Kid
}

func TestOIDCTwoReplicasPostgres(t *testing.T) {
	e := newOIDCEnv(t, testOptions{postgres: true, replicas: 2})
	a := e.app(oidc.AppInput{})
	// Requests alternate between the replicas, so authorize, login
	// hand-off, callback, token and refresh land on different ones.
	for i := range 3 {
		tok := e.codeFlow(a, e.newClient(), "n")
		a.idToken(t, tok)
		tok2, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		if err != nil {
			t.Fatalf("round %d: refresh: %v", i, err)
		}
		a.idToken(t, tok2)
	}
}

func TestOIDCBackChannelLogout(t *testing.T) {
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{privateBackChannel: true}})
	got := make(chan string, 4)
	rp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
			got <- r.PostFormValue("logout_token")
		}
	}))
	defer rp.Close()
	withRefresh := e.app(oidc.AppInput{BackChannelLogoutURI: rp.URL + "/bcl"})
	idOnly := e.app(oidc.AppInput{BackChannelLogoutURI: rp.URL + "/bcl2"})
	idOnly.conf.Scopes = []string{gooidc.ScopeOpenID}
	silent := e.app(oidc.AppInput{}) // no back-channel URI: nothing sent
	browser := e.newClient()
	tok := e.codeFlow(withRefresh, browser, "n")
	_, c := withRefresh.idToken(t, tok)
	e.codeFlow(idOnly, browser, "n")
	e.codeFlow(silent, browser, "n")
	csrf := e.csrfFrom(browser, "/w/acme")
	resp := e.postForm(browser, "/logout/acme", url.Values{"csrf": {csrf}})
	resp.Body.Close()
	auds := map[string]bool{}
	for range 2 {
		var raw string
		select {
		case raw = <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("no back-channel logout token arrived")
		}
		var aud string
		for _, a := range []*oidcApp{withRefresh, idOnly} {
			v := a.provider.Verifier(&gooidc.Config{ClientID: a.client.ID})
			lt, err := v.Verify(a.ctx, raw)
			if err != nil {
				continue
			}
			aud = a.client.ID
			var claims map[string]any
			must(t, lt.Claims(&claims))
			events, _ := claims["events"].(map[string]any)
			if _, ok := events["http://schemas.openid.net/event/backchannel-logout"]; !ok || lt.Subject != e.aliceID ||
				claims["sid"] != c["sid"] || claims["nonce"] != nil {
				t.Errorf("logout token claims = %v", claims)
			}
		}
		if aud == "" || auds[aud] {
			t.Fatalf("logout token for an unexpected audience (or twice): %s", raw)
		}
		auds[aud] = true
	}
	select {
	case raw := <-got:
		t.Fatalf("an extra logout token was sent: %s", raw)
	case <-time.After(300 * time.Millisecond):
	}
}

// A SAML sign-in gives amr "ext"; the IdP's single logout revokes the
// refresh tokens issued under the sessions it ends.
func TestOIDCSAMLSignInAndSingleLogout(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	e.signInWithIndex(browser, "alice@example.com", "idx-1")
	tok := e.codeFlow(a, browser, "n") // already signed in: no password
	_, c := a.idToken(t, tok)
	if amr := anyStrings(c["amr"]); !slices.Equal(amr, []string{"ext"}) {
		t.Errorf("amr after SAML sign-in = %v, want [ext]", amr)
	}
	q := signedRedirectQuery(t, e.idp.Key, e.logoutXML("nameid-alice@example.com", "idx-1", time.Now()), "")
	body(t, e.get(e.newClient(), "/api/sso/saml/"+e.cfg.ID+"/slo?"+q))
	if e.signedIn(browser) {
		t.Fatal("single logout left the session")
	}
	_, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")
	rt, err := e.st.GetOIDCRefreshToken(context.Background(), e.ws.ID, sha256Of(tok.RefreshToken))
	if err != nil || !rt.Revoked {
		t.Fatalf("refresh token after single logout: %+v, %v; want revoked", rt, err)
	}
}

func sha256Of(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func TestOIDCScheduledRotation(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{clock: clock}})
	e.svc.Now = clock.Now // sessions live on the same (advanced) clock as the provider
	p := e.oidc[0]
	first := e.jwksKeyIDs()
	rotated, err := p.RotateIfDue(context.Background(), 24*time.Hour)
	must(t, err)
	if rotated || len(first) != 1 {
		t.Fatalf("rotated a fresh key (keys %v)", first)
	}
	clock.Advance(24 * time.Hour)
	rotated, err = p.RotateIfDue(context.Background(), 24*time.Hour)
	must(t, err)
	if !rotated {
		t.Fatal("a day-old key was not rotated on a daily schedule")
	}
	// Published at once, signing only after the activation delay.
	if ids := e.jwksKeyIDs(); len(ids) != 2 || !slices.Contains(ids, first[0]) {
		t.Fatalf("JWKS after rotation = %v", ids)
	}
	a := e.app(oidc.AppInput{})
	if kid := jwtKeyID(t, e.codeFlow(a, e.newClient(), "n").Extra("id_token").(string)); kid != first[0] {
		t.Fatal("the new key signed before its activation delay")
	}
	clock.Advance(p.KeyActivationDelay() + time.Second)
	if kid := jwtKeyID(t, e.codeFlow(a, e.newClient(), "n").Extra("id_token").(string)); kid == first[0] {
		t.Fatal("the new key does not sign after its activation delay")
	}
}

func TestOIDCAccessTokenExpires(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{clock: clock}})
	a := e.app(oidc.AppInput{})
	tok := e.codeFlow(a, e.newClient(), "n")
	if strings.Count(tok.AccessToken, ".") == 2 {
		t.Error("the access token is a JWT; want the opaque encrypted token")
	}
	if _, err := a.provider.UserInfo(a.ctx, oauth2.StaticTokenSource(tok)); err != nil {
		t.Fatalf("userinfo with a fresh token: %v", err)
	}
	clock.Advance(oidc.DefaultAccessTokenTTL + time.Second)
	if _, err := a.provider.UserInfo(a.ctx, oauth2.StaticTokenSource(tok)); err == nil {
		t.Fatal("userinfo accepted an expired access token")
	}
	// Tampering is detected (the token is authenticated encryption).
	bad := *tok
	bad.AccessToken = tok.AccessToken[:len(tok.AccessToken)-4] + "AAAA"
	clock.Advance(-oidc.DefaultAccessTokenTTL)
	if _, err := a.provider.UserInfo(a.ctx, oauth2.StaticTokenSource(&bad)); err == nil {
		t.Fatal("userinfo accepted a tampered access token")
	}
}

// Two concurrent uses of one refresh token: at most one succeeds, and
// then the family is revoked (a concurrent second use counts as reuse).
func TestOIDCConcurrentRefresh(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newOIDCEnv(t, testOptions{postgres: postgres})
		a := e.app(oidc.AppInput{})
		tok := e.codeFlow(a, e.newClient(), "n")
		const n = 6
		var wg sync.WaitGroup
		results := make([]*oauth2.Token, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
			}()
		}
		wg.Wait()
		var winners []*oauth2.Token
		for i, err := range errs {
			if err == nil {
				winners = append(winners, results[i])
				continue
			}
			if re, ok := err.(*oauth2.RetrieveError); !ok || re.ErrorCode != "invalid_grant" {
				t.Fatalf("a concurrent refresh failed with %v, want invalid_grant", err)
			}
		}
		if len(winners) > 1 {
			t.Fatalf("%d concurrent uses of one refresh token succeeded", len(winners))
		}
		for _, w := range winners {
			if _, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: w.RefreshToken}).Token(); err == nil {
				t.Fatal("the family survived a concurrent reuse")
			}
		}
	})
}

// Oversized or malformed authorization parameters are refused and store
// nothing; deleting an application ends its refresh tokens.
func TestOIDCBadInputStoresNothing(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	e.codeFlow(a, browser, "n") // signed in
	count := func() int {
		n, err := e.st.CountOIDCAuthRequests(context.Background(), e.ws.ID, time.Now())
		must(t, err)
		return n
	}
	before := count()
	_, opts := pkce()
	for name, extra := range map[string]oauth2.AuthCodeOption{
		"huge nonce":    gooidc.Nonce(strings.Repeat("n", 5000)),
		"form_post":     oauth2.SetAuthURLParam("response_mode", "form_post"),
		"request":       oauth2.SetAuthURLParam("request", "eyJhbGciOiJub25lIn0.e30."),
		"token in resp": oauth2.SetAuthURLParam("response_type", "code id_token"),
	} {
		res := e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, extra)...), false)
		if res.code != "" || (res.err == "" && res.status != http.StatusBadRequest) {
			t.Errorf("%s: %+v, want an OAuth error", name, res)
		}
	}
	resp := e.get(browser, "/oidc/acme/authorize?"+url.Values{"client_id": {a.client.ID}, "redirect_uri": {testRedirectURI},
		"response_type": {"code"}, "scope": {"openid"}, "request_uri": {"https://evil.example/req"}}.Encode())
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("request_uri: status %d, want the 400 page", resp.StatusCode)
	}
	if after := count(); after != before {
		t.Errorf("refused requests stored %d pending authorizations", after-before)
	}
	tok := e.codeFlow(a, browser, "n")
	must(t, (&oidc.Apps{Store: e.st}).Delete(context.Background(), "", e.ws.ID, a.client.ID))
	_, err := a.conf.TokenSource(a.ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err == nil {
		t.Fatal("a deleted application's refresh token still works")
	}
}

// ES256 keys (GATEHOUSE_OIDC_SIGNING_ALG=ES256) sign ID tokens that go-oidc
// verifies from the discovery document; rotating from RS256 to ES256
// publishes both algorithms while both keys are published.
func TestOIDCES256(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{clock: clock}})
	a := e.app(oidc.AppInput{})
	var d map[string]any
	must(t, a.provider.Claims(&d))
	if got := anyStrings(d["id_token_signing_alg_values_supported"]); !slices.Equal(got, []string{"RS256"}) {
		t.Fatalf("algorithms before rotation = %v", got)
	}
	clock.Advance(time.Second)
	_, err := oidc.RotateKeys(context.Background(), e.st, clock.Now(), 0, e.oidc[0].MaxTokenLifetime(), oidc.AlgES256)
	must(t, err)
	clock.Advance(oidc.DefaultKeyRefresh + time.Second)
	b := e.app(oidc.AppInput{}) // discovers again
	must(t, b.provider.Claims(&d))
	if got := anyStrings(d["id_token_signing_alg_values_supported"]); !slices.Equal(got, []string{"RS256", "ES256"}) {
		t.Fatalf("algorithms after rotating to ES256 = %v", got)
	}
	tok := e.codeFlow(b, e.newClient(), "n")
	raw, _ := tok.Extra("id_token").(string)
	h, _, _ := strings.Cut(raw, ".")
	hdr, err := base64.RawURLEncoding.DecodeString(h)
	must(t, err)
	if !strings.Contains(string(hdr), `"alg":"ES256"`) {
		t.Fatalf("ID token header %s, want ES256", hdr)
	}
	_, c := b.idToken(t, tok)
	if c["workspace"] != "acme" {
		t.Errorf("claims = %v", c)
	}
}

// Introspection answers active for the application's own access token
// only.
func TestOIDCIntrospection(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a, other := e.app(oidc.AppInput{}), e.app(oidc.AppInput{Name: "Other"})
	tok := e.codeFlow(a, e.newClient(), "n")
	introspect := func(app *oidcApp) map[string]any {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oidc/acme/oauth/introspect",
			strings.NewReader(url.Values{"token": {tok.AccessToken}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(app.client.ID, app.secret)
		resp, err := e.srv.Client().Do(req)
		must(t, err)
		out := map[string]any{}
		must(t, json.Unmarshal([]byte(body(t, resp)), &out))
		return out
	}
	if got := introspect(a); got["active"] != true || got["sub"] != e.aliceID || got["client_id"] != a.client.ID {
		t.Errorf("own token: %v", got)
	}
	if got := introspect(other); got["active"] == true {
		t.Errorf("another application's token: %v", got)
	}
}

// max_age, an expired code and a grant Gatehouse does not offer.
func TestOIDCMaxAgeExpiredCodeAndGrants(t *testing.T) {
	clock := &testClock{t: time.Now()}
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{clock: clock}})
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	e.codeFlow(a, browser, "n") // signs in now
	clock.Advance(2 * time.Minute)
	_, opts := pkce()
	res := e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("max_age", "60"))...), false)
	if !res.loginPage {
		t.Fatalf("max_age=60 with a 2-minute-old session: %+v, want the sign-in page", res)
	}
	res = e.authorize(browser, a.conf.AuthCodeURL("s", append(opts, oauth2.SetAuthURLParam("max_age", "600"))...), false)
	if res.code == "" {
		t.Fatalf("max_age=600 with a 2-minute-old session: %+v, want a code", res)
	}
	// A code older than the pending request's lifetime is refused.
	verifier, opts := pkce()
	res = e.authorize(browser, a.conf.AuthCodeURL("s", opts...), false)
	clock.Advance(oidc.DefaultAuthRequestTTL + time.Second)
	_, err := a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_grant")
	// The password grant is not offered.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/oidc/acme/oauth/token", strings.NewReader(url.Values{
		"grant_type": {"password"}, "username": {"alice@example.com"}, "password": {alicePassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(a.client.ID, a.secret)
	resp, err := e.srv.Client().Do(req)
	must(t, err)
	if b := body(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(b, "unsupported_grant_type") {
		t.Fatalf("password grant: %d %s", resp.StatusCode, b)
	}
}

// A pending authorization can only be finished by the browser that
// started it: an attacker who starts one and sends its hand-off link to a
// signed-in victim gets nothing, and the op package's callback (which
// would hand out a code for a request ID) is not served.
func TestOIDCPendingRequestBoundToBrowser(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	victim := e.newClient()
	e.codeFlow(a, victim, "n") // the victim is signed in
	attacker := e.newClient()
	_, opts := pkce()
	resp, err := attacker.Get(a.conf.AuthCodeURL("attacker-state", opts...))
	must(t, err)
	resp.Body.Close()
	handoff := resp.Header.Get("Location")
	if !strings.Contains(handoff, "/oidc/acme/login?id=") {
		t.Fatalf("authorize redirected to %q, want the login hand-off", handoff)
	}
	resp, err = victim.Get(handoff)
	must(t, err)
	body(t, resp)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("victim opening the attacker's hand-off: %d to %q, want the 400 page", resp.StatusCode, resp.Header.Get("Location"))
	}
	id := handoff[strings.Index(handoff, "id=")+3:]
	resp = e.get(attacker, "/oidc/acme/authorize/callback?id="+id)
	body(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("callback: %d, want 404", resp.StatusCode)
	}
}
