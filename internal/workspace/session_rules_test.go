package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestAdminCannotLockThemselvesOut: an admin's own demotion or archive is
// refused even with other admins; another admin (or the operator) may.
func TestAdminCannotLockThemselvesOut(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		a := f.member("a@example.com", RoleAdmin)
		b := f.member("b@example.com", RoleAdmin)
		for name, err := range map[string]error{
			"demote":  f.svc.SetMemberRole(f.ctx, a.ID, f.ws.ID, a.ID, RoleEndUser),
			"archive": f.svc.SetMemberStatus(f.ctx, a.ID, f.ws.ID, a.ID, store.StatusArchived),
		} {
			if !IsValidation(err) || !strings.Contains(err.Error(), "You cannot archive or demote yourself") {
				t.Errorf("%s oneself: %v", name, err)
			}
		}
		f.must(f.svc.SetMemberStatus(f.ctx, b.ID, f.ws.ID, a.ID, store.StatusArchived))
		f.must(f.svc.UnarchiveUser(f.ctx, "", "A@example.com", f.ws.ID))
		if m := f.membership(a.ID); m.Status != store.StatusActive || m.Role != RoleAdmin {
			t.Fatalf("after unarchive: %+v", m)
		}
	})
}

// TestSessionsFollowLoginRules: narrowing the allowed domains or
// disabling the SAML config ends the affected sessions at their next
// request; sessions that still qualify go on.
func TestSessionsFollowLoginRules(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.member("ann@corp.example", RoleAdmin)
		f.member("bob@partner.example", RoleBuilder)
		cfg := f.cfg
		ann := f.session("ann@corp.example", "")
		bob := f.session("bob@partner.example", "")
		annSSO := f.session("ann@corp.example", cfg.ID)
		for _, tok := range []string{ann, bob, annSSO} {
			if _, err := f.svc.Authenticate(f.ctx, tok); err != nil {
				t.Fatalf("fresh session: %v", err)
			}
		}
		f.must(f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: true, AllowedDomains: []string{"corp.example"}}))
		if _, err := f.svc.Authenticate(f.ctx, bob); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of a no longer allowed domain: %v", err)
		}
		if _, err := f.svc.Authenticate(f.ctx, ann); err != nil {
			t.Errorf("allowed session ended: %v", err)
		}
		cfg.Enabled = false
		f.must(st.SaveSAMLConfig(f.ctx, cfg))
		if _, err := f.svc.Authenticate(f.ctx, annSSO); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SSO session after SSO was disabled: %v", err)
		}
		if _, err := f.svc.Authenticate(f.ctx, ann); err != nil {
			t.Errorf("password session ended by disabling SSO: %v", err)
		}
	})
}

// session opens a session for email (through configID when not "") the
// way a sign-in does, and returns its cookie value.
func (f *fixture) session(email, configID string) string {
	f.t.Helper()
	u, err := f.svc.Store.GetUserByEmail(f.ctx, email)
	f.must(err)
	var sso *SAMLLogin
	if configID != "" {
		sso = &SAMLLogin{Config: &store.SAMLConfig{ID: configID}, Identity: SSOIdentity{NameID: "n-" + u.ID}}
	}
	tok, _, err := f.svc.openSession(f.ctx, f.svc.Store, u.ID, f.ws.ID, sso)
	f.must(err)
	return tok
}
