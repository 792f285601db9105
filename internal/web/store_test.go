package web

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// openTestStore opens a migrated real store: a SQLite file in a temp dir,
// or (postgres) a fresh schema of GATEHOUSE_TEST_DATABASE_URL that is
// dropped afterwards. Without that variable the PostgreSQL tests are
// skipped loudly, except under CI=true where that is a failure.
func openTestStore(t testing.TB, postgres bool) store.Store {
	t.Helper()
	opts := store.Options{DataDir: t.TempDir(), Migrate: true}
	if postgres {
		opts.DatabaseURL = freshSchemaURL(t)
	}
	st, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// freshSchemaURL creates a schema and returns the test URL pointing at it.
func freshSchemaURL(t testing.TB) string {
	base := os.Getenv("GATEHOUSE_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("GATEHOUSE_TEST_DATABASE_URL is not set under CI=true")
		}
		t.Skip("SKIPPED LOUDLY: GATEHOUSE_TEST_DATABASE_URL is not set; the PostgreSQL web tests did not run")
	}
	schema := pgx.Identifier{"web_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")}.Sanitize()
	pgExec(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { pgExec(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", strings.Trim(schema, `"`))
	u.RawQuery = q.Encode()
	return u.String()
}

func pgExec(t testing.TB, dbURL, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("postgres: %s: %v", sql, err)
	}
}

// bothBackends runs fn on SQLite and on PostgreSQL (the latter skipped
// loudly without GATEHOUSE_TEST_DATABASE_URL, a failure under CI=true).
func bothBackends(t *testing.T, fn func(t *testing.T, postgres bool)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, false) })
	t.Run("postgres", func(t *testing.T) { fn(t, true) })
}
