package workspace

import (
	"context"
	"slices"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Every path that ends a member's sign-ins tells the OnSignOut hook, so
// that applications' tokens end too (docs/oidc.md).
func TestSignOutHookPaths(t *testing.T) {
	f := newFixture(t, openSQLite(t))
	var events []SignOutEvent
	f.svc.OnSignOut = func(_ context.Context, ev SignOutEvent) { events = append(events, ev) }
	req := SCIMRequest{Verb: "DELETE", Resource: "Users"}
	su, err := f.svc.SCIMCreateUser(f.ctx, f.ws, req, SCIMUserInput{UserName: "sam@example.com", Email: "sam@example.com",
		Active: true, Resource: []byte(`{"userName":"sam@example.com"}`)})
	f.must(err)
	f.must(f.svc.SCIMDeleteUser(f.ctx, f.ws, req, su.User.ID))
	u, err := f.svc.CreateUser(f.ctx, "", f.ws.ID, "ann@example.com", "Ann", "", RoleEndUser)
	f.must(err)
	f.must(f.svc.SetMemberStatus(f.ctx, "", f.ws.ID, u.ID, store.StatusArchived))
	f.must(f.svc.ArchiveUser(f.ctx, "", "ann@example.com", ""))
	f.svc.EndIdPSessions(f.ctx, f.cfg, "nameid-1", "idx", "")
	want := []SignOutEvent{
		{Member: &MemberRef{WorkspaceID: f.ws.ID, UserID: su.User.ID}},
		{Member: &MemberRef{WorkspaceID: f.ws.ID, UserID: u.ID}},
		{Member: &MemberRef{UserID: u.ID}},
		{SSO: &SSOSessions{ConfigID: f.cfg.ID, NameID: "nameid-1", SessionIndex: "idx"}},
	}
	if !slices.EqualFunc(events, want, func(a, b SignOutEvent) bool {
		switch {
		case a.Member != nil && b.Member != nil:
			return *a.Member == *b.Member
		case a.SSO != nil && b.SSO != nil:
			return *a.SSO == *b.SSO
		}
		return false
	}) {
		t.Fatalf("events = %+v, want %+v", events, want)
	}
}
