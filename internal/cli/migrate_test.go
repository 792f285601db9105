package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

func runCLI(environ []string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunEnv(args, strings.NewReader(""), &out, &errb, environ)
	return code, out.String(), errb.String()
}

// latestMigration is the highest migration number shipped for a backend
// (read from the source tree, so a new migration needs no test edit).
func latestMigration(t *testing.T, backend string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "store", "migrations", backend, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s migrations: %v", backend, err)
	}
	latest := 0
	for _, f := range files {
		n, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0])
		if err != nil {
			t.Fatalf("migration %s: %v", f, err)
		}
		latest = max(latest, n)
	}
	return strconv.Itoa(latest)
}

func TestMigrateSQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	environ := []string{"GATEHOUSE_DATA_DIR=" + dir}
	want := "schema version " + latestMigration(t, "sqlite") + " (sqlite)\n"
	code, out, errOut := runCLI(environ, "migrate")
	if code != ExitOK || out != want {
		t.Fatalf("migrate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, store.SQLiteFile)); err != nil {
		t.Fatalf("no database file: %v", err)
	}
	code, out, _ = runCLI(environ, "migrate")
	if code != ExitOK || out != want {
		t.Fatalf("second migrate: exit %d, stdout %q", code, out)
	}
}

func TestMigrateRejectsBadConfiguration(t *testing.T) {
	code, out, errOut := runCLI([]string{"GATEHOUSE_DATABASE_URL=mysql://root:pw@db/x", "GATEHOUSE_DATA_DIR=" + t.TempDir()}, "migrate")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "GATEHOUSE_DATABASE_URL") || strings.Contains(errOut, "pw@") {
		t.Fatalf("bad database URL: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, _ = runCLI([]string{"GATEHOUSE_DATA_DIR=" + t.TempDir()}, "migrate", "extra")
	if code != ExitUsage {
		t.Fatalf("stray argument: exit %d", code)
	}
	code, _, errOut = runCLI(nil, "migrate", "-h")
	if code != ExitOK || !strings.Contains(errOut, "Usage: gatehouse migrate") {
		t.Fatalf("-h: exit %d, stderr %q", code, errOut)
	}
}

func TestMigratePostgres(t *testing.T) {
	u := storetest.PostgresURL(t)
	code, out, errOut := runCLI([]string{"GATEHOUSE_DATABASE_URL=" + u}, "migrate")
	if code != ExitOK || out != "schema version "+latestMigration(t, "postgres")+" (postgres)\n" {
		t.Fatalf("migrate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestOpenStoreAppliesMigrationsAndConfig(t *testing.T) {
	dir := t.TempDir()
	var errb bytes.Buffer
	vars := map[string]string{"GATEHOUSE_DATA_DIR": dir, "GATEHOUSE_PUBLIC_URL": "https://sso.example.com/"}
	env := &Env{Getenv: func(k string) string { return vars[k] }, Stderr: &errb}
	st, cfg, err := openStore(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if cfg.PublicURL != "https://sso.example.com" || cfg.DataDir != dir || st.Backend() != "sqlite" {
		t.Fatalf("config %+v, backend %s", cfg, st.Backend())
	}
	if n, err := st.CountUsers(context.Background()); err != nil || n != 0 {
		t.Fatalf("fresh store: CountUsers = %d, %v", n, err)
	}
	vars["GATEHOUSE_SESSION_TTL"] = "soon"
	if _, _, err := openStore(context.Background(), env); err == nil || !strings.Contains(err.Error(), "GATEHOUSE_SESSION_TTL") {
		t.Fatalf("bad configuration: %v", err)
	}
}
