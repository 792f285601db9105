package store

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// defaultMaxConns is the PostgreSQL pool size when Options.MaxConns is 0.
const defaultMaxConns = 25

// openPostgres opens a pool on the URL. The same pool serves reads and
// writes: PostgreSQL handles concurrent writers itself, and uniqueness
// races surface as SQLSTATE 23505, which mapErr turns into ErrConflict.
func openPostgres(ctx context.Context, databaseURL string, maxConns int) (*sqlStore, error) {
	if maxConns <= 0 {
		maxConns = defaultMaxConns
	}
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		// The error may quote the URL's host, never its password: pgconn redacts it.
		return nil, fmt.Errorf("store: connect postgres: %w", err)
	}
	return newSQLStore(postgresDialect, db, db), nil
}
