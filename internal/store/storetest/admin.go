package storetest

import (
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
