package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// oauth2ProxyPath finds oauth2-proxy (installed by e2e/setup.sh from its
// Go module) on PATH or in $(go env GOPATH)/bin.
func oauth2ProxyPath() string {
	if p, err := exec.LookPath("oauth2-proxy"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "bin", "oauth2-proxy")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// headerEcho is the application behind oauth2-proxy: it answers a page
// listing the identity headers it received and remembers the last ones.
type headerEcho struct {
	mu   sync.Mutex
	last http.Header
}

func (u *headerEcho) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.last = r.Header.Clone()
	u.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	b.WriteString("<!doctype html><title>Upstream</title><h1>Upstream app</h1><dl>")
	for _, h := range []string{"X-Forwarded-Email", "X-Forwarded-User", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username"} {
		b.WriteString("<dt>" + h + "</dt><dd data-testid=\"" + h + "\">" + htmlEscape(r.Header.Get(h)) + "</dd>")
	}
	b.WriteString("</dl>")
	_, _ = w.Write([]byte(b.String()))
}

// htmlEscape escapes s for the echo page.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

func (u *headerEcho) header(name string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last.Get(name)
}

var (
	appClientID     = regexp.MustCompile(`(?m)^client_id: (\S+)$`)
	appClientSecret = regexp.MustCompile(`(?m)^client_secret: (\S+)$`)
)

// startOAuth2Proxy runs oauth2-proxy for one protected site with
// Gatehouse as its OIDC provider, and stops it at cleanup.
func startOAuth2Proxy(t *testing.T, bin, issuer, name, upstream string, g *gatehouse) string {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	site := "http://127.0.0.1:" + strconv.Itoa(port)
	out := g.cli(t, "", "app", "create", "--workspace", slug, "--name", name, "--redirect-uri", site+"/oauth2/callback")
	id, secret := appClientID.FindStringSubmatch(out), appClientSecret.FindStringSubmatch(out)
	if id == nil || secret == nil {
		t.Fatalf("app create printed no credentials:\n%s", out)
	}
	var cs [32]byte
	_, _ = rand.Read(cs[:])
	logPath := filepath.Join(t.TempDir(), name+".log")
	cmd := exec.Command(bin,
		"--provider=oidc", "--provider-display-name=Gatehouse", "--oidc-issuer-url="+issuer,
		"--client-id="+id[1], "--client-secret="+secret[1], "--code-challenge-method=S256",
		"--redirect-url="+site+"/oauth2/callback", "--http-address=127.0.0.1:"+strconv.Itoa(port),
		"--upstream="+upstream, "--email-domain=*", "--scope=openid email profile groups offline_access",
		"--cookie-secret="+base64.RawURLEncoding.EncodeToString(cs[:]), "--cookie-secure=false",
		"--cookie-name=_"+name, "--cookie-refresh=5s", "--skip-provider-button", "--pass-user-headers")
	startBackground(t, "oauth2-proxy "+name, cmd, logPath, readiness{url: site + "/ping", wantOK: true})
	return site
}

// TestOAuth2ProxyJourney: oauth2-proxy, a real and widely used OIDC
// client, protects two sites with Gatehouse as its provider. The user
// opens site A, signs in with SAML at the IdP (automatic SSO), and the
// upstream sees the email and Gatehouse groups; site B then opens without
// any new sign-in; after signing out at Gatehouse, site A needs a sign-in
// again once the proxy refreshes its session (the refresh token was
// revoked). Screenshots of the Applications page go to the artifacts.
func TestOAuth2ProxyJourney(t *testing.T) {
	requireDeps(t)
	proxyBin := oauth2ProxyPath()
	if proxyBin == "" {
		testenv.Missing(t, "oauth2-proxy not found (e2e/setup.sh installs it)")
	}
	olive := idp.User{Username: "olive", Password: "olive-idp-pw", UID: "u-olive", Email: "olive@acme.example",
		GivenName: "Olive", Surname: "Oyl", Groups: []string{"eng", "gatehouse-admins"}}
	p := startIdP(t, []idp.User{olive})
	g := startGatehouse(t, `TJ_SAML_GROUP_MAPPINGS__acme={"eng": "eng", "gatehouse-admins": "admin"}`)
	g.cli(t, "", "workspace", "create", "--name", "Acme", "--slug", slug)
	g.cli(t, "", "group", "create", "--workspace", slug, "--name", "eng")
	acs := g.configureSAML(t, p, slug, "--group-sync", "on")
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs, SLO: acs + "/slo"}); err != nil {
		t.Fatal(err)
	}
	g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "on", "--password-login", "off", "--auto-sso", "on")

	up := &headerEcho{}
	upstream := httptest.NewServer(up)
	defer upstream.Close()
	issuer := g.url + "/oidc/" + slug
	siteA := startOAuth2Proxy(t, proxyBin, issuer, "site_a", upstream.URL, g)
	siteB := startOAuth2Proxy(t, proxyBin, issuer, "site_b", upstream.URL, g)

	r := runJourney(t, "oidc_proxy.mjs", map[string]string{"GATEHOUSE_URL": g.url, "SLUG": slug,
		"SITE_A": siteA, "SITE_B": siteB, "IDP_USER": olive.Username, "IDP_PASSWORD": olive.Password,
		"EMAIL": olive.Email, "REFRESH_WAIT_MS": "6000"})
	if got := up.header("X-Forwarded-Email"); got != olive.Email {
		t.Errorf("upstream saw X-Forwarded-Email %q, want %q", got, olive.Email)
	}
	if groups := up.header("X-Forwarded-Groups"); !strings.Contains(groups, "eng") {
		t.Errorf("upstream saw X-Forwarded-Groups %q, want the Gatehouse group eng", groups)
	}
	b, _ := json.Marshal(r)
	if r["siteBSignIn"] != false {
		t.Errorf("site B asked for a new sign-in: %s", b)
	}
	// Two code exchanges (sites A and B) and at least one refresh (the
	// control step) succeeded, and a refresh after the sign-out was refused.
	logText, err := os.ReadFile(g.logPath)
	if err != nil {
		t.Fatal(err)
	}
	ok := regexp.MustCompile(`path=/oidc/acme/oauth/token status=200`).FindAll(logText, -1)
	refused := regexp.MustCompile(`oidc: request refused".*endpoint=/oauth/token status=400 error=invalid_grant`).FindAll(logText, -1)
	if len(ok) < 3 || len(refused) < 1 {
		t.Errorf("token endpoint: %d successes (want >= 3: two codes, one refresh), %d invalid_grant refusals (want >= 1)", len(ok), len(refused))
	}
	if r["afterSignOut"] != "idp" {
		t.Errorf("after signing out at Gatehouse, site A answered %v, want the IdP's sign-in: %s", r["afterSignOut"], b)
	}
}
