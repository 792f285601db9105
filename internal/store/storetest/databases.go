package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// EnvDatabaseURL names the PostgreSQL server tests run against, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvDatabaseURL = testenv.EnvDatabaseURL

// PostgresURL creates a fresh, uniquely named schema on the test server,
// drops it in t.Cleanup, and returns a URL whose connections use it
// (search_path), so tests never see each other's rows. Without
// EnvDatabaseURL the test is skipped loudly, and under CI=true it fails:
// CI must never pass with the PostgreSQL half silently missing.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := PostgresServer(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvDatabaseURL, err)
	}
	schema := newSchemaName(t)
	quoted := pgx.Identifier{schema}.Sanitize()
	if err := pgExec(base, "CREATE SCHEMA "+quoted); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := pgExec(base, "DROP SCHEMA "+quoted+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// PostgresServer returns EnvDatabaseURL itself (no schema of its own),
// skipping loudly when it is unset and failing under CI=true. Suites that
// open a schema per subtest call it first so a missing server is
// reported once.
func PostgresServer(t testing.TB) string {
	t.Helper()
	return testenv.DatabaseURL(t)
}

// newSchemaName is random, so parallel packages and reruns never collide.
func newSchemaName(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "gatehouse_test_" + hex.EncodeToString(b[:])
}

// pgExec runs one statement on its own connection.
func pgExec(dbURL, sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("postgres: %s: %w", sql, err)
	}
	return nil
}

// Open opens and migrates the store o describes and closes it in
// t.Cleanup.
func Open(t testing.TB, o store.Options) store.Store {
	t.Helper()
	o.Migrate = true
	st, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// OpenSQLite opens a migrated SQLite store in a fresh t.TempDir().
func OpenSQLite(t testing.TB) store.Store {
	t.Helper()
	return Open(t, store.Options{DataDir: t.TempDir()})
}

// OpenPostgres opens a migrated PostgreSQL store in a fresh schema
// (PostgresURL: skipped loudly without the server, a failure under CI).
func OpenPostgres(t testing.TB) store.Store {
	t.Helper()
	return Open(t, store.Options{DatabaseURL: PostgresURL(t)})
}
