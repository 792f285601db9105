// Package testenv holds the one rule Gatehouse's tests follow when
// something they need is not on the machine (PostgreSQL, SimpleSAMLphp,
// Chromium): locally the test is skipped with a loud message, under
// CI=true it fails, because a CI run that silently skipped a suite proves
// nothing.
//
// It imports only the standard library, so every package's tests may use
// it, including package store's internal tests, which cannot import
// storetest.
package testenv

import (
	"os"
	"testing"
)

// EnvDatabaseURL names the PostgreSQL server the tests may use, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvDatabaseURL = "GATEHOUSE_TEST_DATABASE_URL"

// InCI reports whether the tests run under CI (CI=true), where every
// dependency must be present.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing stops t because what it needs is missing: why says what and how
// to provide it. It fails under CI and skips loudly elsewhere.
func Missing(t testing.TB, why string) {
	t.Helper()
	missing(t, why, why)
}

// missing is Missing with the reason the end-of-package summary lists
// (one line per distinct summary, see report.go).
func missing(t testing.TB, why, summary string) {
	t.Helper()
	if InCI() {
		t.Fatal("missing under CI=true: " + why)
	}
	noteSkip(summary)
	t.Skip("SKIPPED LOUDLY: " + why)
}

// DatabaseURL returns $GATEHOUSE_TEST_DATABASE_URL, or stops t through
// Missing when it is unset. Most tests want a schema of their own:
// storetest.PostgresURL and storetest.OpenPostgres build on this.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvDatabaseURL)
	if u == "" {
		missing(t, EnvDatabaseURL+" is not set: the PostgreSQL test "+t.Name()+" did NOT run "+
			"(e.g. "+EnvDatabaseURL+"=postgres://postgres@127.0.0.1:5432/test?sslmode=disable)",
			"the PostgreSQL tests did NOT run: "+EnvDatabaseURL+" is not set; to run them: export "+
				EnvDatabaseURL+"=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	return u
}
