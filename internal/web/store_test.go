package web

import (
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// openTestStore opens a migrated real store: a SQLite file in a temp dir,
// or (postgres) a fresh schema of the test PostgreSQL server that is
// dropped afterwards (storetest: skipped loudly without the server, a
// failure under CI=true).
func openTestStore(t testing.TB, postgres bool) store.Store {
	t.Helper()
	if postgres {
		return storetest.Open(t, store.Options{DataDir: t.TempDir(), DatabaseURL: storetest.PostgresURL(t)})
	}
	return storetest.OpenSQLite(t)
}

// bothBackends runs fn on SQLite and on PostgreSQL (the latter skipped
// loudly without GATEHOUSE_TEST_DATABASE_URL, a failure under CI=true).
func bothBackends(t *testing.T, fn func(t *testing.T, postgres bool)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, false) })
	t.Run("postgres", func(t *testing.T) { fn(t, true) })
}
