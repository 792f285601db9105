package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func TestSignOutPageFromProtectedSite(t *testing.T) {
	e := newForwardEnv(t)
	rd := "https://dash.example.com/reports"
	// A GET (an image tag on any site could make one) shows a form and
	// signs nobody out.
	resp := e.get(e.client, "/logout/acme?rd="+url.QueryEscape(rd))
	page := body(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `method="post" action="/logout/acme"`) ||
		!strings.Contains(page, `name="rd" value="https://dash.example.com/reports"`) {
		t.Fatalf("sign-out page: %d\n%s", resp.StatusCode, page)
	}
	if r := e.check("acme", "", map[string]string{forwardCookieName("acme"): e.fwd}, nil); r.StatusCode != 200 {
		t.Fatalf("the GET signed out: check %d", r.StatusCode)
	}
	// A cross-site POST, or one without the token, is refused.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/logout/acme", strings.NewReader(url.Values{"rd": {rd}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r, err := e.client.Do(req)
	must(t, err)
	body(t, r)
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site sign-out: %d, want 403", r.StatusCode)
	}
	if r := e.postForm(e.client, "/logout/acme", url.Values{"rd": {rd}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("sign-out without CSRF token: %d, want 403", r.StatusCode)
	}
	// The form signs out and goes back to the site through /auth/return.
	csrf := csrfRe.FindStringSubmatch(page)[1]
	r = e.postForm(e.client, "/logout/acme", url.Values{"csrf": {csrf}, "rd": {rd}})
	body(t, r)
	wantBack := "/auth/return/acme?rd=" + url.QueryEscape(rd)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != wantBack {
		t.Fatalf("sign-out: %d to %q, want 303 to %q", r.StatusCode, r.Header.Get("Location"), wantBack)
	}
	if loc := e.get(e.client, wantBack).Header.Get("Location"); loc != rd {
		t.Fatalf("return after sign-out: %q, want %q", loc, rd)
	}
	if r := e.check("acme", "", map[string]string{forwardCookieName("acme"): e.fwd}, nil); r.StatusCode != 401 {
		t.Fatalf("after sign-out: check %d, want 401", r.StatusCode)
	}
	// Signed out, the page goes straight on (and only to listed sites).
	if loc := e.get(e.client, "/logout/acme?rd="+url.QueryEscape(rd)).Header.Get("Location"); loc != rd {
		t.Errorf("signed-out sign-out page went to %q", loc)
	}
	if loc := e.get(e.client, "/logout/acme?rd="+url.QueryEscape("https://evil.example.net/")).Header.Get("Location"); loc != "/login/acme?notice=signed_out" {
		t.Errorf("unlisted rd went to %q", loc)
	}
}

func TestSignOutDropsUnlistedReturn(t *testing.T) {
	e := newForwardEnv(t)
	csrf := e.csrfFrom(e.client, "/logout/acme")
	r := e.postForm(e.client, "/logout/acme", url.Values{"csrf": {csrf}, "rd": {"https://evil.example.net/"}})
	body(t, r)
	if loc := r.Header.Get("Location"); loc != "/login/acme?notice=signed_out" {
		t.Fatalf("sign-out with an unlisted rd went to %q", loc)
	}
}

// TestForwardAuthCacheBound: with a cache, a sign-out on this replica
// takes effect at once and an archived member is refused once the TTL has
// passed (never later).
func TestForwardAuthCacheBound(t *testing.T) {
	e := newForwardEnv(t)
	now := time.Now()
	clock := func() time.Time { return now }
	srv, err := New(Options{Store: e.st, Service: e.svc, PublicURL: e.srv.URL, SecureCookies: true,
		Logger: e.web.log, ForwardAuthCacheTTL: 2 * time.Second, Now: clock})
	must(t, err)
	check := func() int {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/auth/forward/acme", nil)
		req.AddCookie(&http.Cookie{Name: forwardCookieName("acme"), Value: e.fwd})
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if c := check(); c != 200 {
		t.Fatalf("check %d", c)
	}
	must(t, e.svc.ArchiveUser(t.Context(), "", "ann@example.com", e.ws.ID))
	if c := check(); c != 200 {
		t.Fatalf("within the TTL the cached answer stands (documented bound): %d", c)
	}
	now = now.Add(2 * time.Second)
	if c := check(); c != 401 {
		t.Fatalf("archived member after the TTL: %d, want 401", c)
	}
}

// TestForwardAuthArchiveOnThisReplica: an admin archiving a member on the
// members page ends their cached forward-auth answers on this replica at
// once, without waiting for the cache TTL.
func TestForwardAuthArchiveOnThisReplica(t *testing.T) {
	h := newHarness(t)
	srv, err := New(Options{Store: h.st, Service: h.svc, PublicURL: "https://sso.example.com", Now: func() time.Time { return h.now }, SecureCookies: true,
		Logger: h.srv.log, ForwardAuthCacheTTL: time.Minute})
	must(t, err)
	h.srv = srv
	check := func() int {
		req := h.newRequest(http.MethodGet, "/auth/forward/acme", nil)
		req.AddCookie(&http.Cookie{Name: forwardCookieName("acme"), Value: workspace.ForwardToken(h.builderToken)})
		return h.serve(req).Code
	}
	if c := check(); c != http.StatusOK {
		t.Fatalf("check %d", c)
	}
	res := h.post("/settings/acme/members", h.adminToken, confirmed(url.Values{"action": {"archive"}, "user_id": {h.builderUser.ID}}))
	if res.Code >= 400 {
		t.Fatalf("archive: %d %s", res.Code, res.Body)
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Status != "archived" {
		t.Fatalf("not archived (%d): %+v", res.Code, m)
	}
	if c := check(); c != http.StatusUnauthorized {
		t.Fatalf("archived member within the cache TTL on the same replica: %d, want 401", c)
	}
}
