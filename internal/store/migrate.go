package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds the schema, one directory per dialect: the types
// differ (BOOLEAN, BYTEA, identity columns) even where the tables do not.
//
//go:embed migrations
var migrations embed.FS

// migrate applies pending migrations and returns the resulting version.
func (s *sqlStore) migrate(ctx context.Context, log *slog.Logger) (int64, error) {
	dir, err := fs.Sub(migrations, "migrations/"+s.d.name)
	if err != nil {
		return 0, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithSlog(log)}
	gd := goose.DialectSQLite3
	if s.d == postgresDialect {
		gd = goose.DialectPostgres
		locker, err := s.postgresLocker(ctx)
		if err != nil {
			return 0, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, s.w, dir, opts...)
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		log.Info("applied migration", "version", r.Source.Version, "duration", r.Duration)
	}
	return p.GetDBVersion(ctx)
}

// postgresLocker serialises migrations of replicas that start together.
// The advisory lock ID is derived from the database and schema, so that
// separate schemas (tests, or tenants of one server) do not wait for
// each other.
func (s *sqlStore) postgresLocker(ctx context.Context) (lock.SessionLocker, error) {
	var db, schema string
	if err := s.w.QueryRowContext(ctx, `SELECT current_database(), current_schema()`).Scan(&db, &schema); err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("gatehouse-migrate\x00" + db + "\x00" + schema))
	return lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 300))
}
