package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
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

// TestSessionCookieDomain: GATEHOUSE_COOKIE_DOMAIN scopes both setting and
// clearing the workspace cookie (a clearing cookie without the Domain
// would leave the parent-domain cookie in the browser); without it the
// cookie is host-only.
func TestSessionCookieDomain(t *testing.T) {
	for _, domain := range []string{"", "example.com"} {
		s := &Server{opts: Options{CookieDomain: domain, SecureCookies: true}}
		set := httptest.NewRecorder()
		s.setSessionCookie(set, "acme", "tok", time.Now().Add(time.Hour))
		clear := httptest.NewRecorder()
		s.clearSessionCookie(clear, "acme")
		if n := len(clear.Header().Values("Set-Cookie")); domain != "" && n != 2 || domain == "" && n != 1 {
			t.Errorf("clear (domain %q): %d cookies, want the domain one and a host-only one only with a domain", domain, n)
		}
		for name, rec := range map[string]*httptest.ResponseRecorder{"set": set, "clear": clear} {
			h := rec.Header().Get("Set-Cookie")
			if !strings.HasPrefix(h, "gatehouse_session_acme=") || !strings.Contains(h, "HttpOnly") ||
				!strings.Contains(h, "Secure") || !strings.Contains(h, "SameSite=Lax") || !strings.Contains(h, "Path=/") {
				t.Errorf("%s (domain %q): %s", name, domain, h)
			}
			if got := strings.Contains(h, "Domain="+domain); domain != "" && !got || domain == "" && strings.Contains(h, "Domain=") {
				t.Errorf("%s (domain %q): %s", name, domain, h)
			}
		}
	}
}
