package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// cachedCount is how many prepared statements the store holds.
func cachedCount(s *sqlStore) int {
	s.stmts.mu.RLock()
	defer s.stmts.mu.RUnlock()
	return len(s.stmts.m)
}

// TestStmtCacheSQLite: statements are prepared once (outside a
// transaction at first use, inside one after the transaction that first
// ran them), a transaction then reuses them on the single writer
// connection without waiting for itself, and a statement that cannot be
// prepared runs unprepared with the error the caller always got.
func TestStmtCacheSQLite(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, Options{DataDir: t.TempDir(), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := st.(*sqlStore)
	before := cachedCount(s)
	if _, err := s.GetUserByEmail(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing user: %v", err)
	}
	if cachedCount(s) != before+1 {
		t.Fatalf("pool read not cached: %d -> %d", before, cachedCount(s))
	}
	login := func() error {
		return s.InTx(ctx, func(q Queries) error {
			u := &User{Email: "u" + time.Now().Format("150405.000000000") + "@example.com"}
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
			_, err := q.GetUserByEmail(ctx, u.Email) // on the writer, inside the transaction
			return err
		})
	}
	if err := login(); err != nil {
		t.Fatal(err)
	}
	afterFirst := cachedCount(s)
	if afterFirst < before+2 {
		t.Fatalf("statements of the transaction not prepared after it: %d -> %d", before, afterFirst)
	}
	for range 3 {
		if err := login(); err != nil {
			t.Fatal(err)
		}
	}
	if cachedCount(s) != afterFirst {
		t.Errorf("the same statements were prepared again: %d -> %d", afterFirst, cachedCount(s))
	}
	// A broken statement: the unprepared fallback reports the driver error.
	err = s.queries.exec(ctx, `UPDATE no_such_table SET x = ?`, 1)
	if err == nil {
		t.Fatal("statement on a missing table succeeded")
	}
	if n := cachedCount(s); n != afterFirst {
		t.Errorf("a failed prepare was cached: %d -> %d", afterFirst, n)
	}
}
