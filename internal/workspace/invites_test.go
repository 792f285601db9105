package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestInviteAcceptOnce: an invitation makes an invited member; its link
// sets the password, activates with the invited role and signs in, once.
func TestInviteAcceptOnce(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		admin := f.member("admin@example.com", RoleAdmin)
		link, err := f.svc.Invite(f.ctx, admin.ID, f.ws.ID, "New@Example.com", "builder")
		f.must(err)
		if link.Email != "new@example.com" || !link.ExpiresAt.Equal(f.now.Add(InviteTTL)) || len(link.Token) < 40 {
			t.Fatalf("link %+v", link)
		}
		u, _ := st.GetUserByEmail(f.ctx, "new@example.com")
		if m := f.membership(u.ID); m.Status != store.StatusInvited || m.Role != RoleBuilder {
			t.Fatalf("membership %+v", m)
		}
		info, err := f.svc.LinkDetails(f.ctx, store.LinkInvite, link.Token)
		if err != nil || !info.CanSetPassword || info.Workspace.ID != f.ws.ID {
			t.Fatalf("details %+v %v", info, err)
		}
		if _, err := f.svc.AcceptInvite(f.ctx, link.Token, "short"); !IsValidation(err) {
			t.Fatalf("short password: %v", err)
		}
		res, err := f.svc.AcceptInvite(f.ctx, link.Token, "correct horse battery")
		f.must(err)
		if res.Membership.Status != store.StatusActive || res.Membership.Role != RoleBuilder || res.SessionToken == "" {
			t.Fatalf("accept: %+v", res)
		}
		if _, err := f.svc.Authenticate(f.ctx, res.SessionToken); err != nil {
			t.Fatalf("session: %v", err)
		}
		if _, err := f.svc.AcceptInvite(f.ctx, link.Token, "another password"); !errors.Is(err, errLinkInvalid) {
			t.Fatalf("second use: %v", err)
		}
		if ev := f.events("invite."); len(ev) != 2 || ev[0].Kind != KindInviteAccept {
			t.Errorf("invite events: %+v", ev)
		}
		if _, err := f.svc.Invite(f.ctx, admin.ID, f.ws.ID, "new@example.com", "admin"); !errors.Is(err, store.ErrConflict) {
			t.Errorf("inviting an active member: %v", err)
		}
	})
}

// TestInviteResendRevokeExpire: a re-sent invitation voids the old link;
// a revoked one removes the invited membership; links expire.
func TestInviteResendRevokeExpire(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		admin := f.member("admin@example.com", RoleAdmin)
		first, err := f.svc.Invite(f.ctx, admin.ID, f.ws.ID, "kim@example.com", "end-user")
		f.must(err)
		u, _ := st.GetUserByEmail(f.ctx, "kim@example.com")
		second, err := f.svc.ResendInvite(f.ctx, admin.ID, f.ws.ID, u.ID)
		f.must(err)
		if _, err := f.svc.LinkDetails(f.ctx, store.LinkInvite, first.Token); !errors.Is(err, errLinkInvalid) {
			t.Errorf("old link after resend: %v", err)
		}
		f.now = f.now.Add(InviteTTL)
		if _, err := f.svc.AcceptInvite(f.ctx, second.Token, "correct horse battery"); !errors.Is(err, errLinkInvalid) {
			t.Errorf("expired link: %v", err)
		}
		f.must(f.svc.RevokeInvite(f.ctx, admin.ID, f.ws.ID, u.ID))
		if _, err := st.GetMembership(f.ctx, f.ws.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("membership after revoke: %v", err)
		}
		if err := f.svc.RevokeInvite(f.ctx, admin.ID, f.ws.ID, admin.ID); !IsValidation(err) {
			t.Errorf("revoking an active member: %v", err)
		}
	})
}

// TestResetLinks: an admin-shown link is refused for an account that
// reaches other workspaces; a used link sets the password and ends every
// session; "forgot password" reveals nothing about unknown addresses.
func TestResetLinks(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		admin := f.member("admin@example.com", RoleAdmin)
		bob := f.member("bob@example.com", RoleBuilder)
		tok := f.session("bob@example.com", "")
		link, err := f.svc.CreateResetLink(f.ctx, admin.ID, f.ws.ID, bob.ID, false)
		f.must(err)
		if _, _, err := f.svc.ResetPassword(f.ctx, link.Token, "brand new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(f.ctx, tok); err == nil {
			t.Error("session survived the reset")
		}
		got, _ := st.GetUser(f.ctx, bob.ID)
		if VerifyPassword(got.PasswordHash, "brand new password") != nil {
			t.Error("password not set")
		}
		if _, _, err := f.svc.ResetPassword(f.ctx, link.Token, "again again again"); !errors.Is(err, errLinkInvalid) {
			t.Errorf("reused reset link: %v", err)
		}
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		_, err = f.svc.CreateUser(f.ctx, "", other.ID, "bob@example.com", "", "", RoleEndUser)
		f.must(err)
		if _, err := f.svc.CreateResetLink(f.ctx, admin.ID, f.ws.ID, bob.ID, false); !IsValidation(err) || !strings.Contains(err.Error(), "also uses other workspaces") {
			t.Errorf("shown link for a multi-workspace account: %v", err)
		}
		if _, err := f.svc.CreateResetLink(f.ctx, admin.ID, f.ws.ID, bob.ID, true); err != nil {
			t.Errorf("mailed link: %v", err)
		}
		for _, email := range []string{"nobody@example.com", "not an email"} {
			if l, err := f.svc.RequestReset(f.ctx, f.ws.ID, email); l != nil || err != nil {
				t.Errorf("request for %q: %v %v", email, l, err)
			}
		}
		f.now = f.now.Add(ResetThrottle) // the admin's mailed link throttles "Forgot password?" until then
		if l, err := f.svc.RequestReset(f.ctx, f.ws.ID, "BOB@example.com"); err != nil || l == nil || l.ExpiresAt != f.now.Add(ResetTTL) {
			t.Errorf("request for a member: %+v %v", l, err)
		}
		f.svc.SaveLoginSettings(f.ctx, "", &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: false})
		if l, _ := f.svc.RequestReset(f.ctx, f.ws.ID, "bob@example.com"); l != nil {
			t.Error("reset link while password sign-in is off")
		}
	})
}
