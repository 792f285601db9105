package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func init() {
	register("migrate", "apply database migrations and print the schema version", runMigrate)
}

// runMigrate is `gatehouse migrate`: it brings the configured database
// (SQLite in GATEHOUSE_DATA_DIR, or GATEHOUSE_DATABASE_URL) up to date
// and prints "schema version N (backend)". Running it twice is harmless.
func runMigrate(env *Env) int {
	fs := flag.NewFlagSet("gatehouse migrate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: gatehouse migrate\n\nApplies pending schema migrations to the database that GATEHOUSE_DATA_DIR /\nGATEHOUSE_DATABASE_URL select (see gatehouse serve -h) and prints the schema version.")
	}
	if err := fs.Parse(env.Args); err != nil {
		if err == flag.ErrHelp {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "gatehouse migrate: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	cfg, err := config.Load(env.Getenv, nil)
	if err != nil {
		return exitUsage(env, "gatehouse migrate", err)
	}
	// Applied migrations are worth seeing here, unlike in other commands.
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	version, err := store.Migrate(context.Background(), storeOptions(cfg, log))
	if err != nil {
		fmt.Fprintln(env.Stderr, "gatehouse migrate:", err)
		return ExitRejected
	}
	fmt.Fprintf(env.Stdout, "schema version %d (%s)\n", version, backendName(cfg))
	return ExitOK
}

// backendName names the backend the configuration selects.
func backendName(cfg *config.Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}
