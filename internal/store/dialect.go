package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect isolates the few differences between the backends: queries are
// written once with ? placeholders and rebound for PostgreSQL, and each
// driver reports constraint violations with its own error type.
type dialect struct {
	name string // "sqlite" or "postgres"
	// dollar placeholders ($1, $2, ...) instead of ?.
	dollar bool
	// prepare: keep prepared statements in the store's cache. SQLite
	// compiles every unprepared statement anew; pgx already keeps a
	// per-connection cache of prepared statements, and preparing through
	// database/sql on top of it measured slower (stmtCache).
	prepare bool
}

var (
	sqliteDialect   = &dialect{name: "sqlite", prepare: true}
	postgresDialect = &dialect{name: "postgres", dollar: true}
)

// bind rewrites ? placeholders for the backend. Queries in this package
// never contain a literal question mark, so a plain scan is exact.
func (d *dialect) bind(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// mapErr translates constraint violations into the package's sentinel
// errors: a uniqueness violation is ErrConflict; a missing parent row
// (foreign key) is ErrNotFound. Other errors pass through unchanged.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return errors.Join(ErrConflict, err)
		case "23503":
			return errors.Join(ErrNotFound, err)
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errors.Join(ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errors.Join(ErrNotFound, err)
		}
	}
	return err
}
