package store

import (
	"context"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// TestPoolSizes checks the pool limits each backend is opened with: the
// SQLite writer must be exactly one connection (the design relies on it),
// and PostgreSQL honours Options.MaxConns.
func TestPoolSizes(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, Options{DataDir: t.TempDir(), MaxConns: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*sqlStore)
	if got := s.w.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("SQLite writer pool allows %d connections, want 1", got)
	}
	if got := s.r.Stats().MaxOpenConnections; got < 4 {
		t.Errorf("SQLite reader pool allows %d connections, want at least 4", got)
	}

	u := testenv.DatabaseURL(t) // the PostgreSQL half
	for maxConns, want := range map[int]int{0: defaultMaxConns, 3: 3} {
		pg, err := Open(ctx, Options{DatabaseURL: u, MaxConns: maxConns})
		if err != nil {
			t.Fatal(err)
		}
		if got := pg.(*sqlStore).w.Stats().MaxOpenConnections; got != want {
			t.Errorf("MaxConns %d: PostgreSQL pool allows %d connections, want %d", maxConns, got, want)
		}
		pg.Close()
	}
}
