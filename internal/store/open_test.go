package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestOpenRejectsUnknownDatabaseURL(t *testing.T) {
	for _, u := range []string{"mysql://x", "sqlite:///tmp/x.db", "postgres:/missing-slash"} {
		if s, err := store.Open(context.Background(), store.Options{DatabaseURL: u, DataDir: t.TempDir()}); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", u)
		}
	}
}

func TestSQLiteFileAndMigrate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	v, err := store.Migrate(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("schema version after migrate = %d", v)
	}
	if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	again, err := store.Migrate(context.Background(), store.Options{DataDir: dir})
	if err != nil || again != v {
		t.Fatalf("second migrate: version %d, %v; want %d (idempotent)", again, err, v)
	}
	s := openSQLiteDir(t, dir)
	if s.Backend() != "sqlite" {
		t.Fatalf("Backend() = %q", s.Backend())
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteWithoutMigrationsHasNoTables(t *testing.T) {
	s, err := store.Open(context.Background(), store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CountUsers(context.Background()); err == nil {
		t.Fatal("CountUsers worked on an unmigrated database: Open must not migrate unless asked")
	}
}

// cancelAfterCleanup stops RunCleanup after its first DeleteExpired call.
type cancelAfterCleanup struct {
	store.Store
	cancel context.CancelFunc
	calls  int
	at     time.Time
}

func (c *cancelAfterCleanup) DeleteExpired(ctx context.Context, now time.Time, retention time.Duration) (int64, error) {
	c.calls++
	c.at = now
	defer c.cancel()
	return c.Store.DeleteExpired(ctx, now, retention)
}

func TestRunCleanup(t *testing.T) {
	s := openSQLiteDir(t, t.TempDir())
	ctx := context.Background()
	u := &store.User{Email: "a@example.com"}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if err := s.CreateSession(ctx, &store.Session{TokenHash: []byte("old"), UserID: u.ID, ExpiresAt: now.Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	wrapped := &cancelAfterCleanup{Store: s, cancel: cancel}
	// Returns once the context ends; the first sweep runs at once.
	store.RunCleanup(rctx, wrapped, time.Hour, time.Hour, func() time.Time { return now }, nil)
	if wrapped.calls != 1 || !wrapped.at.Equal(now) {
		t.Fatalf("DeleteExpired called %d times at %v; want once at the injected now", wrapped.calls, wrapped.at)
	}
	if _, err := s.GetSession(ctx, []byte("old"), now.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session survived the sweep: %v", err)
	}
}

func TestSQLiteFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	s := openSQLiteDir(t, dir)
	if err := s.CreateUser(context.Background(), &store.User{Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{store.SQLiteFile, store.SQLiteFile + "-wal", store.SQLiteFile + "-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: readable by others", name, fi.Mode().Perm())
		}
	}
	if _, err := store.Open(context.Background(), store.Options{DataDir: filepath.Join(dir, "x?mode=ro")}); err == nil {
		t.Error("a data dir with '?' was accepted")
	}
}
