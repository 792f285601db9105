package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the statement cache. The package's queries are
// constant texts (a few dozen), so the bound is never reached in practice;
// it only keeps a future dynamically built query from growing the cache
// without limit (such a query then runs unprepared).
const maxCachedStmts = 512

// stmtKey is one query text on one pool.
type stmtKey struct {
	db    *sql.DB
	query string // as written in this package, with ? placeholders
}

// stmtCache holds one prepared *sql.Stmt per (pool, query text), so that
// SQLite does not compile, and PostgreSQL does not parse, a statement on
// every call. database/sql prepares a cached statement once per
// connection, lazily, and re-prepares it on a new connection by itself.
type stmtCache struct {
	d  *dialect
	mu sync.RWMutex
	m  map[stmtKey]*sql.Stmt
	// wanted are statements a transaction ran unprepared because they were
	// not cached yet; they are prepared once it has ended (prepareWanted).
	wanted map[stmtKey]bool
}

func newStmtCache(d *dialect) *stmtCache {
	return &stmtCache{d: d, m: make(map[stmtKey]*sql.Stmt), wanted: make(map[stmtKey]bool)}
}

// cached returns the statement for query on db if it is prepared, and
// otherwise notes it as wanted and returns nil. Transactions use it: a
// statement on the pool cannot be prepared while a transaction holds the
// pool's only connection (the SQLite writer) without deadlocking.
func (c *stmtCache) cached(db *sql.DB, query string) *sql.Stmt {
	if !c.d.prepare {
		return nil
	}
	k := stmtKey{db, query}
	c.mu.RLock()
	st, want := c.m[k], c.wanted[k]
	c.mu.RUnlock()
	if st == nil && !want {
		c.mu.Lock()
		if len(c.wanted) < maxCachedStmts {
			c.wanted[k] = true
		}
		c.mu.Unlock()
	}
	return st
}

// prepareWanted prepares the statements transactions asked for; the
// caller holds no connection of their pools.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.RLock()
	n := len(c.wanted)
	c.mu.RUnlock()
	if n == 0 {
		return
	}
	c.mu.Lock()
	keys := make([]stmtKey, 0, len(c.wanted))
	for k := range c.wanted {
		keys = append(keys, k)
	}
	clear(c.wanted)
	c.mu.Unlock()
	for _, k := range keys {
		c.get(ctx, k.db, k.query)
	}
}

// get returns the prepared statement for query on db, preparing it the
// first time; the caller must hold no connection of db. nil means "run
// it unprepared": preparing failed (the unprepared call then reports the
// same error the caller always saw) or the cache is full.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	if !c.d.prepare {
		return nil
	}
	k := stmtKey{db, query}
	c.mu.RLock()
	st, full := c.m[k], len(c.m) >= maxCachedStmts
	c.mu.RUnlock()
	if st != nil || full {
		return st
	}
	// Prepare without holding mu: preparing waits for a free connection,
	// and transactions holding connections need mu to look statements up.
	// The statement outlives the call that prepares it, so it must not be
	// tied to that call's context.
	st, err := db.PrepareContext(context.WithoutCancel(ctx), c.d.bind(query))
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[k]; prev != nil {
		st.Close() // another caller prepared it meanwhile
		return prev
	}
	c.m[k] = st
	return st
}

// close releases every cached statement (before the pools close).
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, st := range c.m {
		st.Close()
		delete(c.m, k)
	}
}

// pooled runs statements on a pool through the cache. Queries hold it
// as their r or w outside a transaction.
type pooled struct {
	db *sql.DB
	c  *stmtCache
}

// ExecContext runs a write statement on the pool.
func (p pooled) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.c.get(ctx, p.db, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, p.c.d.bind(query), args...)
}

// QueryContext runs a multi-row read on the pool.
func (p pooled) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.get(ctx, p.db, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, p.c.d.bind(query), args...)
}

// QueryRowContext runs a single-row read on the pool.
func (p pooled) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.get(ctx, p.db, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, p.c.d.bind(query), args...)
}

// inTx runs statements inside tx, through the cached statements of the
// pool tx was begun on (tx.StmtContext reuses the statement already
// prepared on the transaction's connection; the transaction-bound copies
// are released when it ends). A statement not cached yet runs unprepared
// this once and is prepared after the transaction.
type inTx struct {
	tx *sql.Tx
	db *sql.DB
	c  *stmtCache
}

// stmt is the cached statement bound to the transaction, or nil.
func (t inTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := t.c.cached(t.db, query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	return nil
}

// ExecContext runs a write statement in the transaction.
func (t inTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.c.d.bind(query), args...)
}

// QueryContext runs a multi-row read in the transaction.
func (t inTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.c.d.bind(query), args...)
}

// QueryRowContext runs a single-row read in the transaction.
func (t inTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.c.d.bind(query), args...)
}
