package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testProtectedSites(t *testing.T, s store.Store) {
	w1, w2 := mkWorkspace(t, s), mkWorkspace(t, s)
	a := &store.ProtectedSite{WorkspaceID: w1.ID, Origin: "https://dash.example.com", CreatedAt: t0}
	must(t, s.CreateSite(ctx(t), a), "create")
	must(t, s.CreateSite(ctx(t), &store.ProtectedSite{WorkspaceID: w1.ID, Origin: "https://docs.example.com", CreatedAt: t0}), "create second")
	wantErr(t, s.CreateSite(ctx(t), &store.ProtectedSite{WorkspaceID: w1.ID, Origin: "https://dash.example.com", CreatedAt: t0}),
		store.ErrConflict, "same origin twice")
	must(t, s.CreateSite(ctx(t), &store.ProtectedSite{WorkspaceID: w2.ID, Origin: "https://dash.example.com", CreatedAt: t0}), "same origin, other workspace")
	wantErr(t, s.CreateSite(ctx(t), &store.ProtectedSite{WorkspaceID: "no-such-workspace", Origin: "https://x.example.com", CreatedAt: t0}),
		store.ErrNotFound, "unknown workspace")
	list, err := s.ListSites(ctx(t), w1.ID)
	must(t, err, "list")
	if len(list) != 2 || list[0].Origin != "https://dash.example.com" || list[1].Origin != "https://docs.example.com" ||
		list[0].ID != a.ID || !list[0].CreatedAt.Equal(t0) {
		t.Fatalf("list %+v", list)
	}
	wantErr(t, s.DeleteSite(ctx(t), w2.ID, a.ID), store.ErrNotFound, "delete through another workspace")
	must(t, s.DeleteSite(ctx(t), w1.ID, a.ID), "delete")
	wantErr(t, s.DeleteSite(ctx(t), w1.ID, a.ID), store.ErrNotFound, "delete twice")
	if list, _ := s.ListSites(ctx(t), w1.ID); len(list) != 1 {
		t.Fatalf("after delete: %+v", list)
	}
}

func testSessionIdentity(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	u := mkUser(t, s)
	mkMember(t, s, w, u, "builder")
	mkMember(t, s, other, u, "admin")
	for _, name := range []string{"ops", "dev"} {
		g := &store.Group{WorkspaceID: w.ID, Name: name, CreatedAt: t0}
		must(t, s.CreateGroup(ctx(t), g), "group")
		must(t, s.AddGroupMember(ctx(t), g.ID, u.ID), "group member")
	}
	og := &store.Group{WorkspaceID: other.ID, Name: "secret", CreatedAt: t0}
	must(t, s.CreateGroup(ctx(t), og), "other group")
	must(t, s.AddGroupMember(ctx(t), og.ID, u.ID), "other group member")
	exp := t0.Add(time.Hour)
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fa"), UserID: u.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), "session")

	got, err := s.SessionIdentity(ctx(t), hashOf("fa"), t0)
	must(t, err, "identity")
	if got.WorkspaceID != w.ID || got.WorkspaceSlug != w.Slug || got.UserID != u.ID || got.Email != u.Email ||
		got.Name != u.Name || got.UserArchived || got.Role != "builder" || got.Status != store.StatusActive ||
		!got.ExpiresAt.Equal(exp) || !slices.Equal(got.Groups, []string{"dev", "ops"}) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.SessionIdentity(ctx(t), hashOf("fa"), exp)
	wantErr(t, err, store.ErrNotFound, "at expiry")
	_, err = s.SessionIdentity(ctx(t), hashOf("nope"), t0)
	wantErr(t, err, store.ErrNotFound, "unknown")

	// No groups; archived user.
	u2 := mkUser(t, s)
	mkMember(t, s, w, u2, "end-user")
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fa2"), UserID: u2.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), "session 2")
	u2.Archived = true
	must(t, s.UpdateUser(ctx(t), u2), "archive")
	got, err = s.SessionIdentity(ctx(t), hashOf("fa2"), t0)
	must(t, err, "identity 2")
	if len(got.Groups) != 0 || !got.UserArchived || got.Role != "end-user" {
		t.Fatalf("got %+v", got)
	}
	// A session without a membership is no identity.
	u3 := mkUser(t, s)
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("fa3"), UserID: u3.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: exp}), "session 3")
	_, err = s.SessionIdentity(ctx(t), hashOf("fa3"), t0)
	wantErr(t, err, store.ErrNotFound, "no membership")
}
