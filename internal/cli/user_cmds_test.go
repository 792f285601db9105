package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// userCLIEnv is a fresh SQLite data directory as the environment.
func userCLIEnv(t *testing.T) []string {
	t.Helper()
	return []string{"GATEHOUSE_DATA_DIR=" + t.TempDir()}
}

// userCLIBackends runs fn with the environment of a fresh SQLite data
// directory and, when GATEHOUSE_TEST_DATABASE_URL is set, of a fresh
// PostgreSQL schema (skipped loudly otherwise; a failure under CI=true).
func userCLIBackends(t *testing.T, fn func(t *testing.T, environ []string, open func() store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, []string{"GATEHOUSE_DATA_DIR=" + dir}, func() store.Store {
			return storetest.Open(t, store.Options{DataDir: dir})
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dbURL := storetest.PostgresURL(t)
		fn(t, []string{"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_DATABASE_URL=" + dbURL}, func() store.Store {
			return storetest.Open(t, store.Options{DatabaseURL: dbURL})
		})
	})
}

// userCLIRun runs a command with stdin and returns its exit code and output.
func userCLIRun(environ []string, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := RunEnv(args, strings.NewReader(stdin), &out, &errb, environ)
	return code, out.String(), errb.String()
}

// userCLIShow runs "user show" and decodes its JSON.
func userCLIShow(t *testing.T, environ []string, email string) userView {
	t.Helper()
	code, out, errOut := userCLIRun(environ, "", "user", "show", "--email", email, "--workspace", "acme")
	if code != ExitOK {
		t.Fatalf("user show %s: exit %d: %s", email, code, errOut)
	}
	var v userView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("user show output is not JSON: %v\n%s", err, out)
	}
	return v
}

func TestUserCommandsJourney(t *testing.T) {
	userCLIBackends(t, testUserCommandsJourney)
}

func testUserCommandsJourney(t *testing.T, env []string, open func() store.Store) {
	steps := [][]string{
		{"workspace", "create", "--name", "Acme Corp", "--slug", "acme"},
		{"group", "create", "--workspace", "acme", "--name", "Engineering", "--can-edit"},
		{"group", "create", "--workspace", "acme", "--name", "Sales"},
		{"user", "create", "--email", "Ada@Example.com", "--workspace", "acme", "--role", "Admin", "--name", "Ada L"},
		{"user", "create", "--email", "bob@example.com", "--workspace", "acme", "--role", "builder"},
	}
	for _, args := range steps {
		if code, _, errOut := userCLIRun(env, "", args...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	v := userCLIShow(t, env, "ada@example.com")
	if v.Email != "ada@example.com" || v.Name != "Ada L" || v.Status != "active" || v.Role != "admin" || len(v.Groups) != 0 || v.HasPassword {
		t.Errorf("ada: %+v", v)
	}
	// Password from stdin, super admin; the password then works.
	code, _, errOut := userCLIRun(env, "correct horse battery\n", "user", "create", "--email", "root@example.com",
		"--workspace", "acme", "--role", "end-user", "--password-stdin", "--super-admin")
	if code != ExitOK {
		t.Fatalf("user create with password: exit %d: %s", code, errOut)
	}
	if v := userCLIShow(t, env, "root@example.com"); !v.SuperAdmin || !v.HasPassword || v.Role != "end-user" {
		t.Errorf("root: %+v", v)
	}
	st := open()
	ctx := context.Background()
	u, _ := st.GetUserByEmail(ctx, "root@example.com")
	if err := workspace.VerifyPassword(u.PasswordHash, "correct horse battery"); err != nil {
		t.Errorf("stored password does not verify: %v", err)
	}
	ws, _ := st.GetWorkspaceBySlug(ctx, "acme")
	groups, _ := st.ListGroups(ctx, ws.ID)
	if len(groups) != 2 || groups[0].Name != "Engineering" || !groups[0].CanEditApps || groups[1].CanEditApps {
		t.Errorf("groups: %+v", groups)
	}

	// Archive in the workspace, then instance-wide.
	if code, out, errOut := userCLIRun(env, "", "user", "archive", "--email", "bob@example.com", "--workspace", "acme"); code != ExitOK || !strings.Contains(out, "in workspace acme") {
		t.Fatalf("archive: exit %d: %s%s", code, out, errOut)
	}
	if v := userCLIShow(t, env, "bob@example.com"); v.Status != "archived" || v.ArchivedInstance {
		t.Errorf("bob after workspace archive: %+v", v)
	}
	if code, out, _ := userCLIRun(env, "", "user", "archive", "--email", "root@example.com"); code != ExitOK || !strings.Contains(out, "instance-wide") {
		t.Fatalf("instance archive: exit %d: %s", code, out)
	}
	if v := userCLIShow(t, env, "root@example.com"); v.Status != "archived" || !v.ArchivedInstance {
		t.Errorf("root after instance archive: %+v", v)
	}
}

func TestUserCommandsRefusals(t *testing.T) {
	env := userCLIEnv(t)
	if code, _, errOut := userCLIRun(env, "", "workspace", "create", "--name", "Acme", "--slug", "acme"); code != ExitOK {
		t.Fatalf("setup: %s", errOut)
	}
	userCLIRun(env, "", "user", "create", "--email", "ada@example.com", "--workspace", "acme", "--role", "admin")
	cases := []struct {
		args    []string
		stdin   string
		code    int
		message string
	}{
		{[]string{"workspace", "create", "--name", "Again", "--slug", "acme"}, "", ExitRejected, "already exists"},
		{[]string{"workspace", "create", "--name", "Bad", "--slug", "Bad_Slug"}, "", ExitRejected, "Slug"},
		{[]string{"group", "create", "--workspace", "acme", "--name", "Admin"}, "", ExitRejected, "role name"},
		{[]string{"user", "create", "--email", "ada@example.com", "--workspace", "acme", "--role", "builder"}, "", ExitRejected, "already a member"},
		{[]string{"user", "create", "--email", "x@example.com", "--workspace", "acme", "--role", "end-user", "--password-stdin"}, "short\n", ExitRejected, "at least 8"},
		{[]string{"user", "archive", "--email", "ada@example.com", "--workspace", "acme"}, "", ExitRejected, "last active admin"},
		{[]string{"user", "show", "--email", "nobody@example.com", "--workspace", "acme"}, "", ExitRejected, "no user"},
	}
	for _, c := range cases {
		code, _, errOut := userCLIRun(env, c.stdin, c.args...)
		if code != c.code || !strings.Contains(errOut, c.message) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errOut, c.code, c.message)
		}
	}
}

func TestUserCommandsUsage(t *testing.T) {
	env := userCLIEnv(t)
	userCLIRun(env, "", "workspace", "create", "--name", "Acme", "--slug", "acme")
	cases := []struct {
		args    []string
		message string
	}{
		{[]string{"workspace", "create", "--name", "X"}, "--slug is required"},
		{[]string{"workspace", "create", "--slug", "x"}, "--name is required"},
		{[]string{"workspace", "create", "--name", "X", "--slug", "x", "extra"}, "unexpected argument"},
		{[]string{"workspace", "create", "--bogus"}, "flag provided but not defined"},
		{[]string{"user", "create", "--email", "a@example.com", "--workspace", "acme"}, "--role is required"},
		{[]string{"user", "create", "--email", "a@example.com", "--workspace", "acme", "--role", "owner"}, "want admin, builder or end-user"},
		{[]string{"user", "create", "--email", "a@example.com", "--workspace", "nope", "--role", "admin"}, `no workspace with slug "nope"`},
		{[]string{"user", "create", "--email", "a@example.com", "--workspace", "acme", "--role", "admin", "--password-stdin"}, "standard input is empty"},
		{[]string{"user", "archive"}, "--email is required"},
		{[]string{"user", "archive", "--email", "nobody@example.com"}, "no user"},
		{[]string{"user", "show", "--email", "a@example.com"}, "--workspace is required"},
		{[]string{"user", "show", "--email", "a@example.com", "--workspace", "nope"}, "no workspace"},
		{[]string{"group", "create", "--workspace", "acme"}, "--name is required"},
		{[]string{"group", "create", "--workspace", "nope", "--name", "Sales"}, "no workspace"},
	}
	for _, c := range cases {
		code, _, errOut := userCLIRun(env, "", c.args...)
		if code != ExitUsage || !strings.Contains(errOut, c.message) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args, code, errOut, c.message)
		}
	}
}

func TestReadPasswordLine(t *testing.T) {
	for in, want := range map[string]string{"pw with spaces \n": "pw with spaces ", "crlf-pass\r\nnext": "crlf-pass", "no-newline": "no-newline"} {
		got, err := readPasswordLine(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("readPasswordLine(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "\n"} {
		if _, err := readPasswordLine(strings.NewReader(in)); err == nil {
			t.Errorf("readPasswordLine(%q): want an error", in)
		}
	}
}
