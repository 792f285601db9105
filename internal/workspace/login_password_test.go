package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestPasswordLogin(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(false)
		u, err := f.svc.CreateUser(f.ctx, "", f.ws.ID, "Pat@Example.com", "Pat", "s3cret-pass", RoleBuilder)
		f.must(err)
		res, err := f.svc.PasswordLogin(f.ctx, f.ws, " PAT@example.com ", "s3cret-pass", "tr-1")
		f.must(err)
		if res.User.ID != u.ID || res.Membership.Role != RoleBuilder || res.Session.ConfigID != "" || res.SessionToken == "" {
			t.Errorf("result: %+v", res)
		}
		if _, err := f.svc.Authenticate(f.ctx, res.SessionToken); err != nil {
			t.Errorf("session does not authenticate: %v", err)
		}
		// Wrong password, unknown account, no password, malformed email:
		// one generic error.
		f.member("sso-only@example.com", RoleEndUser)
		for _, c := range [][2]string{{"pat@example.com", "wrong-pass"}, {"nobody@example.com", "s3cret-pass"},
			{"sso-only@example.com", ""}, {"not an email", "s3cret-pass"}} {
			_, err := f.svc.PasswordLogin(f.ctx, f.ws, c[0], c[1], "tr")
			ae := wantAccess(t, err, CodeInvalidCredentials)
			if ae.Message != MsgInvalidCredentials {
				t.Errorf("%v: message %q", c, ae.Message)
			}
		}
		// The access rules apply once the password is right.
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, u.ID, store.StatusArchived))
		_, err = f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "s3cret-pass", "tr")
		wantAccess(t, err, CodeArchivedInWorkspace)
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, u.ID, store.StatusInvited))
		res, err = f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "s3cret-pass", "tr")
		f.must(err)
		if res.Membership.Status != store.StatusActive {
			t.Errorf("invited member not activated by a password login: %q", res.Membership.Status)
		}
		// Not a member of another workspace: never provisioned, even with signup on.
		other, err := f.svc.CreateWorkspace(f.ctx, "", "Other", "other")
		f.must(err)
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: other.ID, PasswordLogin: true, Signup: true}))
		_, err = f.svc.PasswordLogin(f.ctx, other, "pat@example.com", "s3cret-pass", "tr")
		wantAccess(t, err, CodeNotAMember)
		if _, err := st.GetMembership(f.ctx, other.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("password login created a membership: %v", err)
		}
		// Password login turned off.
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: false}))
		_, err = f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "s3cret-pass", "tr")
		wantAccess(t, err, CodePasswordLoginDisabled)
		// Instance-wide archive.
		f.must(st.SaveLoginSettings(f.ctx, &store.LoginSettings{WorkspaceID: f.ws.ID, PasswordLogin: true}))
		f.must(f.svc.ArchiveUser(f.ctx, "", "pat@example.com", ""))
		_, err = f.svc.PasswordLogin(f.ctx, f.ws, "pat@example.com", "s3cret-pass", "tr")
		wantAccess(t, err, CodeArchivedInstance)

		// A password typed into the email field never reaches the audit log.
		_, err = f.svc.PasswordLogin(f.ctx, f.ws, "Tr0ub4dor&3", "x", "tr")
		wantAccess(t, err, CodeInvalidCredentials)
		if ev := f.events(KindLoginFailure); strings.Contains(string(ev[0].Details), "Tr0ub4dor") || strings.Contains(ev[0].Message, "Tr0ub4dor") {
			t.Errorf("audit event keeps the non-email input: %s", ev[0].Details)
		}
		fails := f.events(KindLoginFailure)
		if len(fails) != 8 || fails[1].Reason != CodeArchivedInstance {
			t.Errorf("%d failure events (want 8: the not-a-member one is in the other workspace), newest %+v", len(fails), fails[0])
		}
	})
}
