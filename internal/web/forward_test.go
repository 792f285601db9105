package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// forwardEnv is a testEnv with a member (ann, end-user, group "ops"), a
// protected site https://dash.example.com, and ann's session token.
type forwardEnv struct {
	*testEnv
	ann   *store.User
	token string // ann's session token
	fwd   string // ann's forward-auth token, what protected sites' checks carry
}

func newForwardEnv(t *testing.T) *forwardEnv {
	t.Helper()
	return newForwardEnvOn(t, false)
}

// newForwardEnvOn is newForwardEnv on SQLite or, with postgres, on a fresh
// PostgreSQL schema.
func newForwardEnvOn(t *testing.T, postgres bool) *forwardEnv {
	t.Helper()
	e := newTestEnv(t, testOptions{password: true, postgres: postgres})
	ctx := context.Background()
	ann, err := e.svc.CreateUser(ctx, "", e.ws.ID, "ann@example.com", "Ann", "correct horse battery", "end-user")
	must(t, err)
	g, err := e.svc.CreateGroup(ctx, "", e.ws.ID, "ops", false)
	must(t, err)
	must(t, e.svc.AddGroupMember(ctx, "", e.ws.ID, g.ID, ann.ID))
	_, err = forwardauth.Sites{Store: e.st}.Add(ctx, "", e.ws.ID, "https://dash.example.com")
	must(t, err)
	e.passwordSignIn(e.client, "acme", "ann@example.com", "correct horse battery")
	fwd := e.cookie(e.client, forwardCookieName("acme"))
	if fwd == nil {
		t.Fatal("sign-in set no forward-auth cookie")
	}
	return &forwardEnv{testEnv: e, ann: ann, token: e.cookie(e.client, sessionCookie).Value, fwd: fwd.Value}
}

// check calls /auth/forward/{slug}{query} as a proxy would, with the given
// cookies and headers, never following redirects.
func (e *forwardEnv) check(slug, query string, cookies map[string]string, headers map[string]string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/auth/forward/"+slug+query, nil)
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	c := e.newClient()
	resp, err := c.Do(req)
	must(e.t, err)
	body(e.t, resp)
	return resp
}

func TestForwardAuthStatuses(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testForwardAuthStatuses(t, false) })
	t.Run("postgres", func(t *testing.T) { testForwardAuthStatuses(t, true) })
}

func testForwardAuthStatuses(t *testing.T, postgres bool) {
	e := newForwardEnvOn(t, postgres)
	ctx := context.Background()
	other := &store.Workspace{Name: "Beta", Slug: "beta"}
	must(t, e.st.CreateWorkspace(ctx, other))
	expired := "expired-session-token-0123456789abcdefghijkl"
	must(t, e.st.CreateSession(ctx, &store.Session{TokenHash: workspace.HashToken(expired),
		ForwardHash: workspace.HashToken(workspace.ForwardToken(expired)), UserID: e.ann.ID,
		WorkspaceID: e.ws.ID, CreatedAt: time.Now().Add(-2 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)}))
	// ann's session belongs to acme; a copy of it under beta's name must
	// not sign anyone in at beta (or reveal ann).
	_, err := e.svc.CreateUser(ctx, "", other.ID, "ann@example.com", "", "", "admin")
	must(t, err)
	acme := forwardCookieName("acme")
	cases := []struct {
		name, slug, query string
		cookies           map[string]string
		want              int
	}{
		{"signed in", "acme", "", map[string]string{acme: e.fwd}, 200},
		{"no cookie", "acme", "", nil, 401},
		{"forged cookie", "acme", "", map[string]string{acme: "forged-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, 401},
		{"oversized cookie", "acme", "", map[string]string{acme: strings.Repeat("a", 5000)}, 401},
		{"expired session", "acme", "", map[string]string{acme: workspace.ForwardToken(expired)}, 401},
		{"old instance-wide cookie", "acme", "", map[string]string{"gatehouse_session": e.fwd}, 401},
		{"other workspace's cookie name", "beta", "", map[string]string{acme: e.fwd}, 401},
		{"acme token under beta's name", "beta", "", map[string]string{forwardCookieName("beta"): e.fwd}, 401},
		{"session cookie", "acme", "", map[string]string{sessionCookieName("acme"): e.token}, 401},
		{"session cookie, bare name", "acme", "", map[string]string{"gatehouse_session_acme": e.token}, 401},
		{"session token in the forward cookie", "acme", "", map[string]string{acme: e.token}, 401},
		{"forward token in the session cookie", "acme", "", map[string]string{sessionCookieName("acme"): e.fwd}, 401},
		{"unknown workspace", "nope", "", map[string]string{acme: e.fwd}, 404},
		{"unknown workspace with its cookie", "nope", "", map[string]string{forwardCookieName("nope"): e.fwd}, 404},
		{"invalid slug", "ACME", "", map[string]string{acme: e.fwd}, 404},
		{"group met", "acme", "?group=ops", map[string]string{acme: e.fwd}, 200},
		{"one of two groups", "acme", "?group=admins&group=ops", map[string]string{acme: e.fwd}, 200},
		{"group not met", "acme", "?group=admins", map[string]string{acme: e.fwd}, 403},
		{"group is exact", "acme", "?group=OPS", map[string]string{acme: e.fwd}, 403},
		{"role met", "acme", "?role=end-user", map[string]string{acme: e.fwd}, 200},
		{"role not met", "acme", "?role=builder", map[string]string{acme: e.fwd}, 403},
		{"role and group, role not met", "acme", "?role=admin&group=ops", map[string]string{acme: e.fwd}, 403},
		{"rule signed out", "acme", "?group=ops", nil, 401},
		{"unknown role", "acme", "?role=root", map[string]string{acme: e.fwd}, 400},
		{"role twice", "acme", "?role=admin&role=end-user", map[string]string{acme: e.fwd}, 400},
		{"empty group", "acme", "?group=", map[string]string{acme: e.fwd}, 400},
		{"html accept without redirect=1", "acme", "", nil, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.check(c.slug, c.query, c.cookies, map[string]string{"Accept": "text/html"})
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.want)
			}
			if c.want != 200 && (resp.Header.Get(hdrEmail) != "" || resp.Header.Get(hdrUser) != "") {
				t.Fatalf("a %d answer carried identity headers: %v", c.want, resp.Header)
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestForwardAuthIdentityHeaders(t *testing.T) {
	e := newForwardEnv(t)
	ctx := context.Background()
	g, err := e.svc.CreateGroup(ctx, "", e.ws.ID, "dev team", false)
	must(t, err)
	must(t, e.svc.AddGroupMember(ctx, "", e.ws.ID, g.ID, e.ann.ID))
	// The client (through a careless proxy) sends its own identity headers:
	// the answer's are Gatehouse's, one value each.
	resp := e.check("acme", "", map[string]string{forwardCookieName("acme"): e.fwd}, map[string]string{
		hdrEmail: "mallory@evil.example", hdrUser: "mallory", hdrGroups: "admins", hdrRole: "admin", hdrWorkspace: "beta"})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	want := map[string]string{hdrUser: e.ann.ID, hdrEmail: "ann@example.com", hdrUsername: "ann@example.com",
		hdrGroups: "dev team,ops", hdrRole: "end-user", hdrWorkspace: "acme"}
	for k, v := range want {
		if got := resp.Header.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want exactly %q", k, got, v)
		}
	}
	// A member without groups gets an empty group header, not a stale one.
	must(t, e.svc.RemoveGroupMember(ctx, "", e.ws.ID, g.ID, e.ann.ID))
	grp, _ := e.st.ListGroups(ctx, e.ws.ID)
	for _, gg := range grp {
		must(t, e.svc.RemoveGroupMember(ctx, "", e.ws.ID, gg.ID, e.ann.ID))
	}
	resp = e.check("acme", "", map[string]string{forwardCookieName("acme"): e.fwd}, nil)
	if got := resp.Header.Values(hdrGroups); resp.StatusCode != 200 || len(got) != 1 || got[0] != "" {
		t.Errorf("no groups: status %d, groups %q", resp.StatusCode, got)
	}
}

func TestForwardAuthRedirect(t *testing.T) {
	e := newForwardEnv(t)
	fwd := func(proto, host, uri string) map[string]string {
		return map[string]string{"X-Forwarded-Proto": proto, "X-Forwarded-Host": host, "X-Forwarded-Uri": uri}
	}
	login := e.srv.URL + "/login/acme"
	back := func(rd string) string {
		return login + "?redirect_to=" + url.QueryEscape("/auth/return/acme?rd="+url.QueryEscape(rd))
	}
	cases := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"listed site", fwd("https", "dash.example.com", "/reports?q=1&x=2"), back("https://dash.example.com/reports?q=1&x=2")},
		{"listed site, default port", fwd("https", "dash.example.com:443", "/"), back("https://dash.example.com:443/")},
		{"listed site, upper case", fwd("https", "DASH.example.com", "/a"), back("https://DASH.example.com/a")},
		{"unlisted host", fwd("https", "evil.example.net", "/"), login},
		{"suffix of a listed host", fwd("https", "dash.example.com.evil.net", "/"), login},
		{"listed host, other scheme", fwd("http", "dash.example.com", "/"), login},
		{"listed host, other port", fwd("https", "dash.example.com:8443", "/"), login},
		{"userinfo trick", fwd("https", "dash.example.com@evil.net", "/"), login},
		{"scheme trick", fwd("javascript", "dash.example.com", "/"), login},
		{"uri without slash", fwd("https", "dash.example.com", "evil.net/"), login},
		{"uri starting //", fwd("https", "dash.example.com", "//evil.net/"), back("https://dash.example.com//evil.net/")},
		{"backslash host", fwd("https", "evil.net\\dash.example.com", "/"), login},
		{"encoded host", fwd("https", "dash.example.com%2f%2fevil.net", "/"), login},
		{"no forwarded headers", nil, login},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.check("acme", "?redirect=1", nil, c.headers)
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != c.want {
				t.Fatalf("%d to %q, want 302 to %q", resp.StatusCode, resp.Header.Get("Location"), c.want)
			}
			// Without redirect=1 the same URL comes as a 401's header (nginx).
			resp = e.check("acme", "", nil, c.headers)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get(hdrSignIn) != c.want {
				t.Fatalf("401 sign-in header %q, want %q", resp.Header.Get(hdrSignIn), c.want)
			}
		})
	}
}

func TestForwardReturn(t *testing.T) {
	e := newForwardEnv(t)
	for _, c := range []struct{ rd, want string }{
		{"https://dash.example.com/reports?q=1", "https://dash.example.com/reports?q=1"},
		{"https://evil.example.net/", "/w/acme"},
		{"//evil.example.net/", "/w/acme"},
		{"/\\evil.example.net/", "/w/acme"},
		{"https:/\\evil.example.net/", "/w/acme"},
		{"https://dash.example.com\\@evil.example.net/", "/w/acme"},
		{"https://dash.example.com@evil.example.net/", "/w/acme"},
		{"https://evil.example.net#@dash.example.com", "/w/acme"},
		{"https://evil.example.net?@dash.example.com", "/w/acme"},
		{"https://dash.example.com%2F@evil.example.net/", "/w/acme"},
		{"https://dash.example.com%2e/", "/w/acme"},
		{"https://dash%2eexample.com/", "/w/acme"},
		{"https%3A%2F%2Fevil.example.net", "/w/acme"},
		{"javascript://dash.example.com/%0aalert(1)", "/w/acme"},
		{"data:text/html,hi", "/w/acme"},
		{" https://dash.example.com/", "/w/acme"},
		{"https://dash.example.com\t/", "/w/acme"},
		{"https:dash.example.com/", "/w/acme"},
		{"", "/w/acme"},
	} {
		resp := e.get(e.client, "/auth/return/acme?rd="+url.QueryEscape(c.rd))
		body(t, resp)
		if got := resp.Header.Get("Location"); got != c.want {
			t.Errorf("rd=%q: redirected to %q, want %q", c.rd, got, c.want)
		}
	}
	resp := e.get(e.client, "/auth/return/nope?rd="+url.QueryEscape("https://dash.example.com/"))
	body(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown workspace: %d", resp.StatusCode)
	}
}
