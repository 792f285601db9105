package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// signIn runs a complete SP-initiated sign-in for email and returns the
// ACS response.
func (e *testEnv) signIn(c *http.Client, email, redirectTo string) *http.Response {
	e.t.Helper()
	id := e.startLogin(c, redirectTo)
	return e.postACS(c, e.response(id, "nameid-"+email, emailAttrs(email)), "")
}

func TestSPInitiatedLoginProvisionsAndLands(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newTestEnv(t, testOptions{signup: true, postgres: postgres})
		resp := e.signIn(e.client, "Alice@Example.com", "/w/acme?tab=me")
		body(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme?tab=me" {
			t.Fatalf("ACS: %d to %q, want 303 to /w/acme?tab=me", resp.StatusCode, resp.Header.Get("Location"))
		}
		var sess *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				sess = c
			}
		}
		if sess == nil || !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" {
			t.Fatalf("session cookie %+v: want HttpOnly, Secure, SameSite=Lax, Path=/", sess)
		}
		page := body(t, e.get(e.client, "/w/acme"))
		for _, want := range []string{"alice@example.com", "end-user", "Test User"} {
			if !strings.Contains(page, want) {
				t.Errorf("landing page lacks %q", want)
			}
		}
		if strings.Contains(page, "/settings/acme/members") {
			t.Error("an end-user sees the admin links")
		}
		if n := len(e.audit("login.success")); n != 1 {
			t.Errorf("login.success events = %d, want 1", n)
		}
		if logs := e.logs.String(); strings.Contains(logs, sess.Value) || strings.Contains(logs, "PHNhbWxw") || strings.Contains(logs, "SAMLRequest=") {
			t.Error("a session token or SAML message reached the log")
		}
	})
}

func TestLandingRequiresSession(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	resp := e.get(e.client, "/w/acme")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login/acme") {
		t.Fatalf("signed out /w/acme: %d to %q, want 303 to /login/acme", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := e.get(e.client, "/w/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown workspace: %d, want 404", resp.StatusCode)
	}
}

// refusedWith signs in and checks the access refusal: the sign-in page
// with the message and the address the IdP asserted (issue 12), no session.
func refusedWith(t *testing.T, e *testEnv, email, code, message string) {
	t.Helper()
	resp := e.signIn(e.client, email, "")
	page := body(t, resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("ACS: %d, want 403 with the sign-in page (%s)", resp.StatusCode, code)
	}
	if e.cookie(e.client, sessionCookie) != nil {
		t.Error("a refused sign-in set a session cookie")
	}
	if !strings.Contains(page, message) || !strings.Contains(page, "The identity provider signed you in as "+email+".") {
		t.Errorf("sign-in page does not show %q with the asserted address", message)
	}
	if page := body(t, e.get(e.client, "/login/acme?error="+code)); !strings.Contains(page, message) {
		t.Errorf("login page with ?error=%s does not show %q", code, message)
	}
}

func TestSignupOffIsNotAMember(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: false})
	refusedWith(t, e, "bob@example.com", "not_a_member", "User does not exist in the workspace")
	if n := e.countUsers(); n != 0 {
		t.Errorf("users = %d, want 0", n)
	}
}

func TestAllowedDomainRefused(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true, domains: []string{"example.org"}})
	refusedWith(t, e, "carol@example.com", "domain_not_allowed", "You cannot sign in using the mail id - Domain verification failed")
	if n := e.countUsers(); n != 0 {
		t.Errorf("users = %d, want 0", n)
	}
}

func TestArchivedMemberRefused(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	ctx := context.Background()
	u := &store.User{Email: "dave@example.com", Name: "Dave"}
	must(t, e.st.CreateUser(ctx, u))
	must(t, e.st.CreateMembership(ctx, &store.Membership{WorkspaceID: e.ws.ID, UserID: u.ID,
		Status: store.StatusArchived, Role: "builder"}))
	refusedWith(t, e, "dave@example.com", "archived_in_workspace", "User is archived in the workspace")
}

var traceRe = regexp.MustCompile(`Trace ID: <code>([0-9a-f]{32})</code>`)

// genericFailure checks resp is the generic error page and returns its trace ID.
func genericFailure(t *testing.T, resp *http.Response, status int) string {
	t.Helper()
	page := body(t, resp)
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d\n%s", resp.StatusCode, status, page)
	}
	m := traceRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("error page has no trace ID:\n%s", page)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			t.Fatal("failure set a session cookie")
		}
	}
	return m[1]
}

func TestReplayRejectedWithoutNewRows(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newTestEnv(t, testOptions{signup: true, postgres: postgres})
		id := e.startLogin(e.client, "")
		sr := e.response(id, "nameid-erin", emailAttrs("erin@example.com"))
		if resp := e.postACS(e.client, sr, ""); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first use: %d", resp.StatusCode)
		}
		users, successes := e.countUsers(), len(e.audit("login.success"))
		// The same response again, from a browser that is still bound to the
		// request: the request is consumed and the assertion ID recorded.
		other := e.newClient()
		genericFailure(t, e.postACS(other, sr, ""), http.StatusForbidden)
		genericFailure(t, e.postACS(e.client, sr, ""), http.StatusForbidden)
		if e.countUsers() != users || len(e.audit("login.success")) != successes {
			t.Error("a replayed response wrote rows")
		}
	})
}

func TestTamperedResponseGenericPageAndAudit(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	id := e.startLogin(e.client, "")
	raw, err := base64.StdEncoding.DecodeString(e.response(id, "nameid-frank", emailAttrs("frank@example.com")))
	must(t, err)
	forged := strings.Replace(string(raw), "frank@example.com", "admin@example.com", 1)
	if forged == string(raw) {
		t.Fatal("test did not change the response")
	}
	resp := e.postACS(e.client, base64.StdEncoding.EncodeToString([]byte(forged)), "")
	trace := genericFailure(t, resp, http.StatusForbidden)
	if e.countUsers() != 0 {
		t.Error("a tampered response created a user")
	}
	fails := e.audit("login.failure")
	if len(fails) != 1 {
		t.Fatalf("login.failure events = %d, want 1", len(fails))
	}
	f := fails[0]
	if f.TraceID != trace || f.Reason == "" {
		t.Errorf("audit event trace %q reason %q; want trace %q and a reason", f.TraceID, f.Reason, trace)
	}
	if !strings.Contains(f.RedactedResponse, "redacted") || strings.Contains(f.RedactedResponse, "admin@example.com") {
		t.Errorf("redacted response keeps attribute values or lacks redaction:\n%s", f.RedactedResponse)
	}
	if !strings.Contains(e.logs.String(), trace) {
		t.Error("the log does not carry the trace ID")
	}
}

func TestResponseFromAnotherBrowserRejected(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	id := e.startLogin(e.client, "")
	victim := e.newClient() // never started this request: login CSRF
	genericFailure(t, e.postACS(victim, e.response(id, "nameid-gina", emailAttrs("gina@example.com")), ""), http.StatusForbidden)
	if e.countUsers() != 0 {
		t.Error("an unbound response created a user")
	}
	if f := e.audit("login.failure"); len(f) != 1 || f[0].Reason != reasonRequestNotBound {
		t.Errorf("audit = %+v, want one %s failure", f, reasonRequestNotBound)
	}
}

func TestUnsolicitedBounceStartsSPInitiated(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true, mode: store.IdPInitiatedBounce})
	resp := e.postACS(e.client, e.response("", "nameid-hal", emailAttrs("hal@example.com")), "/w/acme")
	body(t, resp)
	want := "/api/sso/saml/" + e.cfg.ID + "/login?redirect_to=%2Fw%2Facme"
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("bounce: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if e.countUsers() != 0 || e.cookie(e.client, sessionCookie) != nil {
		t.Error("bounce mode signed someone in")
	}
	// An unsafe RelayState is dropped.
	resp = e.postACS(e.client, e.response("", "nameid-hal", emailAttrs("hal@example.com")), "https://evil.example")
	body(t, resp)
	if loc := resp.Header.Get("Location"); loc != "/api/sso/saml/"+e.cfg.ID+"/login" {
		t.Errorf("bounce with unsafe RelayState went to %q", loc)
	}
}

func TestUnsolicitedAcceptSignsInOnce(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newTestEnv(t, testOptions{signup: true, mode: store.IdPInitiatedAccept, postgres: postgres})
		sr := e.response("", "nameid-ivy", emailAttrs("ivy@example.com"))
		resp := e.postACS(e.client, sr, "/w/acme")
		body(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme" {
			t.Fatalf("accept: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if e.countUsers() != 1 {
			t.Fatal("accept mode did not provision the user")
		}
		genericFailure(t, e.postACS(e.newClient(), sr, ""), http.StatusForbidden)
	})
}

func TestUnsolicitedRejectShowsErrorPage(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true, mode: store.IdPInitiatedReject})
	genericFailure(t, e.postACS(e.client, e.response("", "nameid-jo", emailAttrs("jo@example.com")), ""), http.StatusForbidden)
	if e.countUsers() != 0 {
		t.Error("reject mode created a user")
	}
}

func TestOpenRedirectTargetsIgnored(t *testing.T) {
	for i, target := range []string{"//evil.com", "https://evil.com", `/\evil.com`, "/%2F%2Fevil.com", "javascript:alert(1)"} {
		t.Run(fmt.Sprint("target", i), func(t *testing.T) {
			e := newTestEnv(t, testOptions{signup: true})
			resp := e.signIn(e.client, "kim@example.com", target)
			body(t, resp)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/w/acme" {
				t.Errorf("redirect_to %q: %d to %q, want 303 to /w/acme", target, resp.StatusCode, loc)
			}
		})
	}
}

// TestUnknownConfigIs404DisabledExplains: an unknown config is a bare
// 404; a disabled one says SSO is turned off for the workspace (issue 12),
// at the start URL and at the ACS.
func TestUnknownConfigIs404DisabledExplains(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	sr := e.response("", "x", emailAttrs("x@example.com"))
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/sso/saml/00000000-0000-0000-0000-000000000000",
		strings.NewReader(url.Values{"SAMLResponse": {sr}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.client.Do(req)
	must(t, err)
	body(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown config: %d, want 404", resp.StatusCode)
	}
	e.cfg.Enabled = false
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	resp = e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/login")
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "SSO is turned off") ||
		!strings.Contains(b, "is turned off for the workspace") || !strings.Contains(b, `href="/login/`) {
		t.Errorf("disabled config start: %d\n%s", resp.StatusCode, b)
	}
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/api/sso/saml/"+e.cfg.ID, strings.NewReader(url.Values{"SAMLResponse": {sr}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = e.client.Do(req)
	must(t, err)
	if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "SSO is turned off") {
		t.Errorf("disabled config ACS: %d", resp.StatusCode)
	}
}
