package cli

import (
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestSiteCommands(t *testing.T) {
	userCLIBackends(t, func(t *testing.T, env []string, _ func() store.Store) {
		run := func(want int, args ...string) string {
			t.Helper()
			code, out, errOut := userCLIRun(env, "", args...)
			if code != want {
				t.Fatalf("%v: exit %d, want %d: %s%s", args, code, want, out, errOut)
			}
			return out + errOut
		}
		run(ExitOK, "workspace", "create", "--name", "Acme", "--slug", "acme")
		if out := run(ExitOK, "site", "add", "--workspace", "acme", "--url", "https://Dash.Example.com/"); !strings.Contains(out, "https://dash.example.com") {
			t.Fatalf("add: %s", out)
		}
		run(ExitOK, "site", "add", "--workspace", "acme", "--url", "http://127.0.0.1:8081")
		run(ExitRejected, "site", "add", "--workspace", "acme", "--url", "https://dash.example.com:443")
		run(ExitRejected, "site", "add", "--workspace", "acme", "--url", "https://user@evil.example.net")
		run(ExitRejected, "site", "add", "--workspace", "acme", "--url", "https://dash.example.com/app")
		run(ExitUsage, "site", "add", "--workspace", "nope", "--url", "https://dash.example.com")
		run(ExitUsage, "site", "add", "--workspace", "acme")
		out := run(ExitOK, "site", "list", "--workspace", "acme")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "http://127.0.0.1:8081\t") || !strings.HasPrefix(lines[1], "https://dash.example.com\t") {
			t.Fatalf("list:\n%s", out)
		}
		run(ExitOK, "site", "remove", "--workspace", "acme", "--url", "https://dash.example.com")
		run(ExitRejected, "site", "remove", "--workspace", "acme", "--url", "https://dash.example.com")
		if out := run(ExitOK, "site", "list", "--workspace", "acme"); strings.Contains(out, "dash.example.com") {
			t.Fatalf("after remove:\n%s", out)
		}
	})
}
