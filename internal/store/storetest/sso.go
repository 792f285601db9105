package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testSSOLinks(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	c, u, u2 := mkSAMLConfig(t, s, w), mkUser(t, s), mkUser(t, s)
	_, err := s.GetSSOLink(ctx(t), c.ID, "nameid-1")
	wantErr(t, err, store.ErrNotFound, "no link yet")
	must(t, s.CreateSSOLink(ctx(t), c.ID, "nameid-1", u.ID, t0), "link")
	got, err := s.GetSSOLink(ctx(t), c.ID, "nameid-1")
	must(t, err, "get")
	if got != u.ID {
		t.Fatalf("link -> %q, want %q", got, u.ID)
	}
	wantErr(t, s.CreateSSOLink(ctx(t), c.ID, "nameid-1", u2.ID, t0), store.ErrConflict, "same NameID again")
	// NameIDs are exact (case-sensitive) per config.
	must(t, s.CreateSSOLink(ctx(t), c.ID, "NAMEID-1", u2.ID, t0), "other case")
	got, err = s.GetSSOLink(ctx(t), c.ID, "NAMEID-1")
	must(t, err, "get other case")
	if got != u2.ID {
		t.Fatalf("case-distinct NameID -> %q, want %q", got, u2.ID)
	}
	wantErr(t, s.CreateSSOLink(ctx(t), "missing-config", "n", u.ID, t0), store.ErrNotFound, "missing config")
}

func testRequests(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	c := mkSAMLConfig(t, s, w)
	r := &store.OutstandingRequest{ID: "_req1", ConfigID: c.ID, RedirectTo: "/apps", ExpiresAt: t0.Add(10 * time.Minute)}
	must(t, s.SaveRequest(ctx(t), r), "save")
	wantErr(t, s.SaveRequest(ctx(t), r), store.ErrConflict, "save twice")

	got, err := s.GetRequest(ctx(t), c.ID, "_req1", t0)
	must(t, err, "get")
	if got.ID != "_req1" || got.ConfigID != c.ID || got.RedirectTo != "/apps" || !got.ExpiresAt.Equal(r.ExpiresAt) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetRequest(ctx(t), "other-config", "_req1", t0)
	wantErr(t, err, store.ErrNotFound, "other config")
	_, err = s.GetRequest(ctx(t), c.ID, "_req1", r.ExpiresAt)
	wantErr(t, err, store.ErrNotFound, "get at expiry")
	_, err = s.ConsumeRequest(ctx(t), c.ID, "_req1", r.ExpiresAt.Add(time.Second))
	wantErr(t, err, store.ErrNotFound, "consume expired")
	_, err = s.ConsumeRequest(ctx(t), "other-config", "_req1", t0)
	wantErr(t, err, store.ErrNotFound, "consume through another config")

	got, err = s.ConsumeRequest(ctx(t), c.ID, "_req1", t0.Add(time.Minute))
	must(t, err, "consume")
	if got.RedirectTo != "/apps" || !got.ExpiresAt.Equal(r.ExpiresAt) {
		t.Fatalf("consumed %+v", got)
	}
	_, err = s.ConsumeRequest(ctx(t), c.ID, "_req1", t0.Add(time.Minute))
	wantErr(t, err, store.ErrNotFound, "consume twice")
	_, err = s.GetRequest(ctx(t), c.ID, "_req1", t0)
	wantErr(t, err, store.ErrNotFound, "get after consume")
}

func testReplay(t *testing.T, s store.Store) {
	exp := t0.Add(5 * time.Minute)
	must(t, s.MarkAssertionUsed(ctx(t), "_a1", exp), "first use")
	wantErr(t, s.MarkAssertionUsed(ctx(t), "_a1", exp), store.ErrReplay, "second use")
	wantErr(t, s.MarkAssertionUsed(ctx(t), "_a1", exp.Add(time.Hour)), store.ErrReplay, "second use, later expiry")
	must(t, s.MarkAssertionUsed(ctx(t), "_A1", exp), "IDs are case-sensitive")
	// After cleanup past its expiry the ID is forgotten (the assertion
	// itself is expired by then, so no replay can pass validation).
	_, err := s.DeleteExpired(ctx(t), exp, 0)
	must(t, err, "cleanup")
	must(t, s.MarkAssertionUsed(ctx(t), "_a1", exp.Add(time.Hour)), "use after cleanup")
}
