package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testOIDCEvictAuthRequests: at a workspace's cap the oldest unfinished
// pending requests of the owner holding the most give way; finished ones
// (with a code), expired ones, other owners' and other workspaces' are
// kept.
func testOIDCEvictAuthRequests(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	c, oc := mkOIDCClient(t, s, w), mkOIDCClient(t, s, other)
	owner := "2001:db8::/48"
	mk := func(ws string, client string, at time.Time) *store.OIDCAuthRequest {
		r := &store.OIDCAuthRequest{WorkspaceID: ws, ClientID: client, Owner: owner, Data: []byte(`{}`), CreatedAt: at, ExpiresAt: at.Add(10 * time.Minute)}
		must(t, s.CreateOIDCAuthRequest(ctx(t), r), "create")
		return r
	}
	now := t0.Add(5 * time.Minute)
	expired := mk(w.ID, c.ID, t0.Add(-10*time.Minute))
	withCode := mk(w.ID, c.ID, t0)
	must(t, s.SetOIDCAuthCode(ctx(t), w.ID, withCode.ID, hashOf("evict-code")), "code")
	oldest := mk(w.ID, c.ID, t0.Add(time.Second))
	second := mk(w.ID, c.ID, t0.Add(2*time.Second))
	newest := mk(w.ID, c.ID, t0.Add(3*time.Second))
	foreign := mk(other.ID, oc.ID, t0)
	// Another client's requests, older and expired ones included, are
	// not the flood's: they stay.
	owner = "192.0.2.55"
	victim := mk(w.ID, c.ID, t0.Add(-time.Second))
	mk(w.ID, c.ID, t0.Add(-20*time.Minute))
	mk(w.ID, c.ID, t0.Add(-20*time.Minute))
	mk(other.ID, oc.ID, t0)
	mk(other.ID, oc.ID, t0)
	if got, err := s.GetOIDCAuthRequest(ctx(t), w.ID, victim.ID, now); err != nil || got.Owner != owner {
		t.Fatalf("owner not stored: %+v, %v", got, err)
	}
	n, err := s.EvictOIDCAuthRequests(ctx(t), w.ID, 2, now)
	must(t, err, "evict")
	if n != 2 {
		t.Fatalf("evicted %d, want 2", n)
	}
	for _, r := range []*store.OIDCAuthRequest{oldest, second} {
		_, err := s.GetOIDCAuthRequest(ctx(t), w.ID, r.ID, now)
		wantErr(t, err, store.ErrNotFound, "evicted request")
	}
	for _, r := range []*store.OIDCAuthRequest{withCode, newest, foreign, victim} {
		_, err := s.GetOIDCAuthRequest(ctx(t), r.WorkspaceID, r.ID, now)
		must(t, err, "kept request")
	}
	if n, err := s.CountOIDCAuthRequests(ctx(t), w.ID, now); err != nil || n != 3 {
		t.Fatalf("count after eviction = %d, %v; want 3", n, err)
	}
	// Now the flood's owner holds one (newest, and withCode has a code)
	// and so does the victim's: the tie goes to the older holder.
	if n, err := s.EvictOIDCAuthRequests(ctx(t), w.ID, 1, now); err != nil || n != 1 {
		t.Fatalf("evict at a tie = %d, %v", n, err)
	}
	_, err = s.GetOIDCAuthRequest(ctx(t), w.ID, victim.ID, now)
	wantErr(t, err, store.ErrNotFound, "older holder's request at a tie")
	_ = expired
	if n, err := s.EvictOIDCAuthRequests(ctx(t), w.ID, 0, now); err != nil || n != 0 {
		t.Fatalf("evict 0 = %d, %v", n, err)
	}
}
