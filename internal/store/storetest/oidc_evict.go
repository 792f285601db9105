package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testOIDCEvictAuthRequests: at a workspace's cap the oldest unfinished
// pending requests give way; finished ones (with a code), expired ones and
// other workspaces' are kept.
func testOIDCEvictAuthRequests(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	c, oc := mkOIDCClient(t, s, w), mkOIDCClient(t, s, other)
	mk := func(ws string, client string, at time.Time) *store.OIDCAuthRequest {
		r := &store.OIDCAuthRequest{WorkspaceID: ws, ClientID: client, Data: []byte(`{}`), CreatedAt: at, ExpiresAt: at.Add(10 * time.Minute)}
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
	n, err := s.EvictOIDCAuthRequests(ctx(t), w.ID, 2, now)
	must(t, err, "evict")
	if n != 2 {
		t.Fatalf("evicted %d, want 2", n)
	}
	for _, r := range []*store.OIDCAuthRequest{oldest, second} {
		_, err := s.GetOIDCAuthRequest(ctx(t), w.ID, r.ID, now)
		wantErr(t, err, store.ErrNotFound, "evicted request")
	}
	for _, r := range []*store.OIDCAuthRequest{withCode, newest, foreign} {
		_, err := s.GetOIDCAuthRequest(ctx(t), r.WorkspaceID, r.ID, now)
		must(t, err, "kept request")
	}
	if n, err := s.CountOIDCAuthRequests(ctx(t), w.ID, now); err != nil || n != 2 {
		t.Fatalf("count after eviction = %d, %v; want 2", n, err)
	}
	_ = expired
	if n, err := s.EvictOIDCAuthRequests(ctx(t), w.ID, 0, now); err != nil || n != 0 {
		t.Fatalf("evict 0 = %d, %v", n, err)
	}
}
