package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// sqlStore implements Store over database/sql for both backends. Reads go
// to r and writes to w: for PostgreSQL both are the same pool; for SQLite
// w is a single connection (SQLite allows one writer at a time, so queueing
// writers in Go is cheaper than retrying on SQLITE_BUSY) and r is a pool of
// read-only connections that WAL lets run beside the writer.
type sqlStore struct {
	*queries
	r, w  *sql.DB
	stmts *stmtCache
}

var _ Store = (*sqlStore)(nil)

func newSQLStore(d *dialect, r, w *sql.DB) *sqlStore {
	s := &sqlStore{r: r, w: w, stmts: newStmtCache(d)}
	s.queries = &queries{d: d, r: pooled{r, s.stmts}, w: pooled{w, s.stmts}, begin: s.inTx}
	return s
}

// Backend reports "sqlite" or "postgres".
func (s *sqlStore) Backend() string { return s.d.name }

// Ping checks both pools can reach the database.
func (s *sqlStore) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return err
	}
	return s.r.PingContext(ctx)
}

// Close releases the prepared statements and both pools.
func (s *sqlStore) Close() error {
	s.stmts.close()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// InTx runs fn in one write transaction. On SQLite the writer is a single
// connection, so fn must use only the Queries it is given: calling the
// Store itself from inside fn would wait for the connection fn holds.
func (s *sqlStore) InTx(ctx context.Context, fn func(q Queries) error) error {
	return s.inTx(ctx, func(q *queries) error { return fn(q) })
}

// inTx commits when fn returns nil and rolls back on an error or a panic
// (which it re-raises), so a failed login or save leaves nothing behind.
func (s *sqlStore) inTx(ctx context.Context, fn func(q *queries) error) (err error) {
	// Deferred first, so it runs after the rollback: the connection is free.
	defer s.stmts.prepareWanted(ctx)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	in := inTx{tx: tx, db: s.w, c: s.stmts}
	if err := fn(&queries{d: s.d, r: in, w: in}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapErr(fmt.Errorf("store: commit: %w", err))
	}
	committed = true
	return nil
}

// cleanupBatch bounds the rows one cleanup statement touches, so that on
// SQLite the single writer is never held for long while logins queue.
const cleanupBatch = 1000

// DeleteExpired removes expired outstanding requests, replay entries and
// sessions, and blanks the redacted SAML responses of audit events older
// than retention together with those events' messages, which may quote the
// response (the events themselves, reason codes and trace IDs are kept). It works in batches of
// separate statements: the sweep need not be atomic, since every read
// ignores expired rows anyway.
func (s *sqlStore) DeleteExpired(ctx context.Context, now time.Time, retention time.Duration) (int64, error) {
	at := toDB(now)
	steps := []struct {
		query string
		arg   int64
	}{
		{`DELETE FROM saml_requests WHERE (config_id, id) IN
			(SELECT config_id, id FROM saml_requests WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM assertion_replay WHERE assertion_id IN
			(SELECT assertion_id FROM assertion_replay WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM sessions WHERE token_hash IN
			(SELECT token_hash FROM sessions WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM user_links WHERE token_hash IN
			(SELECT token_hash FROM user_links WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM oidc_auth_requests WHERE id IN
			(SELECT id FROM oidc_auth_requests WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM oidc_refresh_tokens WHERE token_hash IN
			(SELECT token_hash FROM oidc_refresh_tokens WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM oidc_logout_grants WHERE (client_id, session_id) IN
			(SELECT client_id, session_id FROM oidc_logout_grants WHERE expires_at <= ? LIMIT ?)`, at},
		{`DELETE FROM oidc_signing_keys WHERE id IN
			(SELECT id FROM oidc_signing_keys WHERE retire_at <> 0 AND retire_at <= ? LIMIT ?)`, at},
		// A failed SAML sign-in's message may quote the response too (the
		// IdP's unsigned status message): retention clears both copies.
		{`UPDATE audit_events SET redacted_response = '', message = '(removed with the response after the retention period)' WHERE id IN
			(SELECT id FROM audit_events WHERE created_at < ? AND redacted_response <> '' LIMIT ?)`, toDB(now.Add(-retention))},
	}
	var total int64
	for _, st := range steps {
		for {
			n, err := s.execN(ctx, st.query, st.arg, cleanupBatch)
			if err != nil {
				return total, err
			}
			total += n
			if n < cleanupBatch {
				break
			}
		}
	}
	return total, nil
}
