package cli

import (
	"context"
	"log/slog"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// openStore is how every admin command reaches the database: the same
// configuration as `gatehouse serve` (GATEHOUSE_DATA_DIR,
// GATEHOUSE_DATABASE_URL, ...), with migrations applied so that a command
// run before the first serve works on a fresh data directory.
func openStore(ctx context.Context, env *Env) (store.Store, *config.Config, error) {
	cfg, err := config.Load(env.Getenv, nil)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, storeOptions(cfg, cliLogger(env)))
	if err != nil {
		return nil, nil, err
	}
	return st, cfg, nil
}

// storeOptions maps the configuration to store.Options (migrations on),
// the one place serve, migrate and the admin commands share.
func storeOptions(cfg *config.Config, log *slog.Logger) store.Options {
	return store.Options{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxConns: cfg.DatabaseMaxConns,
		ConnectTimeout: cfg.DatabaseConnectTimeout, Migrate: true, Logger: log}
}

// cliLogger keeps admin commands quiet: only warnings reach stderr, so
// their stdout stays machine-readable.
func cliLogger(env *Env) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
