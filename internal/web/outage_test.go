package web

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// serverOn is a Server over st (no seed), for health and outage tests.
func serverOn(t *testing.T, st store.Store, publicURL string) *Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := New(Options{Store: st, Service: &workspace.Service{Store: st, Now: time.Now, Log: log},
		PublicURL: publicURL, SecureCookies: true, Logger: log})
	must(t, err)
	return srv
}

// readyz answers GET /readyz from srv.
func readyz(srv *Server) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	return rec
}

// readOnlyPostgres opens a second handle on a migrated schema whose
// transactions are read-only (as on a replica, or a server out of disk
// that an operator set read-only): reads work, every write fails.
func readOnlyPostgres(t *testing.T) (rw, ro store.Store) {
	t.Helper()
	u := storetest.PostgresURL(t)
	rw = storetest.Open(t, store.Options{DatabaseURL: u})
	parsed, err := url.Parse(u)
	must(t, err)
	q := parsed.Query()
	q.Set("default_transaction_read_only", "on")
	parsed.RawQuery = q.Encode()
	ro, err = store.Open(context.Background(), store.Options{DatabaseURL: parsed.String()})
	must(t, err)
	t.Cleanup(func() { ro.Close() })
	return rw, ro
}

// TestReadyzNeedsWritableStore: /readyz answers 503 when the database
// answers but cannot write (docs/decisions.md, issue 11): a SQLite file
// whose pages are corrupt, a read-only PostgreSQL, a closed store.
func TestReadyzNeedsWritableStore(t *testing.T) {
	t.Run("sqlite corrupt", func(t *testing.T) {
		dir := t.TempDir()
		st, err := store.Open(context.Background(), store.Options{DataDir: dir, Migrate: true})
		must(t, err)
		if rec := readyz(serverOn(t, st, "http://localhost:8080")); rec.Code != http.StatusOK {
			t.Fatalf("healthy store: %d %s", rec.Code, rec.Body)
		}
		must(t, st.Close())
		// Overwrite the root page of every table and index, keeping the
		// schema's own pages: the file still opens and answers a ping,
		// and every read or write of a table fails as malformed.
		path := filepath.Join(dir, store.SQLiteFile)
		roots := tableRootPages(t, path)
		b, err := os.ReadFile(path)
		must(t, err)
		const pageSize = 4096
		for _, p := range roots {
			for i := (p - 1) * pageSize; i < p*pageSize && i < len(b); i++ {
				b[i] = 0xA5
			}
		}
		must(t, os.WriteFile(path, b, 0o600))
		broken, err := store.Open(context.Background(), store.Options{DataDir: dir})
		must(t, err)
		t.Cleanup(func() { broken.Close() })
		rec := readyz(serverOn(t, broken, "http://localhost:8080"))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not writable") || rec.Header().Get("Retry-After") == "" {
			t.Fatalf("corrupt SQLite file: %d %q", rec.Code, rec.Body)
		}
	})
	t.Run("postgres read-only", func(t *testing.T) {
		_, ro := readOnlyPostgres(t)
		rec := readyz(serverOn(t, ro, "http://localhost:8080"))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "not writable") {
			t.Fatalf("read-only PostgreSQL: %d %q", rec.Code, rec.Body)
		}
	})
	t.Run("closed", func(t *testing.T) {
		st, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir(), Migrate: true})
		must(t, err)
		srv := serverOn(t, st, "http://localhost:8080")
		must(t, st.Close())
		if rec := readyz(srv); rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("closed store: %d %q", rec.Code, rec.Body)
		}
	})
}

// tableRootPages lists the root pages of the file's tables and indexes
// (page_size must be 4096, SQLite's default).
func tableRootPages(t *testing.T, path string) []int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	defer db.Close()
	var size int
	must(t, db.QueryRow(`PRAGMA page_size`).Scan(&size))
	if size != 4096 {
		t.Fatalf("page size %d", size)
	}
	rows, err := db.Query(`SELECT rootpage FROM sqlite_master WHERE rootpage > 1`)
	must(t, err)
	defer rows.Close()
	var out []int
	for rows.Next() {
		var p int
		must(t, rows.Scan(&p))
		out = append(out, p)
	}
	must(t, rows.Err())
	if len(out) == 0 {
		t.Fatal("no tables")
	}
	return out
}

// TestReadyzProbeIsCached: polling /readyz writes at most once per
// readyProbeInterval, so anonymous polling cannot load the database.
func TestReadyzProbeIsCached(t *testing.T) {
	st := storetest.OpenSQLite(t)
	srv := serverOn(t, st, "http://localhost:8080")
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	srv.now = func() time.Time { return now }
	if rec := readyz(srv); rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	must(t, st.Close())
	now = now.Add(readyProbeInterval / 2)
	if rec := readyz(srv); rec.Code != http.StatusOK {
		t.Fatalf("within the interval the cached result answers: %d", rec.Code)
	}
	now = now.Add(readyProbeInterval)
	if rec := readyz(srv); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("after the interval a new probe runs: %d", rec.Code)
	}
}

// TestOutageIs503 is a database outage on the sign-in paths: 503 with
// Retry-After, never 500, and every failed ACS post is counted.
func TestOutageIs503(t *testing.T) {
	t.Run("closed store", func(t *testing.T) {
		e := newTestEnv(t, testOptions{signup: true, password: true, mode: store.IdPInitiatedAccept})
		resp := e.response("", "nameid-ray@example.com", emailAttrs("ray@example.com"))
		csrf := e.csrfFrom(e.client, "/login/acme")
		must(t, e.st.Close())
		checks := map[string]*http.Response{
			"ACS":            e.postACS(e.client, resp, ""),
			"sign-in page":   e.get(e.client, "/login/acme"),
			"SAML start":     e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/login"),
			"password login": e.postForm(e.client, "/login/acme", url.Values{"csrf": {csrf}, "email": {"ray@example.com"}, "password": {"long enough"}}),
		}
		for name, r := range checks {
			body(t, r)
			if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
				t.Errorf("%s with the database closed: %d, Retry-After %q; want 503 with Retry-After", name, r.StatusCode, r.Header.Get("Retry-After"))
			}
		}
		wantMetric(t, e, `gatehouse_logins_total{method="saml",outcome="failure",reason="database_unavailable"} 1`)
	})
	t.Run("postgres read-only", func(t *testing.T) {
		rw, ro := readOnlyPostgres(t)
		e := newTestEnv(t, testOptions{signup: true, mode: store.IdPInitiatedAccept, store: rw})
		// The replica that serves the request can read but not write.
		e.web = serverOn(t, ro, e.srv.URL)
		e.srv.Config.Handler = e.web.Handler()
		r := e.postACS(e.client, e.response("", "nameid-ray@example.com", emailAttrs("ray@example.com")), "")
		body(t, r)
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Fatalf("ACS on a read-only database: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
		}
		wantMetric(t, e, `gatehouse_logins_total{method="saml",outcome="failure",reason="database_unavailable"} 1`)
	})
}

// wantMetric fails unless the /metrics page of e's server has line.
func wantMetric(t *testing.T, e *testEnv, line string) {
	t.Helper()
	rec := httptest.NewRecorder()
	e.web.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), line) {
		t.Errorf("metrics lack %s:\n%s", line, grepLines(rec.Body.String(), "gatehouse_logins_total"))
	}
}

// grepLines keeps the lines containing s.
func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
