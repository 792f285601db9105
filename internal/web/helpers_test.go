package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// testEnv is a real Gatehouse: SQLite file, workspace service, web server
// over TLS (so Secure cookies behave as in a browser) and a samltest IdP.
type testEnv struct {
	t      testing.TB
	srv    *httptest.Server
	web    *Server
	st     store.Store
	svc    *workspace.Service
	idp    *samltest.IdP
	ws     *store.Workspace
	cfg    *store.SAMLConfig
	client *http.Client
	logs   *bytes.Buffer
	// oidc is each replica's OpenID Connect provider (testOptions.oidc).
	oidc []*oidc.Provider
}

// testOptions tweak newTestEnv.
type testOptions struct {
	mode     string // IdP-initiated mode; "" = bounce
	signup   bool
	password bool
	domains  []string
	autoSSO  bool
	// postgres runs on a fresh schema of GATEHOUSE_TEST_DATABASE_URL.
	postgres bool
	// replicas > 1 serves requests round-robin from that many Servers
	// sharing the store, as replicas behind a load balancer do.
	replicas int
	// metadataClient trusts the test metadata server (and allows loopback).
	metadataClient *http.Client
	// store, when set, is used instead of a fresh one (postgres is ignored).
	store store.Store
	// oidc mounts an OpenID Connect provider per replica (see oidc_test.go).
	oidc *oidcTestOptions
}

func newTestEnv(t testing.TB, o testOptions) *testEnv {
	t.Helper()
	ctx := context.Background()
	st := o.store
	if st == nil {
		st = openTestStore(t, o.postgres)
	}
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := &workspace.Service{Store: st, Now: time.Now, Log: log, SessionTTL: time.Hour}
	e := &testEnv{t: t, st: st, svc: svc, logs: logs}
	e.srv = httptest.NewUnstartedServer(nil)
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	var replicas []http.Handler
	for i := 0; i < max(1, o.replicas); i++ {
		prov := e.newOIDCProvider(o.oidc, log)
		w, err := New(Options{Store: st, Service: svc, PublicURL: e.srv.URL, SecureCookies: true,
			SetupToken: "setup-token-for-tests", Logger: log, OIDC: prov, Apps: &oidc.Apps{Store: st},
			MetadataClient: o.metadataClient, AllowPrivateMetadataURLs: o.metadataClient != nil})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		e.web = w
		replicas = append(replicas, w.Handler())
	}
	var next atomic.Uint64
	e.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		replicas[(next.Add(1)-1)%uint64(len(replicas))].ServeHTTP(w, r)
	})
	e.client = e.newClient()
	e.seed(ctx, o)
	return e
}

// sessionCookie is the session cookie of the test workspace "acme" (every
// testEnv and the admin harness's main workspace).
var sessionCookie = sessionCookieName("acme")

// newClient is a browser: a cookie jar, no automatic redirects.
func (e *testEnv) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	// A new Client per browser: srv.Client() returns one shared value.
	return &http.Client{
		Transport: e.srv.Client().Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// seed creates the workspace "acme", its login settings and a SAML config
// trusting a fresh samltest IdP.
func (e *testEnv) seed(ctx context.Context, o testOptions) {
	e.t.Helper()
	e.ws = &store.Workspace{Name: "Acme", Slug: "acme"}
	must(e.t, e.st.CreateWorkspace(ctx, e.ws))
	must(e.t, e.st.SaveLoginSettings(ctx, &store.LoginSettings{WorkspaceID: e.ws.ID,
		PasswordLogin: o.password, Signup: o.signup, AllowedDomains: o.domains, AutoSSO: o.autoSSO}))
	idp, err := samltest.NewIdP("https://idp.example.test/" + strings.ToLower(e.t.Name()))
	must(e.t, err)
	e.idp = idp
	mode := o.mode
	if mode == "" {
		mode = store.IdPInitiatedBounce
	}
	e.cfg = &store.SAMLConfig{WorkspaceID: e.ws.ID, Enabled: true, Name: "Example IdP",
		MetadataXML: string(idp.MetadataXML()), IdPInitiated: mode, ClockSkew: 3 * time.Minute,
		GroupAttribute: "groups"}
	must(e.t, e.st.SaveSAMLConfig(ctx, e.cfg))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// acs is the config's ACS URL (= SP entity ID).
func (e *testEnv) acs() string { return e.srv.URL + "/api/sso/saml/" + e.cfg.ID }

// get fetches path with client c.
func (e *testEnv) get(c *http.Client, path string) *http.Response {
	e.t.Helper()
	resp, err := c.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// postForm posts a form as a same-origin browser would.
func (e *testEnv) postForm(c *http.Client, path string, form url.Values) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// body reads and closes resp's body.
func body(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfFrom loads a page and returns its CSRF token.
func (e *testEnv) csrfFrom(c *http.Client, path string) string {
	e.t.Helper()
	page := body(e.t, e.get(c, path))
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		e.t.Fatalf("no csrf field on %s:\n%s", path, page)
	}
	return m[1]
}

var requestIDRe = regexp.MustCompile(`ID="([^"]+)"`)

// startLogin runs the SP-initiated start with client c and returns the
// AuthnRequest ID read from the IdP redirect.
func (e *testEnv) startLogin(c *http.Client, redirectTo string) string {
	e.t.Helper()
	path := "/api/sso/saml/" + e.cfg.ID + "/login"
	if redirectTo != "" {
		path += "?redirect_to=" + url.QueryEscape(redirectTo)
	}
	resp := e.get(c, path)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("start: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(e.t, err)
	if !strings.HasPrefix(loc.String(), e.idp.SSOURL) {
		e.t.Fatalf("start redirected to %s, want the IdP %s", loc, e.idp.SSOURL)
	}
	raw, err := base64.StdEncoding.DecodeString(loc.Query().Get("SAMLRequest"))
	must(e.t, err)
	xml, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	must(e.t, err)
	m := requestIDRe.FindSubmatch(xml)
	if m == nil {
		e.t.Fatalf("no ID in AuthnRequest %s", xml)
	}
	return string(m[1])
}

// response is a signed response for this SP from the test IdP.
func (e *testEnv) response(inResponseTo, nameID string, attrs map[string][]string) string {
	e.t.Helper()
	v, err := e.idp.ResponseBase64(samltest.ResponseOptions{
		SPEntityID: e.acs(), ACSURL: e.acs(), InResponseTo: inResponseTo,
		NameID: nameID, Attributes: attrs,
	})
	must(e.t, err)
	return v
}

// postACS posts a SAMLResponse (cross-site, as an IdP's form does).
func (e *testEnv) postACS(c *http.Client, samlResponse, relayState string) *http.Response {
	e.t.Helper()
	form := url.Values{"SAMLResponse": {samlResponse}}
	if relayState != "" {
		form.Set("RelayState", relayState)
	}
	req, _ := http.NewRequest(http.MethodPost, e.acs(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://idp.example.test")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// emailAttrs is an Entra-style attribute set.
func emailAttrs(email string) map[string][]string {
	return map[string][]string{
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": {email},
		"http://schemas.microsoft.com/identity/claims/displayname":           {"Test User"},
	}
}

// cookie returns the client's cookie name for the server, or nil.
func (e *testEnv) cookie(c *http.Client, name string) *http.Cookie {
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// countUsers counts users in the store.
func (e *testEnv) countUsers() int {
	n, err := e.st.CountUsers(context.Background())
	must(e.t, err)
	return n
}

// audit lists the workspace's audit events of kind (prefix).
func (e *testEnv) audit(kind string) []store.AuditEvent {
	ev, err := e.st.ListAudit(context.Background(), store.AuditFilter{WorkspaceID: e.ws.ID, Kind: kind})
	must(e.t, err)
	return ev
}
