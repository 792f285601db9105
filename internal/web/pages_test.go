package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	for _, path := range []string{"/login/acme", "/nope", "/healthz", "/static/style.css"} {
		resp := e.get(e.client, path)
		body(t, resp)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: nosniff/referrer headers missing: %v", path, h)
		}
		if !strings.HasPrefix(h.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("%s: no HSTS on an https public URL", path)
		}
	}
}

func TestLoginPageNeverEchoesErrorParameter(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	page := body(t, e.get(e.client, "/login/acme?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E"))
	if strings.Contains(page, "alert(1)") || strings.Contains(page, "role=\"alert\"") {
		t.Error("the login page echoed an unknown error parameter")
	}
	page = body(t, e.get(e.client, "/login/acme?error=archived_instance"))
	if !strings.Contains(page, "You have been archived from this instance. Contact super admin to know more.") {
		t.Error("known code not mapped to its documented message")
	}
}

func TestLoginPageButtons(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	page := body(t, e.get(e.client, "/login/acme?redirect_to=%2Fw%2Facme"))
	if !strings.Contains(page, "Sign in with Example IdP") || !strings.Contains(page, `name="password"`) {
		t.Errorf("login page lacks the SSO button or the password form:\n%s", page)
	}
	if !strings.Contains(page, `action="/api/sso/saml/`+e.cfg.ID+`/login"`) ||
		!strings.Contains(page, `name="redirect_to" value="/w/acme"`) {
		t.Errorf("SSO button does not start the SAML login with the redirect target:\n%s", page)
	}
	e.cfg.Name = ""
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	if page := body(t, e.get(e.client, "/login/acme")); !strings.Contains(page, "Sign in with SAML") {
		t.Error(`unnamed SSO is not labelled "SAML"`)
	}
}

func TestAutomaticSSO(t *testing.T) {
	e := newTestEnv(t, testOptions{autoSSO: true, password: false})
	resp := e.get(e.client, "/login/acme")
	body(t, resp)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/api/sso/saml/"+e.cfg.ID+"/login") {
		t.Fatalf("auto SSO: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := e.get(e.client, "/login/acme?error=not_a_member"); resp.StatusCode != http.StatusOK {
		t.Errorf("auto SSO with an error to show: %d, want the page", resp.StatusCode)
	}
	// Password login on: the automatic SSO rule (docs/access-rules.md) forbids skipping the page.
	e2 := newTestEnv(t, testOptions{autoSSO: true, password: true})
	if resp := e2.get(e2.client, "/login/acme"); resp.StatusCode != http.StatusOK {
		t.Errorf("auto SSO with password login on: %d, want 200", resp.StatusCode)
	}
}

func TestPostBindingRendersAutoSubmitForm(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	md := regexp.MustCompile(`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*/>`).
		ReplaceAllString(e.cfg.MetadataXML, "")
	if md == e.cfg.MetadataXML {
		t.Fatal("test could not drop the Redirect SSO endpoint")
	}
	e.cfg.MetadataXML = md
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/login")
	page := body(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="SAMLRequest"`) ||
		!strings.Contains(page, `src="/static/autosubmit.js"`) || !strings.Contains(page, "<noscript>") {
		t.Fatalf("POST binding page: %d\n%s", resp.StatusCode, page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://idp.example.test") {
		t.Errorf("CSP %q does not allow posting to the IdP", csp)
	}
	if strings.Contains(page, "<script>") {
		t.Error("inline script on the POST binding page")
	}
}

func TestCSRFRequiredOnForms(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	token := e.csrfFrom(e.client, "/login/acme")
	cases := []struct {
		name   string
		path   string
		form   url.Values
		header map[string]string
	}{
		{"login without token", "/login/acme", url.Values{"email": {"a@example.com"}, "password": {"x"}}, nil},
		{"login with a wrong token", "/login/acme", url.Values{"csrf": {"wrong"}, "email": {"a@example.com"}}, nil},
		{"login from another origin", "/login/acme", url.Values{"csrf": {token}, "email": {"a@example.com"}}, map[string]string{"Origin": "https://evil.example"}},
		{"login cross-site fetch", "/login/acme", url.Values{"csrf": {token}, "email": {"a@example.com"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"logout without token", "/logout/acme", url.Values{}, nil},
		{"setup without token", "/setup", url.Values{"token": {"setup-token-for-tests"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+c.path, strings.NewReader(c.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := e.client.Do(req)
			must(t, err)
			body(t, resp)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	if e.countUsers() != 0 {
		t.Error("a forged setup created a user")
	}
}

func TestSetupFlow(t *testing.T) {
	e := newTestEnv(t, testOptions{})
	if resp := e.get(e.client, "/"); resp.Header.Get("Location") != "/setup" {
		t.Errorf("/ on a fresh instance goes to %q, want /setup", resp.Header.Get("Location"))
	}
	token := e.csrfFrom(e.client, "/setup")
	form := url.Values{"csrf": {token}, "token": {"wrong"}, "email": {"root@example.com"}, "name": {"Root"},
		"password": {"correct horse battery"}, "workspace_name": {"Main"}, "slug": {"main"}}
	resp := e.postForm(e.client, "/setup", form)
	body(t, resp)
	if resp.StatusCode != http.StatusForbidden || e.countUsers() != 0 {
		t.Fatalf("wrong setup token: %d, users %d", resp.StatusCode, e.countUsers())
	}
	form.Set("token", "setup-token-for-tests")
	resp = e.postForm(e.client, "/setup", form)
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/main" {
		t.Fatalf("setup: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := body(t, e.get(e.client, "/w/main"))
	if !strings.Contains(page, "root@example.com") || !strings.Contains(page, "/settings/main/workspace-login") {
		t.Errorf("after setup the landing page lacks the admin:\n%s", page)
	}
	if resp := e.get(e.newClient(), "/setup"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("setup page after setup: %d, want 404", resp.StatusCode)
	}
}

// passwordUser creates an active member with a password.
func (e *testEnv) passwordUser(email, password, role string) {
	e.t.Helper()
	if _, err := e.svc.CreateUser(context.Background(), "", e.ws.ID, email, "Pat", password, role); err != nil {
		e.t.Fatal(err)
	}
}

func TestPasswordLogin(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	e.passwordUser("pat@example.com", "s3cret-passw0rd", "admin")
	token := e.csrfFrom(e.client, "/login/acme")
	resp := e.postForm(e.client, "/login/acme", url.Values{"csrf": {token}, "email": {"pat@example.com"}, "password": {"wrong-password"}})
	page := body(t, resp)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "Incorrect email or password.") {
		t.Fatalf("wrong password: %d\n%s", resp.StatusCode, page)
	}
	resp = e.postForm(e.client, "/login/acme", url.Values{"csrf": {token}, "email": {"nobody@example.com"}, "password": {"wrong-password"}})
	if page2 := body(t, resp); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page2, "Incorrect email or password.") {
		t.Fatalf("unknown user: %d, want the same generic message", resp.StatusCode)
	}
	resp = e.postForm(e.client, "/login/acme", url.Values{"csrf": {token}, "email": {"PAT@example.com"}, "password": {"s3cret-passw0rd"},
		"redirect_to": {"//evil.com"}})
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme" {
		t.Fatalf("good password: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page = body(t, e.get(e.client, "/w/acme"))
	if !strings.Contains(page, "/settings/acme/members") || !strings.Contains(page, "admin") {
		t.Error("admin landing page lacks the admin links")
	}
	if logs := e.logs.String(); strings.Contains(logs, "s3cret-passw0rd") || strings.Contains(logs, "wrong-password") ||
		strings.Contains(logs, e.cookie(e.client, sessionCookie).Value) {
		t.Error("a password or session token reached the log")
	}
	// Sign out deletes the session: the old cookie no longer works.
	old := e.cookie(e.client, sessionCookie)
	resp = e.postForm(e.client, "/logout/acme", url.Values{"csrf": {e.csrfFrom(e.client, "/w/acme")}})
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	replay := e.newClient()
	u, _ := url.Parse(e.srv.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{old})
	if resp := e.get(replay, "/w/acme"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old session after sign-out: %d, want a redirect to sign in", resp.StatusCode)
	}
}

func TestPasswordLoginRateLimited(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	e.passwordUser("quinn@example.com", "s3cret-passw0rd", "end-user")
	token := e.csrfFrom(e.client, "/login/acme")
	form := url.Values{"csrf": {token}, "email": {"quinn@example.com"}, "password": {"guess"}}
	for i := 0; i < int(loginPairRule.burst); i++ {
		if resp := e.postForm(e.client, "/login/acme", form); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	form.Set("password", "s3cret-passw0rd")
	resp := e.postForm(e.client, "/login/acme", form)
	if page := body(t, resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "Too many attempts") {
		t.Fatalf("after %d failures from this address even the right password: %d, want 429", int(loginPairRule.burst), resp.StatusCode)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.signIn(e.client, "ops@example.com", "").Body.Close()
	if resp := e.get(e.client, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	if resp := e.get(e.client, "/readyz"); resp.StatusCode != http.StatusOK {
		t.Errorf("readyz %d", resp.StatusCode)
	}
	m := body(t, e.get(e.client, "/metrics"))
	for _, want := range []string{`gatehouse_logins_total{method="saml",outcome="success",reason=""} 1`,
		"gatehouse_acs_duration_seconds_count 1", "gatehouse_http_requests_total"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/metadata")
	if md := body(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(md, e.acs()) {
		t.Errorf("SP metadata: %d\n%s", resp.StatusCode, md)
	}
}
