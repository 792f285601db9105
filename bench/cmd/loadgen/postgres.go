package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// pgSchema is a fresh PostgreSQL schema for one run, so that a run starts
// from an empty database and leaves nothing behind.
type pgSchema struct {
	baseURL string
	name    string
}

// newPGSchema creates a schema with a random name in the database at
// baseURL.
func newPGSchema(ctx context.Context, baseURL string) (*pgSchema, error) {
	// entra.NewID is "_" + a GUID: a valid identifier once the dashes go.
	name := "loadgen" + sanitize(entra.NewID())
	if err := pgExec(ctx, baseURL, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, err
	}
	return &pgSchema{baseURL: baseURL, name: name}, nil
}

// url is the connection URL that makes the schema the only one on the
// search path (pgx passes search_path as a run-time parameter).
func (s *pgSchema) url() (string, error) {
	u, err := url.Parse(s.baseURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", s.name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// drop removes the schema and everything in it.
func (s *pgSchema) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgExec(ctx, s.baseURL, "DROP SCHEMA "+pgx.Identifier{s.name}.Sanitize()+" CASCADE")
}

func pgExec(ctx context.Context, dbURL, sql string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("postgres: %s: %w", sql, err)
	}
	return nil
}

// sanitize keeps letters, digits and underscores.
func sanitize(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' {
			out = append(out, c)
		}
	}
	return string(out)
}
