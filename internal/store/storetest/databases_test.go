package storetest_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// schemaExists asks the server whether schema exists.
func schemaExists(t *testing.T, base, schema string) bool {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1`, schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// Each PostgresURL is its own schema, rows do not cross, and the schema is
// gone after the test.
func TestPostgresURLIsolatesAndCleansUp(t *testing.T) {
	base := storetest.PostgresServer(t)
	var schemas []string
	t.Run("two schemas", func(t *testing.T) {
		a, b := storetest.PostgresURL(t), storetest.PostgresURL(t)
		for _, u := range []string{a, b} {
			pu, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			schemas = append(schemas, pu.Query().Get("search_path"))
		}
		if schemas[0] == schemas[1] || schemas[0] == "" {
			t.Fatalf("schemas %q", schemas)
		}
		sa := storetest.Open(t, store.Options{DatabaseURL: a})
		sb := storetest.Open(t, store.Options{DatabaseURL: b})
		ctx := context.Background()
		if err := sa.CreateWorkspace(ctx, &store.Workspace{Name: "Acme", Slug: "acme"}); err != nil {
			t.Fatal(err)
		}
		if _, err := sb.GetWorkspaceBySlug(ctx, "acme"); err == nil {
			t.Error("a row of one schema is visible in the other")
		}
		if !schemaExists(t, base, schemas[0]) {
			t.Error("schema missing during the test")
		}
	})
	for _, s := range schemas {
		if schemaExists(t, base, s) {
			t.Errorf("schema %s not dropped after the test", s)
		}
	}
}

// OpenSQLite gives each test its own migrated database file.
func TestOpenSQLiteIsFreshPerCall(t *testing.T) {
	ctx := context.Background()
	a, b := storetest.OpenSQLite(t), storetest.OpenSQLite(t)
	if err := a.CreateWorkspace(ctx, &store.Workspace{Name: "Acme", Slug: "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetWorkspaceBySlug(ctx, "acme"); err == nil {
		t.Error("two OpenSQLite stores share rows")
	}
}
