package workspace

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestArchiveEndsAccess: archiving a member (in the workspace or
// instance-wide) deletes their sessions and API tokens, so neither works
// again after unarchiving; losing the admin role deletes their tokens, so
// none revives after re-promotion (docs/access-rules.md, "Ending access").
func TestArchiveEndsAccess(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.member("keeper@example.com", RoleAdmin)
		pat := f.member("pat@example.com", RoleAdmin)
		signIn := func() string {
			t.Helper()
			res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com"))
			f.must(err)
			return res.SessionToken
		}
		newToken := func() string {
			t.Helper()
			tok, _, err := f.svc.CreateAPIToken(f.ctx, pat.ID, f.ws.ID, "ci")
			f.must(err)
			return tok
		}
		gone := func(what, session, token string) {
			t.Helper()
			if session != "" {
				if _, err := f.svc.Authenticate(f.ctx, session); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s: old session still authenticates (err %v)", what, err)
				}
			}
			if token != "" {
				if _, err := f.svc.AuthenticateAPIToken(f.ctx, token); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s: old API token still exists (err %v)", what, err)
				}
			}
		}

		// Archived in the workspace, then unarchived.
		sess, tok := signIn(), newToken()
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusArchived))
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusActive))
		gone("after unarchiving", sess, tok)
		ev := f.events(KindMembershipStatus)[0]
		var d map[string]any
		f.must(json.Unmarshal(ev.Details, &d))
		if ev.Reason != "" || d["after"] != store.StatusActive {
			t.Fatalf("newest status event: %+v", ev)
		}
		f.must(json.Unmarshal(f.events(KindMembershipStatus)[1].Details, &d))
		if d["sessions_ended"] != 1.0 || d["api_tokens_revoked"] != 1.0 {
			t.Errorf("archive event details: %v", d)
		}

		// Set back to invited: the same.
		sess, tok = signIn(), newToken()
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusInvited))
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusActive))
		gone("after re-activation", sess, tok)

		// Demoted, then promoted again: the token stays revoked, the
		// session (a member's own) stays.
		sess, tok = signIn(), newToken()
		f.must(f.svc.SetMemberRole(f.ctx, "", f.ws.ID, pat.ID, RoleBuilder))
		f.must(f.svc.SetMemberRole(f.ctx, "", f.ws.ID, pat.ID, RoleAdmin))
		gone("after re-promotion", "", tok)
		if _, err := f.svc.Authenticate(f.ctx, sess); err != nil {
			t.Errorf("a demotion ended the member's session: %v", err)
		}

		// Archived instance-wide, then restored by the operator.
		sess, tok = signIn(), newToken()
		f.must(f.svc.ArchiveUser(f.ctx, "", "pat@example.com", ""))
		u, err := st.GetUser(f.ctx, pat.ID)
		f.must(err)
		u.Archived = false
		f.must(st.UpdateUser(f.ctx, u))
		gone("after instance-wide unarchiving", sess, tok)

		// Other members keep theirs.
		keeper, err := st.GetUserByEmail(f.ctx, "keeper@example.com")
		f.must(err)
		ktok, _, err := f.svc.CreateAPIToken(f.ctx, keeper.ID, f.ws.ID, "keeper")
		f.must(err)
		f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusArchived))
		if _, err := f.svc.AuthenticateAPIToken(f.ctx, ktok); err != nil {
			t.Errorf("archiving pat revoked keeper's token: %v", err)
		}
	})
}

// TestLastAdminIgnoresInstanceArchived: an admin archived instance-wide
// is not an active admin, so the one admin left cannot be demoted or
// archived (docs/access-rules.md).
func TestLastAdminIgnoresInstanceArchived(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		pat := f.member("pat@example.com", RoleAdmin)
		f.member("gone@example.com", RoleAdmin)
		f.must(f.svc.ArchiveUser(f.ctx, "", "gone@example.com", ""))
		// The operator (actor "") meets the last-admin rule itself (an
		// admin acting on themselves is refused earlier, as self-lockout).
		if err := f.svc.SetMemberRole(f.ctx, "", f.ws.ID, pat.ID, RoleEndUser); err == nil || !strings.Contains(err.Error(), "last active admin") {
			t.Fatalf("demoting the last active admin (the other admin is archived instance-wide): %v", err)
		}
		if err := f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, pat.ID, store.StatusArchived); err == nil || !strings.Contains(err.Error(), "last active admin") {
			t.Fatalf("archiving the last active admin: %v", err)
		}
		if m := f.membership(pat.ID); m.Role != RoleAdmin || m.Status != store.StatusActive {
			t.Fatalf("membership changed: %+v", m)
		}
		// The instance-archived admin's own membership can change freely.
		gone, err := st.GetUserByEmail(f.ctx, "gone@example.com")
		f.must(err)
		f.must(f.svc.SetMemberRole(f.ctx, "", f.ws.ID, gone.ID, RoleEndUser))
		n, err := st.CountActiveAdmins(f.ctx, f.ws.ID)
		f.must(err)
		if n != 1 {
			t.Fatalf("CountActiveAdmins = %d, want 1", n)
		}
	})
}

// TestConcurrentDemotionsKeepAnAdmin: the two admins of a workspace
// demoting each other at the same instant must not both succeed (an admin
// cannot demote themselves at all).
func TestConcurrentDemotionsKeepAnAdmin(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		a := f.member("a@example.com", RoleAdmin)
		b := f.member("b@example.com", RoleAdmin)
		for round := range 15 {
			errs := make([]error, 2)
			var wg sync.WaitGroup
			pairs := [][2]*store.User{{a, b}, {b, a}} // actor, target
			for i, p := range pairs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = f.svc.SetMemberRole(f.ctx, p[0].ID, f.ws.ID, p[1].ID, RoleEndUser)
				}()
			}
			wg.Wait()
			n, err := st.CountActiveAdmins(f.ctx, f.ws.ID)
			f.must(err)
			if n != 1 {
				t.Fatalf("round %d: %d active admins after two concurrent demotions (errors %v)", round, n, errs)
			}
			for _, u := range []*store.User{a, b} {
				f.must(f.svc.SetMemberRole(f.ctx, "", f.ws.ID, u.ID, RoleAdmin))
			}
		}
	})
}

// TestSyncDemotionRevokesTokens: group sync taking the admin role away at
// sign-in deletes the API tokens the member created, like a demotion on
// the admin page.
func TestSyncDemotionRevokesTokens(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		f.member("keeper@example.com", RoleAdmin)
		pat := f.member("pat@example.com", RoleAdmin)
		tok, _, err := f.svc.CreateAPIToken(f.ctx, pat.ID, f.ws.ID, "ci")
		f.must(err)
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", "admin"))
		f.must(err)
		if _, err := f.svc.AuthenticateAPIToken(f.ctx, tok); err != nil {
			t.Fatalf("a sign-in that kept the admin role revoked the token: %v", err)
		}
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", "end-user"))
		f.must(err)
		if m := f.membership(pat.ID); m.Role != RoleEndUser {
			t.Fatalf("role after sync: %q", m.Role)
		}
		if _, err := f.svc.AuthenticateAPIToken(f.ctx, tok); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("token of an admin demoted by group sync still exists: %v", err)
		}
	})
}
