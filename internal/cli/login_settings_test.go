package cli

import (
	"strings"
	"testing"
)

func TestLoginSettingsChangeAndShow(t *testing.T) {
	environ, _ := adminCLIWorkspace(t)
	code, out, errOut := adminRun(environ, "workspace", "login-settings", "--workspace", "acme",
		"--signup", "on", "--allowed-domains", "Example.com, example.org")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"password login: on", "signup: on", "allowed domains: example.com,example.org", "automatic SSO login: off"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Without setting flags it only prints, and the change persisted.
	_, out, _ = adminRun(environ, "workspace", "login-settings", "--workspace", "acme")
	if !strings.Contains(out, "signup: on") || !strings.Contains(out, "allowed domains: example.com,example.org") {
		t.Errorf("not persisted:\n%s", out)
	}
	// Clearing the domains allows all.
	_, out, _ = adminRun(environ, "workspace", "login-settings", "--workspace", "acme", "--allowed-domains", "")
	if !strings.Contains(out, "allowed domains: (all)") {
		t.Errorf("domains not cleared:\n%s", out)
	}
}

func TestLoginSettingsAutoSSORefused(t *testing.T) {
	environ, _ := adminCLIWorkspace(t)
	code, out, errOut := adminRun(environ, "workspace", "login-settings", "--workspace", "acme", "--auto-sso", "on")
	if code != ExitRejected || !strings.Contains(errOut, "nothing saved") || out != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	_, out, _ = adminRun(environ, "workspace", "login-settings", "--workspace", "acme")
	if !strings.Contains(out, "automatic SSO login: off") {
		t.Errorf("auto SSO stored:\n%s", out)
	}
}

func TestLoginSettingsUsage(t *testing.T) {
	environ, _ := adminCLIWorkspace(t)
	for _, args := range [][]string{
		{"workspace", "login-settings"},
		{"workspace", "login-settings", "--workspace", "acme", "--signup", "sometimes"},
		{"workspace", "login-settings", "--workspace", "nope"},
	} {
		if code, _, _ := adminRun(environ, args...); code != ExitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
