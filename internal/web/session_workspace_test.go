package web

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// secondWorkspace adds workspace "beta" (password login and signup on)
// with a SAML config trusting the same test IdP in IdP-initiated mode.
func (e *testEnv) secondWorkspace(mode string) (*store.Workspace, *store.SAMLConfig) {
	e.t.Helper()
	ctx := context.Background()
	ws := &store.Workspace{Name: "Beta", Slug: "beta"}
	must(e.t, e.st.CreateWorkspace(ctx, ws))
	must(e.t, e.st.SaveLoginSettings(ctx, &store.LoginSettings{WorkspaceID: ws.ID, PasswordLogin: true, Signup: true}))
	cfg := &store.SAMLConfig{WorkspaceID: ws.ID, Enabled: true, Name: "Example IdP",
		MetadataXML: string(e.idp.MetadataXML()), IdPInitiated: mode, ClockSkew: e.cfg.ClockSkew, GroupAttribute: "groups"}
	must(e.t, e.st.SaveSAMLConfig(ctx, cfg))
	return ws, cfg
}

// passwordSignIn signs browser c in at slug and fails the test otherwise.
func (e *testEnv) passwordSignIn(c *http.Client, slug, email, password string) {
	e.t.Helper()
	csrf := e.csrfFrom(c, "/login/"+slug)
	resp := e.postForm(c, "/login/"+slug, url.Values{"email": {email}, "password": {password}, "csrf": {csrf}})
	body(e.t, resp)
	if resp.StatusCode != http.StatusSeeOther || e.cookie(c, sessionCookieName(slug)) == nil {
		e.t.Fatalf("password sign-in at %s: %d, cookie %v", slug, resp.StatusCode, e.cookie(c, sessionCookieName(slug)))
	}
}

// assertSignedIn checks that c's session at slug is still tok and still
// opens the workspace's landing page.
func (e *testEnv) assertSignedIn(c *http.Client, slug, tok string) {
	e.t.Helper()
	ck := e.cookie(c, sessionCookieName(slug))
	if ck == nil || ck.Value != tok {
		e.t.Fatalf("the %s session cookie changed: %v, want %q", slug, ck, tok)
	}
	resp := e.get(c, "/w/"+slug)
	body(e.t, resp)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("/w/%s: %d, want 200 (session ended)", slug, resp.StatusCode)
	}
}

// TestSignInElsewhereKeepsWorkspaceSession: a sign-in at workspace B (each
// IdP-initiated mode, and password), and a sign-out there, leave the
// browser's workspace A session exactly as it was.
func TestSignInElsewhereKeepsWorkspaceSession(t *testing.T) {
	for _, mode := range []string{store.IdPInitiatedBounce, store.IdPInitiatedAccept, store.IdPInitiatedReject} {
		t.Run("idp-initiated "+mode, func(t *testing.T) {
			e := newTestEnv(t, testOptions{password: true})
			ctx := context.Background()
			_, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ann@example.com", "Ann", "correct horse battery", "end-user")
			must(t, err)
			_, cfgB := e.secondWorkspace(mode)
			e.passwordSignIn(e.client, "acme", "ann@example.com", "correct horse battery")
			tokA := e.cookie(e.client, sessionCookie).Value

			acsB := e.srv.URL + "/api/sso/saml/" + cfgB.ID
			v, err := e.idp.ResponseBase64(samltest.ResponseOptions{SPEntityID: acsB, ACSURL: acsB,
				NameID: "mallory", Attributes: emailAttrs("mallory@example.com")})
			must(t, err)
			form := url.Values{"SAMLResponse": {v}}
			req, _ := http.NewRequest(http.MethodPost, acsB, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			resp, err := e.client.Do(req)
			must(t, err)
			body(t, resp)
			signedInB := e.cookie(e.client, sessionCookieName("beta")) != nil
			if signedInB != (mode == store.IdPInitiatedAccept) {
				t.Fatalf("mode %s: ACS %d, beta session set = %v", mode, resp.StatusCode, signedInB)
			}
			e.assertSignedIn(e.client, "acme", tokA)
			if signedInB {
				// Signing out of B leaves A alone too.
				csrf := e.csrfFrom(e.client, "/w/beta")
				body(t, e.postForm(e.client, "/logout/beta", url.Values{"csrf": {csrf}}))
				if e.cookie(e.client, sessionCookieName("beta")) != nil {
					t.Fatal("sign-out at beta kept its cookie")
				}
				e.assertSignedIn(e.client, "acme", tokA)
			}
		})
	}
	t.Run("password", func(t *testing.T) {
		e := newTestEnv(t, testOptions{password: true})
		ctx := context.Background()
		_, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ann@example.com", "Ann", "correct horse battery", "end-user")
		must(t, err)
		wsB, _ := e.secondWorkspace(store.IdPInitiatedBounce)
		_, err = e.svc.CreateUser(ctx, "", wsB.ID, "bob@example.com", "Bob", "another fine password", "admin")
		must(t, err)
		e.passwordSignIn(e.client, "acme", "ann@example.com", "correct horse battery")
		tokA := e.cookie(e.client, sessionCookie).Value
		e.passwordSignIn(e.client, "beta", "bob@example.com", "another fine password")
		e.assertSignedIn(e.client, "acme", tokA)
		e.assertSignedIn(e.client, "beta", e.cookie(e.client, sessionCookieName("beta")).Value)
		// A's cookie does not open B (and B's does not open A).
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/w/beta", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookieName("beta"), Value: tokA})
		resp, err := e.newClient().Do(req)
		must(t, err)
		body(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("acme's token under beta's cookie name: %d, want a redirect to sign-in", resp.StatusCode)
		}
	})
}

// TestSessionCookieDomain: the session cookie is host-only whatever
// GATEHOUSE_COOKIE_DOMAIN says (and __Host- under Secure cookies, bare for
// plain-http development); only the forward-auth cookie, carrying the
// derived forward token, is scoped to the domain. Clearing removes both
// under every scope they may have been set with, plus the bare-named,
// possibly domain-scoped session cookie of earlier versions.
func TestSessionCookieDomain(t *testing.T) {
	type want struct{ value, domain string }
	for _, secure := range []bool{true, false} {
		for _, domain := range []string{"", "example.com"} {
			s := &Server{opts: Options{CookieDomain: domain, SecureCookies: secure}}
			set := httptest.NewRecorder()
			s.setSessionCookie(set, "acme", "tok", time.Now().Add(time.Hour))
			session := "gatehouse_session_acme"
			if secure {
				session = "__Host-gatehouse_session_acme"
			}
			wantSet := map[string]want{session: {"tok", ""}, "gatehouse_forward_acme": {workspace.ForwardToken("tok"), domain}}
			clear := httptest.NewRecorder()
			s.clearSessionCookie(clear, "acme")
			wantClear := map[string]bool{session + "|": true, "gatehouse_forward_acme|": true}
			if domain != "" {
				wantClear["gatehouse_forward_acme|"+domain] = true
				wantClear["gatehouse_session_acme|"+domain] = true
			}
			if secure {
				wantClear["gatehouse_session_acme|"] = true
			}
			got := map[string]bool{}
			for _, c := range clear.Result().Cookies() {
				got[c.Name+"|"+c.Domain] = true
				if c.MaxAge >= 0 || c.Value != "" {
					t.Errorf("secure %v, domain %q: clearing cookie %s keeps a value or lifetime", secure, domain, c.Raw)
				}
			}
			if !maps.Equal(got, wantClear) {
				t.Errorf("secure %v, domain %q: cleared %v, want %v", secure, domain, got, wantClear)
			}
			cookies := set.Result().Cookies()
			if len(cookies) != len(wantSet) {
				t.Errorf("secure %v, domain %q: set %d cookies, want %d", secure, domain, len(cookies), len(wantSet))
			}
			for _, c := range cookies {
				w, ok := wantSet[c.Name]
				if !ok || c.Value != w.value || c.Domain != w.domain || c.Path != "/" || !c.HttpOnly ||
					c.Secure != secure || c.SameSite != http.SameSiteLaxMode {
					t.Errorf("secure %v, domain %q: set %s", secure, domain, c.Raw)
				}
			}
		}
	}
}
