package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
)

// The workspace, people and SSO name of the sign-in journeys.
const (
	slug          = "acme"
	adminEmail    = "admin@acme.example"
	adminPassword = "correct horse battery staple 1"
	ssoName       = "Acme SimpleSAMLphp"
)

var (
	// bob has no account in the workspace: signup creates it.
	bob = idp.User{Username: "bob", Password: "bob-idp-pw", UID: "u-bob", Email: "bob@acme.example",
		GivenName: "Bob", Surname: "Builder"}
	// carol arrives after signup was turned off.
	carol = idp.User{Username: "carol", Password: "carol-idp-pw", UID: "u-carol", Email: "carol@acme.example",
		DisplayName: "Carol C."}
	// erin is a member whom an admin archived.
	erin = idp.User{Username: "erin", Password: "erin-idp-pw", UID: "u-erin", Email: "erin@acme.example",
		DisplayName: "Erin E."}
)

// TestSignInJourneys runs the journeys of issue 4 in order against one
// Gatehouse and one SimpleSAMLphp: each builds on the state the previous
// one left (the admin journey configures the SSO the others use).
func TestSignInJourneys(t *testing.T) {
	requireDeps(t)
	p := startIdP(t, []idp.User{bob, carol, erin})
	g := startGatehouse(t)
	g.cli(t, "", "workspace", "create", "--name", "Acme", "--slug", slug)
	g.cli(t, adminPassword+"\n", "user", "create", "--email", adminEmail, "--workspace", slug, "--role", "admin", "--password-stdin")
	g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "on", "--password-login", "on")
	base := map[string]string{"GATEHOUSE_URL": g.url, "SLUG": slug, "SSO_NAME": ssoName,
		"ADMIN_EMAIL": adminEmail, "ADMIN_PASSWORD": adminPassword, "IDP_METADATA_URL": p.MetadataURL()}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	var acs string
	ok := t.Run("1_admin_configures_saml", func(t *testing.T) {
		r := runJourney(t, "admin_saml_setup.mjs", base)
		acs = str(t, r, "redirectURL")
		if !strings.HasPrefix(acs, g.url+"/api/sso/saml/") {
			t.Fatalf("Redirect URL %q is not under %s/api/sso/saml/", acs, g.url)
		}
		// What the admin does next at the IdP: Identifier = Reply URL =
		// Redirect URL; the logout URL is the one in Gatehouse's SP metadata.
		if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs, SLO: acs + "/slo"}); err != nil {
			t.Fatal(err)
		}
	})
	if !ok || acs == "" {
		t.Fatal("the admin journey failed or was filtered out; the other journeys need its SAML config " +
			"(select journeys with e.g. -run 'TestSignInJourneys/(1|3)')")
	}

	t.Run("2_new_user_signs_up_with_sso", func(t *testing.T) {
		r := runJourney(t, "sso_signin.mjs", with("IDP_USER", bob.Username, "IDP_PASSWORD", bob.Password,
			"EMAIL", bob.Email, "EXPECT", "landed", "SCREENSHOTS", "1", "SIGN_OUT", "1"))
		if role := str(t, r, "role"); role != "end-user" {
			t.Errorf("landing page role = %q, want end-user", role)
		}
		m := g.userShow(t, bob.Email, slug)
		if m.Role != "end-user" || m.Status != "active" {
			t.Errorf("server side: bob is %+v, want an active end-user", m)
		}
	})

	t.Run("2_signup_off_refuses_unknown_user", func(t *testing.T) {
		g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "off")
		t.Cleanup(func() { g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--signup", "on") })
		runJourney(t, "sso_signin.mjs", with("IDP_USER", carol.Username, "IDP_PASSWORD", carol.Password,
			"EMAIL", carol.Email, "EXPECT", "error", "EXPECT_MESSAGE", "User does not exist in the workspace"))
		if out, _, err := g.tryCLI("", "user", "show", "--email", carol.Email, "--workspace", slug); err == nil {
			t.Errorf("carol was created although signup is off: %s", out)
		}
	})

	t.Run("2_domain_not_allowed", func(t *testing.T) {
		g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--allowed-domains", "other.example")
		t.Cleanup(func() { g.cli(t, "", "workspace", "login-settings", "--workspace", slug, "--allowed-domains", "") })
		runJourney(t, "sso_signin.mjs", with("IDP_USER", carol.Username, "IDP_PASSWORD", carol.Password,
			"EMAIL", carol.Email, "EXPECT", "error",
			"EXPECT_MESSAGE", "You cannot sign in using the mail id - Domain verification failed"))
		if out, _, err := g.tryCLI("", "user", "show", "--email", carol.Email, "--workspace", slug); err == nil {
			t.Errorf("carol was created although her domain is not allowed: %s", out)
		}
	})

	t.Run("2_archived_member_refused", func(t *testing.T) {
		g.cli(t, "", "user", "create", "--email", erin.Email, "--workspace", slug, "--role", "end-user")
		g.cli(t, "", "user", "archive", "--email", erin.Email, "--workspace", slug)
		runJourney(t, "sso_signin.mjs", with("IDP_USER", erin.Username, "IDP_PASSWORD", erin.Password,
			"EMAIL", erin.Email, "EXPECT", "error", "EXPECT_MESSAGE", "User is archived in the workspace"))
		if m := g.userShow(t, erin.Email, slug); m.Status != "archived" {
			t.Errorf("server side: erin is %+v, want archived", m)
		}
	})

	idpInitiated := func(mode, reason string) map[string]string {
		g.cli(t, "", "saml", "configure", "--workspace", slug, "--idp-initiated", mode)
		return with("IDP_USER", bob.Username, "IDP_PASSWORD", bob.Password, "EMAIL", bob.Email, "MODE", mode,
			"ACS_URL", acs, "IDP_START_URL", p.InitiatedURL(acs, "/w/"+slug), "EXPECT_REASON", reason)
	}
	t.Run("3_idp_initiated_bounce", func(t *testing.T) {
		runJourney(t, "idp_initiated.mjs", idpInitiated("bounce", ""))
	})
	t.Run("3_idp_initiated_accept_and_replay", func(t *testing.T) {
		r := runJourney(t, "idp_initiated.mjs", idpInitiated("accept", "assertion_replayed"))
		if st, _ := r["replayStatus"].(float64); st < 400 {
			t.Errorf("replayed response answered HTTP %v, want an error status", r["replayStatus"])
		}
	})
	t.Run("3_idp_initiated_reject", func(t *testing.T) {
		runJourney(t, "idp_initiated.mjs", idpInitiated("reject", "unsolicited_not_allowed"))
	})

	t.Run("4_bad_metadata_changes_nothing", func(t *testing.T) {
		runJourney(t, "bad_metadata.mjs", base)
	})

	t.Run("5_post_binding_when_idp_offers_only_post", func(t *testing.T) {
		const postSlug, postName = "postco", "Post-only IdP"
		g.cli(t, "", "workspace", "create", "--name", "Post Co", "--slug", postSlug)
		g.cli(t, "", "workspace", "login-settings", "--workspace", postSlug, "--signup", "on")
		md, err := p.Metadata(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		postOnly := redirectSSO.ReplaceAllString(md, "")
		if postOnly == md || !strings.Contains(postOnly, "bindings:HTTP-POST") {
			t.Fatalf("could not reduce the IdP metadata to its HTTP-POST SSO endpoint:\n%s", md)
		}
		mdFile := filepath.Join(t.TempDir(), "post-only.xml")
		if err := os.WriteFile(mdFile, []byte(postOnly), 0o600); err != nil {
			t.Fatal(err)
		}
		acs := lastLine(g.cli(t, "", "saml", "configure", "--workspace", postSlug, "--metadata", mdFile, "--name", postName))
		if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs}); err != nil {
			t.Fatal(err)
		}
		runJourney(t, "sso_signin.mjs", with("SLUG", postSlug, "SSO_NAME", postName,
			"IDP_USER", bob.Username, "IDP_PASSWORD", bob.Password, "EMAIL", bob.Email, "EXPECT", "landed"))
		log, err := p.AccessLog()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log, "POST /saml2/idp/SSOService.php") {
			t.Errorf("the AuthnRequest did not reach the IdP by HTTP-POST; IdP access log:\n%s", log)
		}
		if m := g.userShow(t, bob.Email, postSlug); m.Role != "end-user" {
			t.Errorf("server side: bob in %s is %+v, want end-user", postSlug, m)
		}
	})
}

// redirectSSO matches the IdP's HTTP-Redirect SingleSignOnService element.
var redirectSSO = regexp.MustCompile(`<(\w+:)?SingleSignOnService[^>]*bindings:HTTP-Redirect"[^>]*/>`)

// Group sync (issue 5) with Entra-style Object IDs as the IdP's group
// values, mapped by the environment variable.
const (
	syncSlug     = "sync-co" // the '-' becomes '_' in the variable name
	guidAdmin    = "6f1c0a52-8d3e-4b7a-9c21-0e5d4f3a2b10"
	guidSupport  = "a3e9b7d1-2c4f-4e6a-8b0d-1f2e3d4c5b6a"
	guidBuilder  = "0b7e5c3a-9f1d-4a2b-8c6e-7d5f4e3c2b1a"
	guidUnmapped = "ffffffff-0000-4000-8000-000000000001"
)

func TestGroupSyncJourney(t *testing.T) {
	requireDeps(t)
	dana := idp.User{Username: "dana", Password: "dana-idp-pw", UID: "u-dana", Email: "dana@sync.example",
		GivenName: "Dana", Surname: "Scully", Groups: []string{guidAdmin, guidSupport, guidUnmapped}}
	p := startIdP(t, []idp.User{dana})
	mapping := `{"` + guidAdmin + `": "admin", "` + guidSupport + `": "Support", "` + guidBuilder + `": "builder"}`
	g := startGatehouse(t, "TJ_SAML_GROUP_MAPPINGS__sync_co="+mapping)
	g.cli(t, "", "workspace", "create", "--name", "Sync Co", "--slug", syncSlug)
	// A second admin, so that sync may demote dana (group sync rule 6 of docs/access-rules.md protects the last one).
	g.cli(t, adminPassword+"\n", "user", "create", "--email", "admin@sync.example", "--workspace", syncSlug, "--role", "admin", "--password-stdin")
	g.cli(t, "", "group", "create", "--workspace", syncSlug, "--name", "Support")
	g.cli(t, "", "workspace", "login-settings", "--workspace", syncSlug, "--signup", "on")
	acs := g.configureSAML(t, p, syncSlug, "--group-sync", "on", "--group-attribute", "groups")
	if !strings.HasPrefix(acs, g.url+"/api/sso/saml/") {
		t.Fatalf("saml configure's last line %q is not the Redirect URL", acs)
	}
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs}); err != nil {
		t.Fatal(err)
	}
	env := func(phase, role, groups string) map[string]string {
		return map[string]string{"GATEHOUSE_URL": g.url, "SLUG": syncSlug, "SSO_NAME": ssoName,
			"IDP_USER": dana.Username, "IDP_PASSWORD": dana.Password, "EMAIL": dana.Email,
			"ADMIN_EMAIL": "admin@sync.example", "ADMIN_PASSWORD": adminPassword,
			"PHASE": phase, "EXPECT_ROLE": role, "EXPECT_GROUPS": groups}
	}

	runJourney(t, "group_sync.mjs", env("first", "admin", "Support"))
	if m := g.userShow(t, dana.Email, syncSlug); m.Role != "admin" || !slices.Equal(m.Groups, []string{"Support"}) {
		t.Fatalf("server side after the first login: %+v, want role admin, groups [Support]", m)
	}

	// Entra's group overage: the groups claim is replaced by a link. Sync
	// must change nothing (a sync that read "no groups" would drop
	// Support), and the admin page must say why.
	dana.Groups = nil
	dana.Extra = map[string][]string{"http://schemas.microsoft.com/claims/groups.link": {"https://graph.microsoft.com/v1.0/users/u-dana/getMemberObjects"}}
	if err := p.SetUsers([]idp.User{dana}); err != nil {
		t.Fatal(err)
	}
	runJourney(t, "group_sync.mjs", env("overage", "admin", "Support"))
	if m := g.userShow(t, dana.Email, syncSlug); m.Role != "admin" || !slices.Equal(m.Groups, []string{"Support"}) {
		t.Fatalf("server side after the overage login: %+v, want role admin and groups [Support], unchanged", m)
	}

	dana.Groups, dana.Extra = []string{guidBuilder, guidUnmapped}, nil
	if err := p.SetUsers([]idp.User{dana}); err != nil {
		t.Fatal(err)
	}
	r := runJourney(t, "group_sync.mjs", env("second", "builder", ""))
	if m := g.userShow(t, dana.Email, syncSlug); m.Role != "builder" || len(m.Groups) != 0 {
		t.Errorf("server side after the second login: %+v, want role builder, no groups", m)
	}
	checkSyncAudit(t, r)
}

// checkSyncAudit finds both sync changes among the audit rows the
// journey read (kind groupsync, message "role X -> Y; added to / removed
// from G"): admin and Support granted at the first login, admin -> builder
// with Support removed at the second.
func checkSyncAudit(t *testing.T, r map[string]any) {
	t.Helper()
	rows, _ := r["audit"].([]any)
	var granted, demoted bool
	for _, x := range rows {
		row, _ := x.(string)
		if !strings.Contains(row, "groupsync") {
			continue
		}
		if strings.Contains(row, "-> admin") && strings.Contains(row, "added to Support") {
			granted = true
		}
		if strings.Contains(row, "admin -> builder") && strings.Contains(row, "removed from Support") {
			demoted = true
		}
	}
	if !granted || !demoted {
		t.Errorf("audit log for dana: first change found=%v, second found=%v; rows:\n%s", granted, demoted, joinRows(rows))
	}
}

func joinRows(rows []any) string {
	var b strings.Builder
	for _, r := range rows {
		s, _ := r.(string)
		b.WriteString(s + "\n")
	}
	return b.String()
}
