package e2e

import "testing"

// TestAdminSafetyJourney is issue 12 in Chromium: invitation link shown
// once and accepted, archive through its confirmation page, an API token
// shown once, the unsaved-changes warning on Workspace login, and an audit
// log that fits a 1,280 px window. No IdP is needed.
func TestAdminSafetyJourney(t *testing.T) {
	requireDeps(t)
	g := startGatehouse(t)
	g.cli(t, "", "workspace", "create", "--name", "Acme", "--slug", slug)
	g.cli(t, adminPassword+"\n", "user", "create", "--email", adminEmail, "--workspace", slug, "--role", "admin", "--password-stdin")
	const member = "mia@acme.example"
	g.cli(t, "", "user", "create", "--email", member, "--workspace", slug, "--role", "builder")
	g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--password-login", "on")
	r := runJourney(t, "admin_safety.mjs", map[string]string{"GATEHOUSE_URL": g.url, "SLUG": slug,
		"ADMIN_EMAIL": adminEmail, "ADMIN_PASSWORD": adminPassword, "MEMBER_EMAIL": member})
	if r["invitedRole"] != "builder" {
		t.Errorf("invitee landed as %v, want builder", r["invitedRole"])
	}
	if r["tokenShownOnce"] != true {
		t.Error("the API token was shown again after a reload")
	}
	if r["auditFits"] != true {
		t.Error("the audit log is wider than a 1,280 px window")
	}
	if m := g.userShow(t, member, slug); m.Status != "archived" {
		t.Errorf("member after the confirmed archive: %+v", m)
	}
	if m := g.userShow(t, "newcomer@acme.example", slug); m.Status != "active" || m.Role != "builder" {
		t.Errorf("invitee after accepting: %+v", m)
	}
}
