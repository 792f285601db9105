package store_test

import (
	"context"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// openSQLiteDir opens (and migrates) the SQLite store in dir.
func openSQLiteDir(t *testing.T, dir string) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{DataDir: dir, Migrate: true})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSQLiteConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openSQLiteDir(t, t.TempDir()) })
}

// TestSQLiteReplayTwoHandles races two handles (two writer connections,
// as two processes would have) on one file.
func TestSQLiteReplayTwoHandles(t *testing.T) {
	dir := t.TempDir()
	storetest.ConcurrentReplay(t, openSQLiteDir(t, dir), openSQLiteDir(t, dir))
}

// TestSQLiteFirstLoginTwoHandles races read-then-write transactions from
// two handles on one file: without BEGIN IMMEDIATE they would fail with
// SQLITE_BUSY on the lock upgrade.
func TestSQLiteFirstLoginTwoHandles(t *testing.T) {
	dir := t.TempDir()
	a, b := openSQLiteDir(t, dir), openSQLiteDir(t, dir)
	for range 10 {
		storetest.ConcurrentFirstLogin(t, a, b)
	}
}
