package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if got := percentile(ds, 50); got != 50*time.Millisecond {
		t.Errorf("p50 = %v", got)
	}
	if got := percentile(ds, 99); got != 99*time.Millisecond {
		t.Errorf("p99 = %v", got)
	}
	if got := percentile(ds[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %v", got)
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of none = %v", got)
	}
}

// acsStub answers like an ACS: the form's SAMLResponse decides the
// outcome, so the test knows exactly which posts are completed logins.
func acsStub(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		switch r.PostForm.Get("SAMLResponse") {
		case "login":
			http.SetCookie(w, &http.Cookie{Name: sessionCookiePrefix + "acme", Value: "tok"})
			http.Redirect(w, r, "/", http.StatusSeeOther)
		case "bounce": // 303 without a session: not a login
			http.Redirect(w, r, "/idp", http.StatusSeeOther)
		case "empty-cookie":
			http.SetCookie(w, &http.Cookie{Name: sessionCookiePrefix + "acme", Value: ""})
			http.Redirect(w, r, "/", http.StatusSeeOther)
		default:
			http.Error(w, "replayed", http.StatusForbidden)
		}
	}))
}

func TestRunCountsOnlyCompletedLogins(t *testing.T) {
	srv := acsStub(t)
	defer srv.Close()
	bodies := []string{"SAMLResponse=login", "SAMLResponse=bounce", "SAMLResponse=login",
		"SAMLResponse=replay", "SAMLResponse=empty-cookie", "SAMLResponse=login"}
	attempts, elapsed := run(newClient(3), srv.URL, bodies, 3, 10*time.Second)
	r := summarize("stub", 3, attempts, elapsed, 0, loadAverage())
	if r.Attempts != 6 || r.Completed != 3 {
		t.Fatalf("attempts %d, completed %d; want 6 and 3", r.Attempts, r.Completed)
	}
	if r.Errors["303 without session cookie"] != 2 || r.Errors["403"] != 1 {
		t.Fatalf("errors = %v", r.Errors)
	}
	if !strings.Contains(r.Examples["403"], "replayed") {
		t.Fatalf("403 example = %q", r.Examples["403"])
	}
	if r.P50 <= 0 || r.P99 < r.P50 {
		t.Fatalf("p50 %v p99 %v", r.P50, r.P99)
	}
}

func TestRunStopsAtTheDeadline(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer slow.Close()
	bodies := make([]string, 100)
	attempts, _ := run(newClient(2), slow.URL, bodies, 2, 100*time.Millisecond)
	if len(attempts) != 0 {
		t.Fatalf("%d attempts cut by the deadline were counted", len(attempts))
	}
}

func TestVmHWMOfThisProcess(t *testing.T) {
	n, err := vmHWM("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	if n < 1<<20 {
		t.Fatalf("VmHWM = %d bytes, implausibly small", n)
	}
}

func TestLastLine(t *testing.T) {
	got := lastLine("Saved.\nRedirect URL:\n  http://127.0.0.1:1/api/sso/saml/abc  \n\n")
	if got != "http://127.0.0.1:1/api/sso/saml/abc" {
		t.Fatalf("lastLine = %q", got)
	}
}

// TestPGSchemaLifecycle runs against the real PostgreSQL when
// GATEHOUSE_TEST_DATABASE_URL is set.
func TestPGSchemaLifecycle(t *testing.T) {
	base := os.Getenv("GATEHOUSE_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("SKIPPED LOUDLY: GATEHOUSE_TEST_DATABASE_URL is not set; the PostgreSQL schema test did not run")
	}
	ctx := context.Background()
	s, err := newPGSchema(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.url()
	if err != nil {
		t.Fatal(err)
	}
	if err := pgExec(ctx, u, "CREATE TABLE probe (x int)"); err != nil {
		t.Fatal(err)
	}
	if err := pgExec(ctx, base, "SELECT 1 FROM "+s.name+".probe"); err != nil {
		t.Fatalf("table was not created in the fresh schema: %v", err)
	}
	if err := s.drop(); err != nil {
		t.Fatal(err)
	}
	if err := pgExec(ctx, base, "SELECT 1 FROM "+s.name+".probe"); err == nil {
		t.Fatal("schema survived drop")
	}
}
