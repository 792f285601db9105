package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Options selects and configures the database.
type Options struct {
	// DatabaseURL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite file gatehouse.db (created if missing).
	DataDir string
	// Migrate applies pending migrations before returning.
	Migrate bool
	// Logger receives migration progress; nil discards it.
	Logger *slog.Logger
	// MaxConns caps this process's PostgreSQL connections (0 = 25); size it
	// so that replicas x MaxConns stays under the server's max_connections.
	// SQLite ignores it: one writer and a small reader pool suit it best.
	MaxConns int
	// ConnectTimeout bounds connecting and the first query (a ping); 0
	// means no bound beyond ctx. A host that accepts the connection and
	// never answers would otherwise block Open for ever.
	ConnectTimeout time.Duration
}

// ErrConnectTimeout is returned (wrapped) when the database did not
// answer within Options.ConnectTimeout.
var ErrConnectTimeout = errors.New("store: the database did not answer in time")

// SQLiteFile is the name of the SQLite database file inside DataDir.
const SQLiteFile = "gatehouse.db"

// Open connects to the configured backend and, when opts.Migrate is set,
// brings its schema up to date.
func Open(ctx context.Context, opts Options) (Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := connect(ctx, opts)
	if err != nil {
		return nil, err
	}
	if opts.Migrate {
		if _, err := s.migrate(ctx, opts.Logger); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Migrate opens the database, applies pending migrations and returns the
// schema version now in place.
func Migrate(ctx context.Context, opts Options) (int64, error) {
	opts.Migrate = false
	st, err := Open(ctx, opts)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return st.(*sqlStore).migrate(ctx, opts.Logger)
}

// connect opens the backend and pings it, within opts.ConnectTimeout.
func connect(ctx context.Context, opts Options) (*sqlStore, error) {
	cctx := ctx
	if opts.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(ctx, opts.ConnectTimeout)
		defer cancel()
	}
	var (
		s   *sqlStore
		err error
	)
	switch {
	case isPostgresURL(opts.DatabaseURL):
		s, err = openPostgres(cctx, opts.DatabaseURL, opts.MaxConns)
	case opts.DatabaseURL == "":
		s, err = openSQLite(cctx, opts.DataDir)
	default:
		// Reject by default: a typo must not silently fall back to SQLite.
		return nil, errors.New("store: GATEHOUSE_DATABASE_URL must start with postgres:// or postgresql:// (or be empty for SQLite)")
	}
	if err != nil && cctx.Err() != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("%w: no answer to connecting and a first query within %s: %w", ErrConnectTimeout, opts.ConnectTimeout, err)
	}
	return s, err
}

func isPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}
