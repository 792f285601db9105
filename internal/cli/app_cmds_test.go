package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

var (
	clientIDLine     = regexp.MustCompile(`(?m)^client_id: ([0-9a-f]{32})$`)
	clientSecretLine = regexp.MustCompile(`(?m)^client_secret: (\S{43})$`)
)

func TestAppCommands(t *testing.T) {
	userCLIBackends(t, func(t *testing.T, env []string, open func() store.Store) {
		for _, args := range [][]string{
			{"workspace", "create", "--name", "Acme Corp", "--slug", "acme"},
			{"group", "create", "--workspace", "acme", "--name", "eng"},
		} {
			if code, _, errOut := userCLIRun(env, "", args...); code != ExitOK {
				t.Fatalf("%v: exit %d: %s", args, code, errOut)
			}
		}
		code, out, errOut := userCLIRun(env, "", "app", "create", "--workspace", "acme", "--name", "Grafana",
			"--redirect-uri", "https://grafana.example.com/login/generic_oauth", "--redirect-uri", "http://127.0.0.1:3000/cb",
			"--allowed-groups", "eng", "--min-role", "builder")
		if code != ExitOK {
			t.Fatalf("app create: exit %d: %s", code, errOut)
		}
		id, secret := clientIDLine.FindStringSubmatch(out), clientSecretLine.FindStringSubmatch(out)
		if id == nil || secret == nil {
			t.Fatalf("app create output lacks client_id/client_secret:\n%s", out)
		}
		st := open()
		c, err := st.GetOIDCClient(context.Background(), mustWorkspaceID(t, st, "acme"), id[1])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(secret[1]))
		if !bytes.Equal(c.SecretHash, sum[:]) || strings.Contains(string(c.SecretHash), secret[1]) {
			t.Error("the secret is not stored as its SHA-256")
		}
		if len(c.RedirectURIs) != 2 || c.MinRole != "builder" || len(c.AllowedGroups) != 1 || c.Public {
			t.Errorf("stored app = %+v", c)
		}
		// Public: no secret printed.
		code, out, _ = userCLIRun(env, "", "app", "create", "--workspace", "acme", "--name", "SPA", "--public",
			"--redirect-uri", "https://spa.example.com/cb")
		if code != ExitOK || clientSecretLine.MatchString(out) || !clientIDLine.MatchString(out) {
			t.Fatalf("public app create: exit %d:\n%s", code, out)
		}
		// Refused input changes nothing.
		for _, args := range [][]string{
			{"--redirect-uri", "http://app.example.com/cb"}, // http off loopback
			{"--redirect-uri", "https://app.example.com/cb#x"},
			{"--redirect-uri", "https://app.example.com/cb", "--allowed-groups", "nope"},
			{"--redirect-uri", "https://app.example.com/cb", "--min-role", "owner"},
		} {
			full := append([]string{"app", "create", "--workspace", "acme", "--name", "Bad"}, args...)
			if code, _, _ := userCLIRun(env, "", full...); code == ExitOK {
				t.Errorf("%v: accepted", args)
			}
		}
		code, out, _ = userCLIRun(env, "", "app", "list", "--workspace", "acme")
		if code != ExitOK || !strings.Contains(out, "Grafana") || !strings.Contains(out, "SPA") || strings.Contains(out, "Bad") ||
			strings.Contains(out, secret[1]) || !strings.Contains(out, "groups=eng min-role=builder") {
			t.Fatalf("app list: exit %d:\n%s", code, out)
		}
		if code, _, errOut := userCLIRun(env, "", "app", "delete", "--workspace", "acme", "--client-id", id[1]); code != ExitOK {
			t.Fatalf("app delete: exit %d: %s", code, errOut)
		}
		if code, _, _ := userCLIRun(env, "", "app", "delete", "--workspace", "acme", "--client-id", id[1]); code != ExitUsage {
			t.Errorf("deleting twice: exit %d, want %d", code, ExitUsage)
		}
		ev, err := st.ListAudit(context.Background(), store.AuditFilter{WorkspaceID: mustWorkspaceID(t, st, "acme"), Kind: "config.app"})
		if err != nil || len(ev) != 3 {
			t.Fatalf("audit events = %d (%v), want create, create, delete", len(ev), err)
		}
		// keys rotate adds a key that signs after the activation delay.
		if code, out, errOut := userCLIRun(env, "", "keys", "rotate"); code != ExitOK || !strings.Contains(out, "new signing key") {
			t.Fatalf("keys rotate: exit %d: %s %s", code, out, errOut)
		}
		keys, err := st.ListOIDCSigningKeys(context.Background(), time.Now())
		if err != nil || len(keys) != 1 || !keys[0].SignFrom.After(time.Now()) {
			t.Fatalf("keys after rotate = %+v, %v", keys, err)
		}
	})
}

// mustWorkspaceID looks up a workspace's ID by slug.
func mustWorkspaceID(t *testing.T, st store.Store, slug string) string {
	t.Helper()
	ws, err := st.GetWorkspaceBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return ws.ID
}
