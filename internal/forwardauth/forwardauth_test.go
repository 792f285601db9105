package forwardauth

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func TestNormalizeSite(t *testing.T) {
	ok := map[string]string{
		"https://dash.example.com":       "https://dash.example.com",
		"https://Dash.Example.COM/":      "https://dash.example.com",
		"HTTPS://dash.example.com:443":   "https://dash.example.com",
		"http://dash.example.com:80/":    "http://dash.example.com",
		"http://127.0.0.1:8081":          "http://127.0.0.1:8081",
		"https://[::1]:8443":             "https://[::1]:8443",
		" https://dash.example.com:8443": "https://dash.example.com:8443",
	}
	for in, want := range ok {
		if got, err := NormalizeSite(in); err != nil || got != want {
			t.Errorf("NormalizeSite(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "dash.example.com", "//dash.example.com", "ftp://dash.example.com",
		"https://user:pw@dash.example.com", "https://dash.example.com/app", "https://dash.example.com?x=1",
		"https://dash.example.com#x", "https://dash.example.com:", "https:dash.example.com", "javascript:alert(1)",
		"https://dash.example.com\\evil", "https://", "https://dash%2eexample.com"} {
		if got, err := NormalizeSite(in); !errors.Is(err, ErrInvalidSite) {
			t.Errorf("NormalizeSite(%q) = %q, %v; want ErrInvalidSite", in, got, err)
		}
	}
}

func TestCheckReturnURL(t *testing.T) {
	origins := []string{"https://dash.example.com", "http://127.0.0.1:8081"}
	ok := map[string]string{
		"https://dash.example.com/":           "https://dash.example.com/",
		"https://dash.example.com/a?b=1#c":    "https://dash.example.com/a?b=1#c",
		"https://dash.example.com:443/x":      "https://dash.example.com:443/x",
		"HTTPS://DASH.EXAMPLE.COM/x":          "https://DASH.EXAMPLE.COM/x",
		"http://127.0.0.1:8081/reports":       "http://127.0.0.1:8081/reports",
		"https://dash.example.com//evil.net/": "https://dash.example.com//evil.net/",
	}
	for in, want := range ok {
		if got := CheckReturnURL(in, origins); got != want {
			t.Errorf("CheckReturnURL(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{
		"", "/reports", "//dash.example.com/", "/\\evil.net", "\\\\evil.net",
		"https://evil.net/", "https://dash.example.com.evil.net/", "https://evildash.example.com/",
		"http://dash.example.com/", "https://dash.example.com:8443/", "http://127.0.0.1:8082/", "http://127.0.0.1/",
		"https://dash.example.com@evil.net/", "https://dash.example.com:443@evil.net/", "https://user@dash.example.com/",
		"https://evil.net\\@dash.example.com/", "https://evil.net#@dash.example.com", "https://evil.net?@dash.example.com",
		"https://dash.example.com%2F@evil.net/", "https://dash%2eexample.com/", "https%3A%2F%2Fdash.example.com/",
		"javascript://dash.example.com/%0aalert(1)", "data:text/html,x", "https:dash.example.com/",
		"https:/dash.example.com/", "https:\\\\dash.example.com/", " https://dash.example.com/",
		"https://dash.example.com/\n", "https://dash.example.com/\x00", "https://dash.example.com\t/",
		"https://dash.example.com/" + string(make([]byte, 3000)),
	} {
		if got := CheckReturnURL(in, origins); got != "" {
			t.Errorf("CheckReturnURL(%q) = %q, want refused", in, got)
		}
	}
	if got := CheckReturnURL("https://dash.example.com/", nil); got != "" {
		t.Errorf("no sites: %q", got)
	}
}

func TestParseRule(t *testing.T) {
	r, err := ParseRule(url.Values{"group": {"ops", "dev"}, "role": {"Builder"}})
	if err != nil || r.MinRole != "builder" || len(r.Groups) != 2 {
		t.Fatalf("rule %+v, %v", r, err)
	}
	cases := []struct {
		role   string
		groups []string
		want   bool
	}{
		{"admin", []string{"ops"}, true},
		{"builder", []string{"dev"}, true},
		{"end-user", []string{"ops"}, false},
		{"admin", []string{"other"}, false},
		{"admin", nil, false},
	}
	for _, c := range cases {
		if got := r.Allows(c.role, c.groups); got != c.want {
			t.Errorf("Allows(%s, %v) = %v", c.role, c.groups, got)
		}
	}
	if !(Rule{}).Allows("end-user", nil) {
		t.Error("an empty rule refused an active member")
	}
	many := make([]string, maxRuleGroups+1)
	for i := range many {
		many[i] = "g"
	}
	for _, q := range []url.Values{{"role": {"root"}}, {"role": {"admin", "builder"}}, {"group": {""}}, {"group": many}, {"role": {"ADMİN"}}} {
		if _, err := ParseRule(q); err == nil {
			t.Errorf("ParseRule(%v) accepted", q)
		}
	}
}

// TestCheckerCache: answers are reused for at most the TTL; Forget ends a
// session's cached answer at once; expiry is never extended by the cache.
func TestCheckerCache(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws := &store.Workspace{Name: "Acme", Slug: "acme"}
	must(t, st.CreateWorkspace(ctx, ws))
	u := &store.User{Email: "ann@example.com"}
	must(t, st.CreateUser(ctx, u))
	must(t, st.CreateMembership(ctx, &store.Membership{WorkspaceID: ws.ID, UserID: u.ID, Status: store.StatusActive, Role: "end-user"}))
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := sha256.Sum256([]byte("tok"))
	fwd := workspace.ForwardToken("tok")
	fh := workspace.HashToken(fwd)
	must(t, st.CreateSession(ctx, &store.Session{TokenHash: h[:], ForwardHash: fh, UserID: u.ID, WorkspaceID: ws.ID, CreatedAt: now, ExpiresAt: now.Add(10 * time.Second)}))
	c := NewChecker(st, 2*time.Second, func() time.Time { return now })
	outcome := func() Outcome {
		t.Helper()
		res, err := c.Check(ctx, "acme", fwd, Rule{})
		must(t, err)
		return res.Outcome
	}
	if outcome() != Allowed {
		t.Fatal("not allowed")
	}
	if res, err := c.Check(ctx, "acme", "tok", Rule{}); err != nil || res.Outcome != SignedOut {
		t.Fatalf("the session token passed as a forward token: %+v %v", res, err)
	}
	must(t, st.DeleteSession(ctx, h[:]))
	if outcome() != Allowed {
		t.Fatal("within the TTL the cached answer should stand")
	}
	now = now.Add(2 * time.Second)
	if outcome() != SignedOut {
		t.Fatal("deleted session still allowed after the TTL")
	}
	must(t, st.CreateSession(ctx, &store.Session{TokenHash: h[:], ForwardHash: fh, UserID: u.ID, WorkspaceID: ws.ID, CreatedAt: now, ExpiresAt: now.Add(3 * time.Second)}))
	if outcome() != Allowed {
		t.Fatal("re-created session refused")
	}
	c.Forget("tok")
	must(t, st.DeleteSession(ctx, h[:]))
	if outcome() != SignedOut {
		t.Fatal("Forget did not drop the cached answer")
	}
	// Expiry inside the TTL window is honoured.
	must(t, st.CreateSession(ctx, &store.Session{TokenHash: h[:], ForwardHash: fh, UserID: u.ID, WorkspaceID: ws.ID, CreatedAt: now, ExpiresAt: now.Add(time.Second)}))
	if outcome() != Allowed {
		t.Fatal("fresh session refused")
	}
	now = now.Add(time.Second)
	if outcome() != SignedOut {
		t.Fatal("expired session served from the cache")
	}
	if res, err := c.Check(ctx, "nope", "", Rule{}); err != nil || res.Outcome != UnknownWorkspace {
		t.Fatalf("unknown workspace: %+v %v", res, err)
	}
	if NewChecker(st, time.Hour, nil).TTL() != MaxCacheTTL || NewChecker(st, -1, nil).TTL() != 0 {
		t.Error("TTL not clamped")
	}
}

func TestSitesAddRemove(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws := &store.Workspace{Name: "Acme", Slug: "acme"}
	must(t, st.CreateWorkspace(ctx, ws))
	s := Sites{Store: st}
	site, err := s.Add(ctx, "", ws.ID, "https://Dash.Example.com/")
	must(t, err)
	if site.Origin != "https://dash.example.com" {
		t.Fatalf("origin %q", site.Origin)
	}
	if _, err := s.Add(ctx, "", ws.ID, "https://dash.example.com:443"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same origin again: %v", err)
	}
	if _, err := s.Add(ctx, "", ws.ID, "https://dash.example.com/path"); !errors.Is(err, ErrInvalidSite) {
		t.Fatalf("path: %v", err)
	}
	if err := s.Remove(ctx, "", ws.ID, "no-such-id"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remove unknown: %v", err)
	}
	must(t, s.Remove(ctx, "", ws.ID, site.ID))
	ev, err := st.ListAudit(ctx, store.AuditFilter{WorkspaceID: ws.ID})
	must(t, err)
	if len(ev) != 2 {
		t.Fatalf("audit events %d, want add and remove", len(ev))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
