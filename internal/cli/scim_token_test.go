package cli

import (
	"context"
	"regexp"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func TestSCIMTokenCommand(t *testing.T) {
	userCLIBackends(t, func(t *testing.T, environ []string, open func() store.Store) {
		environ = append(environ, "GATEHOUSE_PUBLIC_URL=https://sso.example.com")
		if code, _, errOut := userCLIRun(environ, "", "workspace", "create", "--name", "Acme", "--slug", "acme"); code != ExitOK {
			t.Fatalf("workspace create: %d %s", code, errOut)
		}
		code, out, errOut := userCLIRun(environ, "", "scim", "token", "--workspace", "acme")
		m := regexp.MustCompile(`(?m)^Tenant URL:   https://sso\.example\.com/scim/v2/acme\nSecret Token: (gtscim_\S+)$`).FindStringSubmatch(out)
		if code != ExitOK || m == nil {
			t.Fatalf("scim token: %d\n%s%s", code, out, errOut)
		}
		st := open()
		svc := &workspace.Service{Store: st}
		if _, err := svc.AuthenticateSCIMToken(context.Background(), "acme", m[1]); err != nil {
			t.Fatalf("printed token does not authenticate: %v", err)
		}
		if code, _, _ := userCLIRun(environ, "", "scim", "token", "--workspace", "acme", "--revoke"); code != ExitOK {
			t.Fatalf("revoke: %d", code)
		}
		if _, err := svc.AuthenticateSCIMToken(context.Background(), "acme", m[1]); err == nil {
			t.Fatal("revoked token works")
		}
		if code, _, _ := userCLIRun(environ, "", "scim", "token", "--workspace", "acme", "--revoke"); code != ExitRejected {
			t.Fatalf("revoke twice: %d, want %d", code, ExitRejected)
		}
		if code, _, _ := userCLIRun(environ, "", "scim", "token", "--workspace", "nope"); code != ExitUsage {
			t.Fatalf("unknown workspace: %d, want %d", code, ExitUsage)
		}
		if code, _, _ := userCLIRun(environ, "", "scim", "token"); code != ExitUsage {
			t.Fatalf("missing --workspace: %d", code)
		}
	})
}
