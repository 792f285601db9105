package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testAPITokenExpiryAndUse: expiry round-trips and TouchAPIToken only
// moves the last-use time forward.
func testAPITokenExpiryAndUse(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	tok := &store.APIToken{WorkspaceID: w.ID, Name: "ci", TokenHash: hashOf("expiring"), CreatedBy: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(48 * time.Hour)}
	must(t, s.CreateAPIToken(ctx(t), tok), "create")
	got, err := s.GetAPIToken(ctx(t), hashOf("expiring"))
	must(t, err, "get")
	if !got.ExpiresAt.Equal(tok.ExpiresAt) || !got.LastUsedAt.IsZero() {
		t.Fatalf("got expires %v last used %v", got.ExpiresAt, got.LastUsedAt)
	}
	must(t, s.TouchAPIToken(ctx(t), tok.ID, t0.Add(time.Hour)), "touch")
	must(t, s.TouchAPIToken(ctx(t), tok.ID, t0.Add(time.Minute)), "touch with an older time")
	got, err = s.GetAPIToken(ctx(t), hashOf("expiring"))
	must(t, err, "get after touch")
	if !got.LastUsedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("last used %v, want %v (never moved back)", got.LastUsedAt, t0.Add(time.Hour))
	}
	never := &store.APIToken{WorkspaceID: w.ID, Name: "forever", TokenHash: hashOf("forever"), CreatedBy: u.ID, CreatedAt: t0}
	must(t, s.CreateAPIToken(ctx(t), never), "create without expiry")
	if got, _ := s.GetAPIToken(ctx(t), hashOf("forever")); !got.ExpiresAt.IsZero() {
		t.Fatalf("token without expiry reads back %v", got.ExpiresAt)
	}
}

// testSSOLinkedUsers lists each linked user once, only for its config.
func testSSOLinkedUsers(t *testing.T, s store.Store) {
	w, w2 := mkWorkspace(t, s), mkWorkspace(t, s)
	c, c2 := mkSAMLConfig(t, s, w), mkSAMLConfig(t, s, w2)
	a, b, other := mkUser(t, s), mkUser(t, s), mkUser(t, s)
	must(t, s.CreateSSOLink(ctx(t), c.ID, "a-1", a.ID, t0), "link a")
	must(t, s.CreateSSOLink(ctx(t), c.ID, "a-2", a.ID, t0), "link a again")
	must(t, s.CreateSSOLink(ctx(t), c.ID, "b-1", b.ID, t0), "link b")
	must(t, s.CreateSSOLink(ctx(t), c2.ID, "o-1", other.ID, t0), "link other")
	got, err := s.SSOLinkedUsers(ctx(t), c.ID)
	must(t, err, "list")
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("linked users %v, want %v", got, want)
	}
	if got, err := s.SSOLinkedUsers(ctx(t), "no-such-config"); err != nil || len(got) != 0 {
		t.Fatalf("unknown config: %v %v", got, err)
	}
}

// testAuditFilters: trace ID (exact) and the time window select events.
func testAuditFilters(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	for i, trace := range []string{"t-a", "t-b", "t-a", ""} {
		must(t, s.AppendAudit(ctx(t), &store.AuditEvent{WorkspaceID: w.ID, Kind: "login.failure", TraceID: trace,
			CreatedAt: t0.Add(time.Duration(i) * time.Hour)}), "append")
	}
	got, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, TraceID: "t-a"})
	must(t, err, "by trace")
	if len(got) != 2 || got[0].TraceID != "t-a" || !got[0].CreatedAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("by trace: %+v", got)
	}
	got, err = s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, Since: t0.Add(time.Hour), Until: t0.Add(3 * time.Hour)})
	must(t, err, "by time")
	if len(got) != 2 || !got[0].CreatedAt.Equal(t0.Add(2*time.Hour)) || !got[1].CreatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("by time: %+v", got)
	}
	if got, _ := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, TraceID: "t-%"}); len(got) != 0 {
		t.Fatalf("trace ID matched as a pattern: %+v", got)
	}
}

// testUserLinks: links are single-use (one of two concurrent consumers
// wins), expire, are per kind, and are revoked per member.
func testUserLinks(t *testing.T, s store.Store) {
	w, u, admin := mkWorkspace(t, s), mkUser(t, s), mkUser(t, s)
	mkMember(t, s, w, u, "end-user")
	inv := &store.UserLink{TokenHash: hashOf("inv"), Kind: store.LinkInvite, WorkspaceID: w.ID, UserID: u.ID, Role: "builder",
		CreatedBy: admin.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	must(t, s.CreateUserLink(ctx(t), inv), "create invite")
	must(t, s.CreateUserLink(ctx(t), &store.UserLink{TokenHash: hashOf("rst"), Kind: store.LinkReset, WorkspaceID: w.ID, UserID: u.ID,
		CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), Mailed: true}), "create reset")
	wantErr(t, s.CreateUserLink(ctx(t), &store.UserLink{TokenHash: hashOf("inv"), Kind: store.LinkReset, WorkspaceID: w.ID, UserID: u.ID,
		ExpiresAt: t0}), store.ErrConflict, "same hash")

	_, err := s.GetUserLink(ctx(t), store.LinkReset, hashOf("inv"), t0)
	wantErr(t, err, store.ErrNotFound, "invite token used as a reset")
	got, err := s.GetUserLink(ctx(t), store.LinkInvite, hashOf("inv"), t0)
	must(t, err, "get")
	if got.Role != "builder" || got.CreatedBy != admin.ID || !got.ExpiresAt.Equal(inv.ExpiresAt) || got.Mailed {
		t.Fatalf("got %+v", got)
	}
	if rst, err := s.GetUserLink(ctx(t), store.LinkReset, hashOf("rst"), t0); err != nil || !rst.Mailed {
		t.Fatalf("mailed reset link: %+v %v", rst, err)
	}
	_, err = s.GetUserLink(ctx(t), store.LinkInvite, hashOf("inv"), t0.Add(time.Hour))
	wantErr(t, err, store.ErrNotFound, "expired")
	if l, err := s.ListUserLinks(ctx(t), store.LinkInvite, w.ID, t0); err != nil || len(l) != 1 {
		t.Fatalf("list: %v %v", l, err)
	}

	results := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := s.ConsumeUserLink(ctx(t), store.LinkInvite, hashOf("inv"), t0)
			results <- err
		}()
	}
	ok := 0
	for range 2 {
		if err := <-results; err == nil {
			ok++
		} else if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("consume: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d consumers succeeded, want exactly 1", ok)
	}
	n, err := s.DeleteUserLinks(ctx(t), store.LinkReset, w.ID, u.ID)
	if err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("s1"), UserID: u.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}), "session")
	if n, err := s.DeleteUserSessions(ctx(t), u.ID, w.ID); err != nil || n != 1 {
		t.Fatalf("delete sessions: %d %v", n, err)
	}
	must(t, s.DeleteMembership(ctx(t), w.ID, u.ID), "delete membership")
	_, err = s.GetMembership(ctx(t), w.ID, u.ID)
	wantErr(t, err, store.ErrNotFound, "membership after delete")
	wantErr(t, s.DeleteMembership(ctx(t), w.ID, u.ID), store.ErrNotFound, "delete twice")
}
