package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testForwardSessionIdentity: the forward-auth cookie's hash finds its
// session's identity, the session token's hash does not (and the other
// way round), it ends with the session, and sessions without a forward
// token (NULL, any number of them) are never found by an empty hash.
func testForwardSessionIdentity(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	u := mkUser(t, s)
	mkMember(t, s, w, u, "builder")
	g := &store.Group{WorkspaceID: w.ID, Name: "ops", CreatedAt: t0}
	must(t, s.CreateGroup(ctx(t), g), "group")
	must(t, s.AddGroupMember(ctx(t), g.ID, u.ID), "group member")
	exp := t0.Add(time.Hour)
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fc-session"), ForwardHash: hashOf("fc-forward"),
		UserID: u.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), "session")
	for i := range 2 {
		must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fc-none-" + string(rune('a'+i))),
			UserID: u.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), "session without a forward token")
	}
	wantErr(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fc-dup"), ForwardHash: hashOf("fc-forward"),
		UserID: u.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), store.ErrConflict, "same forward hash twice")

	got, err := s.ForwardSessionIdentity(ctx(t), hashOf("fc-forward"), t0)
	must(t, err, "forward identity")
	if got.UserID != u.ID || got.WorkspaceSlug != w.Slug || got.Role != "builder" || !got.ExpiresAt.Equal(exp) ||
		!slices.Equal(got.Groups, []string{"ops"}) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.ForwardSessionIdentity(ctx(t), hashOf("fc-session"), t0)
	wantErr(t, err, store.ErrNotFound, "session hash as forward hash")
	_, err = s.SessionIdentity(ctx(t), hashOf("fc-forward"), t0)
	wantErr(t, err, store.ErrNotFound, "forward hash as session hash")
	_, err = s.ForwardSessionIdentity(ctx(t), nil, t0)
	wantErr(t, err, store.ErrNotFound, "empty forward hash")
	_, err = s.ForwardSessionIdentity(ctx(t), hashOf("fc-forward"), exp)
	wantErr(t, err, store.ErrNotFound, "at expiry")

	must(t, s.DeleteSession(ctx(t), hashOf("fc-session")), "sign out")
	_, err = s.ForwardSessionIdentity(ctx(t), hashOf("fc-forward"), t0)
	wantErr(t, err, store.ErrNotFound, "after the session ended")
}
