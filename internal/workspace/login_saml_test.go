package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestSAMLFirstLoginProvisions(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		in := f.login("nid-pat", "Pat@Example.com")
		in.RequestID = f.request("/apps/42")
		res, err := f.svc.CompleteSAMLLogin(f.ctx, in)
		f.must(err)
		if res.User.Email != "pat@example.com" || res.User.Name != "Pat Doe" || res.User.PasswordHash != "" {
			t.Errorf("user: %+v", res.User)
		}
		if res.Membership.Status != store.StatusActive || res.Membership.Role != RoleEndUser {
			t.Errorf("membership: %+v", res.Membership)
		}
		if res.RedirectTo != "/apps/42" || res.Sync != nil {
			t.Errorf("redirect %q, sync %+v", res.RedirectTo, res.Sync)
		}
		// The link is recorded; sso_user_info holds every attribute.
		if id, err := st.GetSSOLink(f.ctx, f.cfg.ID, "nid-pat"); err != nil || id != res.User.ID {
			t.Errorf("link: %q, %v", id, err)
		}
		var info map[string][]string
		f.must(json.Unmarshal(f.membership(res.User.ID).SSOUserInfo, &info))
		if info["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"][0] != "Pat@Example.com" {
			t.Errorf("sso_user_info: %v", info)
		}
		// The session is stored under the token's SHA-256 only.
		sess, err := st.GetSession(f.ctx, HashToken(res.SessionToken), f.now)
		f.must(err)
		if sess.UserID != res.User.ID || sess.NameID != "nid-pat" || sess.SessionIndex != "_s1" || sess.ConfigID != f.cfg.ID ||
			!sess.ExpiresAt.Equal(f.now.Add(time.Hour)) {
			t.Errorf("session: %+v", sess)
		}
		if bytes.Equal(sess.TokenHash, []byte(res.SessionToken)) || len(res.SessionToken) != 43 {
			t.Errorf("token %q not a 32-byte base64url value or stored in clear", res.SessionToken)
		}
		p, err := f.svc.Authenticate(f.ctx, res.SessionToken)
		f.must(err)
		if p.User.ID != res.User.ID || p.Workspace.ID != f.ws.ID || p.Membership.Role != RoleEndUser {
			t.Errorf("principal: %+v", p)
		}
		if ev := f.events(KindLoginSuccess); len(ev) != 1 || ev[0].UserID != res.User.ID || ev[0].TraceID != in.TraceID {
			t.Errorf("login.success events: %+v", ev)
		}
	})
}

func TestSAMLResponseUsableOnce(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		in := f.login("nid-1", "a@example.com")
		in.RequestID = f.request("/")
		_, err := f.svc.CompleteSAMLLogin(f.ctx, in)
		f.must(err)
		// Same response again: the request was consumed.
		_, err = f.svc.CompleteSAMLLogin(f.ctx, in)
		wantAccess(t, err, CodeRequestUnknown)
		// Same assertion with a fresh request: replay.
		in.RequestID = f.request("/")
		_, err = f.svc.CompleteSAMLLogin(f.ctx, in)
		wantAccess(t, err, CodeAssertionReplayed)
		// Unsolicited replay.
		in.RequestID = ""
		_, err = f.svc.CompleteSAMLLogin(f.ctx, in)
		wantAccess(t, err, CodeAssertionReplayed)
		// An unknown request ID.
		other := f.login("nid-1", "a@example.com")
		other.RequestID = "_never-sent"
		_, err = f.svc.CompleteSAMLLogin(f.ctx, other)
		wantAccess(t, err, CodeRequestUnknown)
		if n := len(f.events(KindLoginFailure)); n != 4 {
			t.Errorf("%d login.failure events, want 4", n)
		}
	})
}

func TestSAMLRefusalsWriteNothing(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(false)
		in := f.login("nid-new", "new@example.com")
		in.RequestID = f.request("/x")
		_, err := f.svc.CompleteSAMLLogin(f.ctx, in)
		ae := wantAccess(t, err, CodeNotAMember)
		if ae.Message != "User does not exist in the workspace" {
			t.Errorf("message %q", ae.Message)
		}
		if _, err := st.GetUserByEmail(f.ctx, "new@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("user written: %v", err)
		}
		if _, err := st.GetSSOLink(f.ctx, f.cfg.ID, "nid-new"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("link written: %v", err)
		}
		// The rollback kept the request and the assertion ID unused.
		if _, err := st.GetRequest(f.ctx, f.cfg.ID, in.RequestID, f.now); err != nil {
			t.Errorf("request consumed by a refused login: %v", err)
		}
		f.settings(true)
		if _, err := f.svc.CompleteSAMLLogin(f.ctx, in); err != nil {
			t.Errorf("same response after signup was turned on: %v", err)
		}
		fail := f.events(KindLoginFailure)
		if len(fail) != 1 || fail[0].Reason != CodeNotAMember || fail[0].TraceID != in.TraceID || !strings.Contains(string(fail[0].Details), "attribute_names") {
			t.Errorf("failure event: %+v", fail)
		}
	})
}

func TestSAMLAccessRules(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true, "example.com")
		_, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("n1", "x@eu.example.com"))
		wantAccess(t, err, CodeDomainNotAllowed)

		arch := f.member("arch@example.com", RoleBuilder)
		f.must(f.svc.ArchiveUser(f.ctx, "", "arch@example.com", f.ws.ID))
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("n2", "arch@example.com"))
		wantAccess(t, err, CodeArchivedInWorkspace)
		if m := f.membership(arch.ID); m.Status != store.StatusArchived {
			t.Errorf("status %q", m.Status)
		}

		f.member("gone@example.com", RoleBuilder)
		f.must(f.svc.ArchiveUser(f.ctx, "", "gone@example.com", ""))
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("n3", "gone@example.com"))
		ae := wantAccess(t, err, CodeArchivedInstance)
		if ae.Message != MsgArchivedInstance {
			t.Errorf("message %q", ae.Message)
		}

		inv := f.member("inv@example.com", RoleBuilder)
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, inv.ID, store.StatusInvited))
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("n4", "inv@example.com"))
		f.must(err)
		if m := f.membership(inv.ID); m.Status != store.StatusActive || m.Role != RoleBuilder || res.User.ID != inv.ID {
			t.Errorf("invited member after login: %+v", m)
		}

		in := f.login("n5", "")
		in.Identity.Attributes = map[string][]string{"upn": {"x"}, "displayname": {"X"}}
		_, err = f.svc.CompleteSAMLLogin(f.ctx, in)
		ae = wantAccess(t, err, CodeEmailMissing)
		if !strings.Contains(ae.Message, `"displayname" "upn"`) {
			t.Errorf("email_missing message lacks the attribute names: %q", ae.Message)
		}
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("  ", "a@example.com"))
		wantAccess(t, err, CodeNameIDMissing)
	})
}

func TestSAMLLinkFoundBeforeEmail(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		first, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("stable-oid", "old@example.com"))
		f.must(err)
		// The IdP now sends another email for the same NameID: same user.
		again, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("stable-oid", "renamed@example.com"))
		f.must(err)
		if again.User.ID != first.User.ID {
			t.Errorf("NameID link not used: %s vs %s", again.User.ID, first.User.ID)
		}
		// An existing user found by email gets linked at first SSO login.
		pre := f.member("pre@example.com", RoleBuilder)
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("pre-oid", "PRE@example.com"))
		f.must(err)
		if res.User.ID != pre.ID || res.Membership.Role != RoleBuilder {
			t.Errorf("existing member not found by email: %+v", res)
		}
		if id, _ := st.GetSSOLink(f.ctx, f.cfg.ID, "pre-oid"); id != pre.ID {
			t.Errorf("link not recorded for the existing user")
		}
	})
}

const (
	oidAdmins  = "0b6c2f4e-7d1a-4c39-9a8e-3f2d1c0b9a87"
	oidSales   = "5e8f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	oidUnknown = "99999999-0000-4000-8000-000000000000"
)

func TestSAMLGroupSync(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		sales, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, "Sales", false)
		f.must(err)
		f.member("keeper@example.com", RoleAdmin) // so that pat is not the last admin
		f.envMap["acme"] = map[string]string{oidAdmins: "admin", oidSales: "Sales"}

		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", oidAdmins, oidSales, oidUnknown))
		f.must(err)
		if res.Membership.Role != RoleAdmin || f.membership(res.User.ID).Role != RoleAdmin || !slices.Equal(f.groupsOf(res.User.ID), []string{"Sales"}) {
			t.Fatalf("after first login: role %q groups %v", f.membership(res.User.ID).Role, f.groupsOf(res.User.ID))
		}
		if res.Sync == nil || !res.Sync.RoleChanged || !slices.Equal(res.Sync.Groups, []string{sales.Name}) {
			t.Errorf("result: sync %+v", res.Sync)
		}
		// The IdP's groups change: role back down, Sales removed.
		res, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", oidUnknown))
		f.must(err)
		if m := f.membership(res.User.ID); m.Role != RoleAdmin || len(f.groupsOf(res.User.ID)) != 0 {
			t.Fatalf("nothing matched: role must stay admin and groups be emptied; got %q %v", m.Role, f.groupsOf(res.User.ID))
		}
		res, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", oidSales))
		f.must(err)
		if m := f.membership(res.User.ID); m.Role != RoleEndUser {
			t.Errorf("role after only Sales: %q", m.Role)
		}
		ev := f.events(KindGroupSync + ".")
		if len(ev) != 0 {
			t.Errorf("no sync was skipped, got %d skip events", len(ev))
		}
		syncs := f.events(KindGroupSync)
		if len(syncs) != 3 {
			t.Fatalf("%d groupsync events, want 3", len(syncs))
		}
		var d map[string]any
		f.must(json.Unmarshal(syncs[2].Details, &d)) // the first login's event
		if d["role_before"] != RoleEndUser || d["role_after"] != RoleAdmin || fmt.Sprint(d["groups_added"]) != "[Sales]" ||
			fmt.Sprint(d["unknown_targets"]) != "[]" || fmt.Sprint(d["unmapped"]) != "["+oidUnknown+"]" {
			t.Errorf("first sync details: %v", d)
		}
		f.must(json.Unmarshal(syncs[1].Details, &d))
		if fmt.Sprint(d["groups_removed"]) != "[Sales]" || d["role_after"] != RoleAdmin {
			t.Errorf("second sync details: %v", d)
		}
		seen, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 10)
		f.must(err)
		if len(seen) != 3 {
			t.Errorf("seen groups: %+v", seen)
		}
	})
}

func TestSAMLGroupSyncLastAdminKeepsRole(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		_, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, "Sales", false)
		f.must(err)
		boss := f.member("boss@example.com", RoleAdmin)
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("boss-oid", "boss@example.com", "Sales"))
		f.must(err)
		if m := f.membership(boss.ID); m.Role != RoleAdmin || !res.Sync.DemotionSkipped || !slices.Equal(f.groupsOf(boss.ID), []string{"Sales"}) {
			t.Errorf("last admin: role %q, sync %+v", m.Role, res.Sync)
		}
		ev := f.events(KindGroupSync)
		if len(ev) != 1 || !strings.Contains(string(ev[0].Details), `"demotion_skipped":true`) || !strings.Contains(ev[0].Message, "last active admin") {
			t.Errorf("skipped demotion not recorded: %+v", ev)
		}
	})
}

func TestSAMLGroupSyncSkipped(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		_, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, "Sales", true)
		f.must(err)
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com", "Sales"))
		f.must(err)
		if f.membership(res.User.ID).Role != RoleBuilder {
			t.Fatalf("direct match of an edit-rights group: role %q", f.membership(res.User.ID).Role)
		}
		// Overage: nothing changes, the reason is recorded.
		in := f.login("oid", "pat@example.com")
		in.Identity.GroupsOverage = true
		res, err = f.svc.CompleteSAMLLogin(f.ctx, in)
		f.must(err)
		if res.Sync != nil || f.membership(res.User.ID).Role != RoleBuilder || len(f.groupsOf(res.User.ID)) != 1 {
			t.Errorf("overage changed something: sync %+v", res.Sync)
		}
		// Invalid environment mapping: the same.
		f.envErr["acme"] = errors.New("TJ_SAML_GROUP_MAPPINGS__acme: invalid JSON at line 1, column 2")
		res, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com"))
		f.must(err)
		if res.Sync != nil || len(f.groupsOf(res.User.ID)) != 1 {
			t.Errorf("invalid mapping changed something")
		}
		skips := f.events(KindGroupSyncSkipped)
		if len(skips) != 2 || skips[0].Reason != ReasonMappingsInvalid || skips[1].Reason != ReasonGroupsOverage ||
			!strings.Contains(skips[1].Message, "assign the groups to the application") || !strings.Contains(skips[0].Message, "invalid JSON") {
			t.Errorf("skip events: %+v", skips)
		}
	})
}

func TestSAMLMappingEnvWinsOverUI(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		f.member("keeper@example.com", RoleAdmin)
		f.must(f.svc.ReplaceGroupMappings(f.ctx, "", f.ws.ID, []store.GroupMapping{{IdPGroup: "g1", WorkspaceGroup: "admin"}, {IdPGroup: "g2", WorkspaceGroup: "Builder"}}))
		f.envMap["acme"] = map[string]string{"g1": "end-user"}
		res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com", "g1"))
		f.must(err)
		if res.Membership.Role != RoleEndUser {
			t.Errorf("environment did not win: %q", res.Membership.Role)
		}
		res, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com", "g1", "g2"))
		f.must(err)
		if res.Membership.Role != RoleBuilder {
			t.Errorf("UI row not used: %q", res.Membership.Role)
		}
		m, err := f.svc.EffectiveMappings(f.ctx, f.ws)
		f.must(err)
		if len(m.Rows) != 2 || m.Rows[0] != (MappingRow{"g1", "end-user", SourceEnv}) || m.Rows[1] != (MappingRow{"g2", "builder", SourceUI}) ||
			len(m.Overridden) != 1 || m.EnvError != nil {
			t.Errorf("effective mappings: %+v", m)
		}
	})
}

// TestSAMLConcurrentFirstLogins: many first logins of the same new user at
// once make exactly one user and one membership, and all succeed.
func TestSAMLConcurrentFirstLogins(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		const n = 50
		logins := make([]SAMLLogin, n)
		for i := range logins {
			logins[i] = f.login("same-oid", "same@example.com")
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.svc.CompleteSAMLLogin(context.Background(), logins[i])
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("login %d: %v", i, err)
			}
		}
		members, err := st.ListMembers(f.ctx, f.ws.ID)
		f.must(err)
		if len(members) != 1 || members[0].User.Email != "same@example.com" {
			t.Errorf("%d members, want exactly 1", len(members))
		}
		if n, _ := st.CountUsers(f.ctx); n != 1 {
			t.Errorf("%d users, want 1", n)
		}
	})
}

func TestSAMLDisabledConfigRefused(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	f.settings(true)
	f.cfg.Enabled = false
	f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
	if _, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com")); err == nil {
		t.Fatal("a disabled config signed someone in")
	}
	if n, _ := f.st.CountUsers(f.ctx); n != 0 {
		t.Errorf("%d users written", n)
	}
}

// TestSAMLMappingEnvWinsOverUIInAnyCase: the environment and the UI hold
// the same Entra Object ID in different case. Sync compares GUIDs
// case-insensitively, so the environment row must override the UI row on
// the admin page and in sync alike (before, both were in effect and sync
// chose by map order).
func TestSAMLMappingEnvWinsOverUIInAnyCase(t *testing.T) {
	const guid = "0f3c9b2e-7a41-4d8e-9c55-1b2a3c4d5e6f"
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		f.member("keeper@example.com", RoleAdmin)
		f.must(f.svc.ReplaceGroupMappings(f.ctx, "", f.ws.ID, []store.GroupMapping{{IdPGroup: strings.ToUpper(guid), WorkspaceGroup: "admin"}}))
		f.envMap["acme"] = map[string]string{guid: "end-user"}
		m, err := f.svc.EffectiveMappings(f.ctx, f.ws)
		f.must(err)
		if len(m.Rows) != 1 || m.Rows[0] != (MappingRow{guid, "end-user", SourceEnv}) ||
			len(m.Overridden) != 1 || m.Overridden[0].IdPGroup != strings.ToUpper(guid) {
			t.Errorf("effective mappings: %+v", m)
		}
		// Map order is random: several logins would pick the UI row at
		// least once if it were still in the merged mapping.
		for i := 0; i < 20; i++ {
			res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("oid", "pat@example.com", guid))
			f.must(err)
			if res.Membership.Role != RoleEndUser {
				t.Fatalf("login %d: role %q, want the environment's %q", i, res.Membership.Role, RoleEndUser)
			}
		}
	})
}

// TestEnvMappingSameGUIDTwiceIsInvalid: the environment maps one Object ID
// twice in different case. Sync would pick one by map order, so the
// mapping is invalid (sync off, the admin page shows why), as a repeated
// key is.
func TestEnvMappingSameGUIDTwiceIsInvalid(t *testing.T) {
	const guid = "0f3c9b2e-7a41-4d8e-9c55-1b2a3c4d5e6f"
	f := newFixture(t, openSQLite(t))
	f.envMap["acme"] = map[string]string{guid: "end-user", strings.ToUpper(guid): "admin"}
	m, err := f.svc.EffectiveMappings(f.ctx, f.ws)
	f.must(err)
	if m.EnvError == nil || !strings.Contains(m.EnvError.Error(), "same group") || len(m.Rows) != 0 {
		t.Errorf("effective mappings: %+v", m)
	}
}
