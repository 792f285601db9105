package workspace

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Regression tests of the second security review (docs/decisions.md,
// "Review 2: invitations and reset links").

// A password set through an invitation link the inviting admin could see
// must not let that admin into another workspace the account joins later.
func TestReview2InvitePreHijack(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st) // victim workspace "acme": SSO + JIT + password sign-in
		f.settings(true)
		evil, err := f.svc.CreateWorkspace(f.ctx, "", "Evil", "evil")
		f.must(err)
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: evil.ID, PasswordLogin: true}))
		mallory, err := f.svc.CreateUser(f.ctx, "", evil.ID, "mallory@evil.example", "", "", RoleAdmin)
		f.must(err)
		link, err := f.svc.Invite(f.ctx, mallory.ID, evil.ID, "pat@example.com", RoleEndUser)
		f.must(err)
		_, err = f.svc.AcceptInvite(f.ctx, link.Token, "mallory chose this")
		f.must(err)
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com"))
		f.must(err)
		if _, err := f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "mallory chose this", "t"); err == nil {
			t.Errorf("evil's admin signs in to acme as pat@example.com with the password he set through his own invitation")
		}
		// The password still works where it was set.
		if _, err := f.svc.PasswordLogin(f.ctx, evil, "pat@example.com", "mallory chose this", "t"); err != nil {
			t.Errorf("the invitation's password no longer works in its own workspace: %v", err)
		}
		// A mailed reset link proves the mailbox: the password then works everywhere.
		reset, err := f.svc.RequestReset(f.ctx, f.ws.ID, "pat@example.com")
		f.must(err)
		if reset == nil {
			t.Fatal("no reset link for an active member")
		}
		_, _, err = f.svc.ResetPassword(f.ctx, reset.Token, "pat chose this one")
		f.must(err)
		for _, ws := range []*store.Workspace{f.ws, evil} {
			if _, err := f.svc.PasswordLogin(f.ctx, ws, "pat@example.com", "pat chose this one", "t"); err != nil {
				t.Errorf("password from a mailed reset refused in %s: %v", ws.Slug, err)
			}
		}
	})
}

// An admin-chosen password of a new account (CreateUser by an admin) is
// limited to that workspace as well.
func TestReview2AdminCreatedPasswordLimited(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		evil, err := f.svc.CreateWorkspace(f.ctx, "", "Evil", "evil")
		f.must(err)
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: evil.ID, PasswordLogin: true}))
		mallory, err := f.svc.CreateUser(f.ctx, "", evil.ID, "mallory@evil.example", "", "", RoleAdmin)
		f.must(err)
		_, err = f.svc.CreateUser(f.ctx, mallory.ID, evil.ID, "pat@example.com", "", "mallory chose this", RoleEndUser)
		f.must(err)
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com"))
		f.must(err)
		if _, err := f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "mallory chose this", "t"); err == nil {
			t.Errorf("an admin-chosen password works in another workspace")
		}
	})
}

// A reset link shown to the admin is checked again when it is used.
func TestReview2ResetLinkShownThenJoins(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(false)
		admin := f.member("admin@example.com", RoleAdmin)
		pat := f.member("pat@example.com", RoleEndUser)
		link, err := f.svc.CreateResetLink(f.ctx, admin.ID, f.ws.ID, pat.ID, false) // shown to the admin
		f.must(err)
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: other.ID, PasswordLogin: true}))
		_, err = f.svc.CreateUser(f.ctx, "", other.ID, "pat@example.com", "", "", RoleAdmin)
		f.must(err)
		if _, _, err := f.svc.ResetPassword(f.ctx, link.Token, "admin of acme chose this"); err == nil {
			t.Errorf("a shown reset link still works after the account joined another workspace")
		}
		if _, err := f.svc.PasswordLogin(f.ctx, other, "pat@example.com", "admin of acme chose this", "t"); err == nil {
			t.Errorf("acme's admin used a shown reset link to sign in to another workspace as pat")
		}
	})
}

// A reset link is refused at use once password sign-in is off.
func TestReview2ResetLinkPasswordLoginOff(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(false)
		pat := f.member("pat@example.com", RoleEndUser)
		link, err := f.svc.CreateResetLink(f.ctx, "", f.ws.ID, pat.ID, true)
		f.must(err)
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: false}))
		if _, _, err := f.svc.ResetPassword(f.ctx, link.Token, "a long enough password"); err == nil {
			t.Errorf("a reset link set a password while password sign-in is off")
		}
	})
}

// Forgot password: while a reset link younger than the throttle exists,
// another request makes, mails and audits nothing.
func TestReview2ResetThrottle(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(false)
		f.member("pat@example.com", RoleEndUser)
		first, err := f.svc.RequestReset(f.ctx, f.ws.ID, "pat@example.com")
		f.must(err)
		if first == nil {
			t.Fatal("no first link")
		}
		again, err := f.svc.RequestReset(f.ctx, f.ws.ID, "pat@example.com")
		f.must(err)
		if again != nil {
			t.Errorf("a second reset link was made at once after the first")
		}
		if n := len(f.events(KindResetCreate)); n != 1 {
			t.Errorf("%d reset.create audit events, want 1", n)
		}
		f.now = f.now.Add(ResetThrottle - time.Second)
		if again, _ := f.svc.RequestReset(f.ctx, f.ws.ID, "pat@example.com"); again != nil {
			t.Errorf("a second reset link was made before the throttle ended")
		}
		f.now = f.now.Add(time.Second)
		later, err := f.svc.RequestReset(f.ctx, f.ws.ID, "pat@example.com")
		f.must(err)
		if later == nil {
			t.Fatalf("no link once the throttle ended")
		}
		if _, _, err := f.svc.ResetPassword(f.ctx, later.Token, "a long enough password"); err != nil {
			t.Errorf("the newest link does not work: %v", err)
		}
	})
}
