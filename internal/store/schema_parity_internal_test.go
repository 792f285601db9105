package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// columns lists "table.column" for every application table.
func columns(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(table, "goose_") {
			out = append(out, table+"."+col)
		}
	}
	slices.Sort(out)
	return out
}

// TestSchemaParity keeps the two migration directories in step: the
// same tables with the same columns on both backends.
func TestSchemaParity(t *testing.T) {
	base := testenv.DatabaseURL(t) // skipped: schema parity NOT checked
	ctx := context.Background()
	lite, err := Open(ctx, Options{DataDir: t.TempDir(), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	liteCols := columns(t, lite.(*sqlStore).r, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)

	schema := fmt.Sprintf("gatehouse_parity_%d", time.Now().UnixNano())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	pg, err := Open(ctx, Options{DatabaseURL: u.String(), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	pgCols := columns(t, pg.(*sqlStore).r, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()`)

	if len(liteCols) < 50 {
		t.Fatalf("only %d SQLite columns found: the query is wrong", len(liteCols))
	}
	if !slices.Equal(liteCols, pgCols) {
		t.Fatalf("schemas differ:\nsqlite:   %v\npostgres: %v", liteCols, pgCols)
	}
}
