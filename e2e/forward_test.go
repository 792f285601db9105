package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
)

// The people of the forward-auth journeys: frank is in the IdP group
// "Support" (synced to the workspace's custom group of that name, which
// the protected site requires); gina is in no group.
var (
	frank = idp.User{Username: "frank", Password: "frank-idp-pw", UID: "u-frank", Email: "frank@acme.example",
		DisplayName: "Frank F.", Groups: []string{"Support"}}
	gina = idp.User{Username: "gina", Password: "gina-idp-pw", UID: "u-gina", Email: "gina@acme.example",
		DisplayName: "Gina G."}
)

// forwardAuthCacheTTL is the default GATEHOUSE_FORWARD_AUTH_CACHE_TTL: the
// documented bound within which archiving reaches protected sites.
const forwardAuthCacheTTL = 2 * time.Second

// TestForwardAuthJourneys runs the protected-site journey through nginx
// (auth_request) and Caddy (forward_auth), each with the exact site
// configuration docs/forward-auth.md shows.
func TestForwardAuthJourneys(t *testing.T) {
	requireDeps(t)
	t.Run("nginx", func(t *testing.T) { forwardAuthJourney(t, startNginx) })
	t.Run("caddy", func(t *testing.T) { forwardAuthJourney(t, startCaddy) })
}

func forwardAuthJourney(t *testing.T, startProxy func(t *testing.T, gatehouseURL, slug, upstream string) string) {
	p := startIdP(t, []idp.User{frank, gina})
	g := startGatehouse(t)
	upstream := echoUpstream(t)
	site := startProxy(t, g.url, slug, upstream)
	g.cli(t, "", "workspace", "create", "--name", "Acme", "--slug", slug)
	g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "on")
	g.cli(t, "", "group", "create", "--workspace", slug, "--name", "Support")
	acs := g.configureSAML(t, p, slug, "--group-sync", "on", "--group-attribute", "groups")
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs, SLO: acs + "/slo"}); err != nil {
		t.Fatal(err)
	}
	g.cli(t, "", "site", "add", "--workspace", slug, "--url", site)
	env := func(user idp.User, expect string, kv ...string) map[string]string {
		m := map[string]string{"SITE_URL": site, "GATEHOUSE_URL": g.url, "SLUG": slug, "SSO_NAME": ssoName,
			"IDP_USER": user.Username, "IDP_PASSWORD": user.Password, "EXPECT": expect}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	t.Run("member_outside_the_group_gets_403", func(t *testing.T) {
		runJourney(t, "forward_site.mjs", env(gina, "forbidden"))
	})

	t.Run("member_signs_in_and_signs_out", func(t *testing.T) {
		r := runJourney(t, "forward_site.mjs", env(frank, "allowed", "SIGN_OUT", "1"))
		echo, _ := r["echo"].(map[string]any)
		if echo["path"] != "/reports?q=forward&x=1" {
			t.Errorf("the upstream saw %v, want the original URL /reports?q=forward&x=1", echo["path"])
		}
		headers, _ := echo["headers"].(map[string]any)
		want := map[string]string{"X-Auth-Request-Email": frank.Email, "X-Auth-Request-Groups": "Support",
			"X-Gatehouse-Role": "end-user", "X-Gatehouse-Workspace": slug, "X-Auth-Request-Preferred-Username": frank.Email}
		for k, v := range want {
			if got, _ := headers[k].([]any); len(got) != 1 || got[0] != v {
				t.Errorf("upstream header %s = %v, want exactly %q", k, headers[k], v)
			}
		}
		// The signed-out session opens nothing any more (same replica:
		// at once, no cache bound).
		if resp := siteGet(t, site, slug, str(t, r, "cookie"), nil); resp.StatusCode != http.StatusFound ||
			!strings.HasPrefix(resp.Header.Get("Location"), g.url+"/login/"+slug) {
			t.Errorf("after sign-out the site answered %d to %q, want a redirect to sign-in", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("client_sent_identity_headers_never_reach_the_upstream", func(t *testing.T) {
		r := runJourney(t, "forward_site.mjs", env(frank, "allowed"))
		forged := map[string]string{"X-Auth-Request-Email": "mallory@evil.example", "X-Auth-Request-User": "mallory",
			"X-Auth-Request-Groups": "admins", "X-Gatehouse-Role": "admin", "X-Gatehouse-Workspace": "other"}
		resp := siteGet(t, site, slug, str(t, r, "cookie"), forged)
		body := readAll(t, resp)
		if resp.StatusCode != 200 || strings.Contains(body, "mallory") || strings.Contains(body, "admins") ||
			!strings.Contains(body, `"X-Auth-Request-Email":["`+frank.Email+`"]`) {
			t.Errorf("signed in with forged headers: %d %s", resp.StatusCode, body)
		}
		resp = siteGet(t, site, slug, "", forged)
		body = readAll(t, resp)
		if resp.StatusCode != http.StatusFound || strings.Contains(body, "mallory") {
			t.Errorf("signed out with forged headers: %d %s", resp.StatusCode, body)
		}

		// An admin archives frank: his next requests are refused within
		// the documented cache bound.
		g.cli(t, "", "user", "archive", "--email", frank.Email, "--workspace", slug)
		archived := time.Now()
		for {
			resp := siteGet(t, site, slug, str(t, r, "cookie"), nil)
			readAll(t, resp)
			if resp.StatusCode == http.StatusFound && strings.HasPrefix(resp.Header.Get("Location"), g.url+"/login/"+slug) {
				t.Logf("archived member refused %v after archiving (bound %v)", time.Since(archived).Round(time.Millisecond), forwardAuthCacheTTL)
				break
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("archived member: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if time.Since(archived) > forwardAuthCacheTTL+time.Second {
				t.Fatalf("archived member still allowed %v after archiving (documented bound %v)", time.Since(archived), forwardAuthCacheTTL)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// siteGet requests the protected site as a browser with the workspace
// forward-auth cookie (none when ""), plus extra headers; redirects are
// not followed.
func siteGet(t *testing.T, site, slug, cookie string, headers map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, site+"/check", nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "gatehouse_forward_" + slug, Value: cookie})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
