package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// postgresURL is the test server's URL, or skips (fails under CI=true).
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("GATEHOUSE_TEST_DATABASE_URL")
	if u != "" {
		return u
	}
	const msg = "GATEHOUSE_TEST_DATABASE_URL is not set: the PostgreSQL store tests did NOT run " +
		"(e.g. GATEHOUSE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// freshSchema creates a uniquely named schema, drops it at cleanup, and
// returns a URL whose connections use it (search_path).
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	schema := "gatehouse_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("GATEHOUSE_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openPostgresURL opens (and migrates) the store at databaseURL.
func openPostgresURL(t *testing.T, databaseURL string) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{DatabaseURL: databaseURL, Migrate: true})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPostgresConformance(t *testing.T) {
	base := postgresURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openPostgresURL(t, freshSchema(t, base)) })
}

func TestPostgresReplayTwoHandles(t *testing.T) {
	u := freshSchema(t, postgresURL(t))
	storetest.ConcurrentReplay(t, openPostgresURL(t, u), openPostgresURL(t, u))
}

func TestPostgresReplayTwoProcesses(t *testing.T) {
	u := freshSchema(t, postgresURL(t))
	raceTwoProcesses(t, openPostgresURL(t, u), u, "")
}

func TestPostgresFirstLoginTwoHandles(t *testing.T) {
	u := freshSchema(t, postgresURL(t))
	storetest.ConcurrentFirstLogin(t, openPostgresURL(t, u), openPostgresURL(t, u))
}
