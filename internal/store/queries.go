package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
)

// execer runs the package's queries, written with ? placeholders: pooled
// (a pool) or inTx (a transaction), both through the statement cache,
// which binds the placeholders for the backend.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements Queries. Outside a transaction r and w are the read
// and write pools and begin opens a transaction for multi-statement
// methods; inside one, r and w are the transaction and begin is nil.
// Either way statements go through the store's prepared-statement cache.
type queries struct {
	d     *dialect
	r, w  execer
	begin func(ctx context.Context, fn func(q *queries) error) error
}

var _ Queries = (*queries)(nil)

// atomic runs fn in a transaction: the current one, or a new one.
func (q *queries) atomic(ctx context.Context, fn func(q *queries) error) error {
	if q.begin == nil {
		return fn(q)
	}
	return q.begin(ctx, fn)
}

// exec runs a write statement.
func (q *queries) exec(ctx context.Context, query string, args ...any) error {
	_, err := q.w.ExecContext(ctx, query, args...)
	return mapErr(err)
}

// execN runs a write statement and returns the rows it affected.
func (q *queries) execN(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.w.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

// execOne runs a write statement that must hit a row (ErrNotFound if not).
func (q *queries) execOne(ctx context.Context, query string, args ...any) error {
	n, err := q.execN(ctx, query, args...)
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	return err
}

// row runs a single-row read.
func (q *queries) row(ctx context.Context, query string, args ...any) *sql.Row {
	return q.r.QueryRowContext(ctx, query, args...)
}

// rows runs a multi-row read.
func (q *queries) rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.r.QueryContext(ctx, query, args...)
}

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return mapErr(err)
}

// toDB stores a time as UTC Unix nanoseconds; the zero time is 0.
func toDB(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromDB is the inverse of toDB, in UTC.
func fromDB(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// stamp fills a zero creation time. The store is not a rule, so it may read
// the clock; callers with an injected clock set the time themselves.
func stamp(t *time.Time) {
	if t.IsZero() {
		*t = time.Now().UTC()
	} else {
		*t = t.UTC()
	}
}

// newID fills an empty ID with a random UUID.
func newID(id *string) {
	if *id == "" {
		*id = uuid.NewString()
	}
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// time0 returns t in UTC, or the current time when t is zero; updates use
// it so that a caller who did not set UpdatedAt still records a change.
func time0(t time.Time) time.Time {
	stamp(&t)
	return t
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = alias + p
	}
	return strings.Join(parts, ", ")
}

// dedupe returns s without repeated values, in first-seen order.
func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
