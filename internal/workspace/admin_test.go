package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestAdminWorkspacesAndUsers(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		if _, err := f.svc.CreateWorkspace(f.ctx, "", "Again", "acme"); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate slug: %v", err)
		}
		if _, err := f.svc.CreateWorkspace(f.ctx, "", "Bad", "Bad Slug"); !IsValidation(err) {
			t.Errorf("bad slug: %v", err)
		}
		admin := f.member("ada@example.com", "ADMIN")
		if m := f.membership(admin.ID); m.Role != RoleAdmin || m.Status != store.StatusActive {
			t.Errorf("membership: %+v", m)
		}
		if _, err := f.svc.CreateUser(f.ctx, admin.ID, f.ws.ID, "x@example.com", "", "", "owner"); !IsValidation(err) {
			t.Errorf("bad role: %v", err)
		}
		if _, err := f.svc.CreateUser(f.ctx, admin.ID, f.ws.ID, "ada@example.com", "", "", RoleBuilder); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate membership: %v", err)
		}
		// An existing user joins a second workspace; a workspace admin may
		// not set the password of an existing account, the operator may.
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		if _, err := f.svc.CreateUser(f.ctx, admin.ID, other.ID, "ada@example.com", "", "new-password", RoleEndUser); !IsValidation(err) {
			t.Errorf("admin setting an existing user's password: %v", err)
		}
		u, err := f.svc.CreateUser(f.ctx, "", other.ID, "ADA@example.com", "", "new-password", RoleEndUser)
		f.must(err)
		if u.ID != admin.ID || u.PasswordHash == "" {
			t.Errorf("existing user not reused or password not set: %+v", u)
		}
		if n, _ := st.CountUsers(f.ctx); n != 1 {
			t.Errorf("%d users", n)
		}
		f.must(f.svc.SetSuperAdmin(f.ctx, "", u.ID, true))
		if got, _ := st.GetUser(f.ctx, u.ID); !got.SuperAdmin {
			t.Error("super admin not set")
		}
		if ev := f.events("membership."); len(ev) < 2 || ev[len(ev)-1].Kind != KindUserCreate {
			t.Errorf("membership events: %d", len(ev))
		}
	})
}

func TestLastAdminIsProtected(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		a := f.member("a@example.com", RoleAdmin)
		b := f.member("b@example.com", RoleBuilder)
		for name, err := range map[string]error{
			"demote":  f.svc.SetMemberRole(f.ctx, "", f.ws.ID, a.ID, RoleBuilder),
			"archive": f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, a.ID, store.StatusArchived),
			"invite":  f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, a.ID, store.StatusInvited),
			"by mail": f.svc.ArchiveUser(f.ctx, "", "a@example.com", f.ws.ID),
		} {
			if !IsValidation(err) || !strings.Contains(err.Error(), "last active admin") {
				t.Errorf("%s the last admin: %v", name, err)
			}
		}
		if m := f.membership(a.ID); m.Role != RoleAdmin || m.Status != store.StatusActive {
			t.Fatalf("last admin changed: %+v", m)
		}
		f.must(f.svc.SetMemberRole(f.ctx, a.ID, f.ws.ID, b.ID, "Admin"))
		f.must(f.svc.SetMemberRole(f.ctx, b.ID, f.ws.ID, a.ID, RoleEndUser))
		if m := f.membership(a.ID); m.Role != RoleEndUser {
			t.Errorf("demotion with another admin: %q", m.Role)
		}
		if err := f.svc.SetMemberStatus(f.ctx, b.ID, f.ws.ID, a.ID, "gone"); !IsValidation(err) {
			t.Errorf("unknown status: %v", err)
		}
		ev := f.events(KindMembershipRole)
		if len(ev) != 2 || ev[0].ActorID != b.ID || !strings.Contains(string(ev[0].Details), `"before":"admin"`) {
			t.Errorf("role events: %+v", ev)
		}
	})
}

func TestAdminGroups(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		for _, reserved := range []string{"admin", "Builder", "END-USER"} {
			if _, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, reserved, false); !IsValidation(err) {
				t.Errorf("group %q: %v", reserved, err)
			}
		}
		g, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, "Sales", false)
		f.must(err)
		if _, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, "Sales", true); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate group: %v", err)
		}
		if err := f.svc.UpdateGroup(f.ctx, "", f.ws.ID, g.ID, "admin", true); !IsValidation(err) {
			t.Errorf("rename to a role: %v", err)
		}
		f.must(f.svc.UpdateGroup(f.ctx, "", f.ws.ID, g.ID, "Sales EU", true))
		if got, _ := st.GetGroup(f.ctx, g.ID); got.Name != "Sales EU" || !got.CanEditApps {
			t.Errorf("update: %+v", got)
		}
		u := f.member("pat@example.com", RoleEndUser)
		f.must(f.svc.AddGroupMember(f.ctx, "", f.ws.ID, g.ID, u.ID))
		if gs := f.groupsOf(u.ID); len(gs) != 1 {
			t.Errorf("groups after add: %v", gs)
		}
		// Another workspace's admin cannot reach this group.
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		for name, err := range map[string]error{
			"update": f.svc.UpdateGroup(f.ctx, "", other.ID, g.ID, "Mine", false),
			"delete": f.svc.DeleteGroup(f.ctx, "", other.ID, g.ID),
			"add":    f.svc.AddGroupMember(f.ctx, "", other.ID, g.ID, u.ID),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("cross-workspace %s: %v", name, err)
			}
		}
		outsider, err := f.svc.CreateUser(f.ctx, "", other.ID, "out@example.com", "", "", RoleEndUser)
		f.must(err)
		if err := f.svc.AddGroupMember(f.ctx, "", f.ws.ID, g.ID, outsider.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("adding a non-member: %v", err)
		}
		f.must(f.svc.RemoveGroupMember(f.ctx, "", f.ws.ID, g.ID, u.ID))
		if gs := f.groupsOf(u.ID); len(gs) != 0 {
			t.Errorf("groups after remove: %v", gs)
		}
		f.must(f.svc.DeleteGroup(f.ctx, "", f.ws.ID, g.ID))
		if _, err := st.GetGroup(f.ctx, g.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted group still there: %v", err)
		}
		if ev := f.events("group."); len(ev) != 5 {
			t.Errorf("%d group events, want 5", len(ev))
		}
	})
}

func TestAdminLoginSettings(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st) // one enabled SAML config
		err := f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: true, AutoSSO: true})
		if !IsValidation(err) || !strings.Contains(strings.ToLower(err.Error()), "automatic sso") {
			t.Errorf("auto SSO with password login on: %v", err)
		}
		if err := f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, AllowedDomains: []string{"example,com"}}); !IsValidation(err) {
			t.Errorf("bad domain: %v", err)
		}
		f.must(f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: false, AutoSSO: true,
			AllowedDomains: []string{" @Example.COM", "example.com", "eu.example.com"}}))
		ls, err := st.GetLoginSettings(f.ctx, f.ws.ID)
		f.must(err)
		if !ls.AutoSSO || strings.Join(ls.AllowedDomains, ",") != "example.com,eu.example.com" {
			t.Errorf("saved: %+v", ls)
		}
		// Disabling the only SSO turns automatic SSO login off with it.
		f.cfg.Enabled = false
		f.must(f.svc.SaveSAMLConfig(f.ctx, "admin-1", f.cfg))
		if ls, _ := st.GetLoginSettings(f.ctx, f.ws.ID); ls.AutoSSO {
			t.Error("auto SSO still on with no enabled SSO")
		}
		err = f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, AutoSSO: true})
		if !IsValidation(err) {
			t.Errorf("auto SSO with no enabled SSO: %v", err)
		}
	})
}

func TestAdminSAMLConfig(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		got, err := st.GetSAMLConfig(f.ctx, f.cfg.ID)
		f.must(err)
		if got.GroupAttribute != DefaultGroupAttribute || got.IdPInitiated != store.IdPInitiatedBounce {
			t.Errorf("defaults not applied: %+v", got)
		}
		bad := *f.cfg
		bad.IdPInitiated = "sometimes"
		if err := f.svc.SaveSAMLConfig(f.ctx, "", &bad); !IsValidation(err) {
			t.Errorf("bad IdP-initiated mode: %v", err)
		}
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		moved := *f.cfg
		moved.WorkspaceID = other.ID
		if err := f.svc.SaveSAMLConfig(f.ctx, "", &moved); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("moving a config to another workspace: %v", err)
		}
		key := *f.cfg
		key.SPSigningKeyPEM = "-----BEGIN PRIVATE KEY-----\nSECRETSECRET\n-----END PRIVATE KEY-----"
		f.must(f.svc.SaveSAMLConfig(f.ctx, "admin-1", &key))
		ev := f.events(KindSAMLConfig)
		if len(ev) != 2 || ev[0].ActorID != "admin-1" || strings.Contains(string(ev[0].Details), "SECRET") ||
			!strings.Contains(string(ev[0].Details), `"sp_signing_key":{"after":true,"before":false}`) ||
			strings.Contains(string(ev[0].Details), "group_attribute") {
			t.Errorf("config audit: %+v", ev)
		}
	})
}

func TestAdminMappings(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		for _, rows := range [][]store.GroupMapping{
			{{IdPGroup: "a", WorkspaceGroup: ""}},
			{{IdPGroup: " ", WorkspaceGroup: "admin"}},
			{{IdPGroup: "a", WorkspaceGroup: "admin"}, {IdPGroup: " a ", WorkspaceGroup: "Sales"}},
		} {
			if err := f.svc.ReplaceGroupMappings(f.ctx, "", f.ws.ID, rows); !IsValidation(err) {
				t.Errorf("rows %+v: %v", rows, err)
			}
		}
		f.must(f.svc.ReplaceGroupMappings(f.ctx, "", f.ws.ID, []store.GroupMapping{{IdPGroup: " a ", WorkspaceGroup: "ADMIN"}, {IdPGroup: "b", WorkspaceGroup: "Sales"}}))
		rows, err := st.ListGroupMappings(f.ctx, f.ws.ID)
		f.must(err)
		if len(rows) != 2 {
			t.Fatalf("rows: %+v", rows)
		}
		for _, r := range rows {
			if (r.IdPGroup == "a" && r.WorkspaceGroup != "admin") || (r.IdPGroup == "b" && r.WorkspaceGroup != "Sales") {
				t.Errorf("row not normalized: %+v", r)
			}
		}
		f.envErr["acme"] = errors.New("bad JSON")
		m, err := f.svc.EffectiveMappings(f.ctx, f.ws)
		f.must(err)
		if m.EnvError == nil || len(m.Rows) != 2 || m.Rows[0].Source != SourceUI {
			t.Errorf("effective with invalid env: %+v", m)
		}
		f.must(f.svc.ReplaceGroupMappings(f.ctx, "", f.ws.ID, nil))
		if rows, _ := st.ListGroupMappings(f.ctx, f.ws.ID); len(rows) != 0 {
			t.Errorf("rows after clearing: %+v", rows)
		}
	})
}

func TestAPITokens(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		tok, rec, err := f.svc.CreateAPIToken(f.ctx, "admin-1", f.ws.ID, "ci")
		f.must(err)
		if !strings.HasPrefix(tok, "gth_") || strings.Contains(string(rec.TokenHash), tok) {
			t.Errorf("token %q / record %+v", tok, rec)
		}
		got, err := f.svc.AuthenticateAPIToken(f.ctx, tok)
		f.must(err)
		if got.ID != rec.ID || got.WorkspaceID != f.ws.ID {
			t.Errorf("authenticated: %+v", got)
		}
		for _, bad := range []string{"", tok[4:], "gth_x", tok + "x"} {
			if _, err := f.svc.AuthenticateAPIToken(f.ctx, bad); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		f.must(f.svc.DeleteAPIToken(f.ctx, "admin-1", f.ws.ID, rec.ID))
		if _, err := f.svc.AuthenticateAPIToken(f.ctx, tok); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted token: %v", err)
		}
		if _, _, err := f.svc.CreateAPIToken(f.ctx, "", f.ws.ID, " "); !IsValidation(err) {
			t.Errorf("blank name: %v", err)
		}
		if ev := f.events("token."); len(ev) != 2 {
			t.Errorf("%d token events", len(ev))
		}
	})
}
