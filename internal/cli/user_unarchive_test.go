package cli

import (
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestUserUnarchive: "user unarchive" undoes both kinds of archiving, and
// the way back works for an admin who was locked out.
func TestUserUnarchive(t *testing.T) {
	userCLIBackends(t, func(t *testing.T, env []string, _ func() store.Store) {
		for _, args := range [][]string{
			{"workspace", "create", "--name", "Acme", "--slug", "acme"},
			{"user", "create", "--email", "ada@example.com", "--workspace", "acme", "--role", "admin"},
			{"user", "create", "--email", "bob@example.com", "--workspace", "acme", "--role", "admin"},
			{"user", "archive", "--email", "bob@example.com", "--workspace", "acme"},
			{"user", "archive", "--email", "ada@example.com"},
		} {
			if code, _, errOut := userCLIRun(env, "", args...); code != ExitOK {
				t.Fatalf("%v: exit %d: %s", args, code, errOut)
			}
		}
		if code, out, errOut := userCLIRun(env, "", "user", "unarchive", "--email", "bob@example.com", "--workspace", "acme"); code != ExitOK || !strings.Contains(out, "unarchived bob@example.com in workspace acme") {
			t.Fatalf("unarchive in workspace: exit %d: %s%s", code, out, errOut)
		}
		if v := userCLIShow(t, env, "bob@example.com"); v.Status != "active" || v.Role != "admin" {
			t.Errorf("bob after unarchive: %+v", v)
		}
		if code, out, errOut := userCLIRun(env, "", "user", "unarchive", "--email", "ADA@example.com"); code != ExitOK || !strings.Contains(out, "instance-wide") {
			t.Fatalf("unarchive instance-wide: exit %d: %s%s", code, out, errOut)
		}
		if v := userCLIShow(t, env, "ada@example.com"); v.Status != "active" || v.ArchivedInstance {
			t.Errorf("ada after unarchive: %+v", v)
		}
		for _, bad := range [][]string{
			{"user", "unarchive"},
			{"user", "unarchive", "--email", "nobody@example.com"},
			{"user", "unarchive", "--email", "ada@example.com", "--workspace", "nope"},
		} {
			if code, _, _ := userCLIRun(env, "", bad...); code != ExitUsage {
				t.Errorf("%v: exit %d, want %d", bad, code, ExitUsage)
			}
		}
	})
}
