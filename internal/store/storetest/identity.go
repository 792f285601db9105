package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testWorkspaces(t *testing.T, s store.Store) {
	w := &store.Workspace{Name: "Acme Corp", Slug: "acme", CreatedAt: t0}
	must(t, s.CreateWorkspace(ctx(t), w), "create")
	if w.ID == "" {
		t.Fatal("CreateWorkspace did not assign an ID")
	}
	got, err := s.GetWorkspace(ctx(t), w.ID)
	must(t, err, "get")
	if got.Name != "Acme Corp" || got.Slug != "acme" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("got %+v, want name/slug/created of %+v", got, w)
	}
	got, err = s.GetWorkspaceBySlug(ctx(t), "acme")
	must(t, err, "get by slug")
	if got.ID != w.ID {
		t.Fatalf("by slug: got ID %q, want %q", got.ID, w.ID)
	}
	wantErr(t, s.CreateWorkspace(ctx(t), &store.Workspace{Name: "Other", Slug: "acme"}), store.ErrConflict, "duplicate slug")
	_, err = s.GetWorkspace(ctx(t), "00000000-0000-0000-0000-000000000000")
	wantErr(t, err, store.ErrNotFound, "get missing")
	_, err = s.GetWorkspaceBySlug(ctx(t), "nope")
	wantErr(t, err, store.ErrNotFound, "get missing slug")

	must(t, s.CreateWorkspace(ctx(t), &store.Workspace{Name: "Beta", Slug: "beta"}), "create second")
	list, err := s.ListWorkspaces(ctx(t))
	must(t, err, "list")
	if len(list) != 2 || list[0].Slug != "acme" || list[1].Slug != "beta" {
		t.Fatalf("list = %+v, want acme then beta", list)
	}
	if list[1].CreatedAt.IsZero() {
		t.Fatal("a workspace created without CreatedAt must get one")
	}
}

func testUsers(t *testing.T, s store.Store) {
	n, err := s.CountUsers(ctx(t))
	must(t, err, "count empty")
	if n != 0 {
		t.Fatalf("CountUsers on an empty store = %d", n)
	}
	u := &store.User{Email: "Ada.Lovelace@Example.COM", Name: "Ada", PasswordHash: "$argon2id$x", SuperAdmin: true, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateUser(ctx(t), u), "create")
	if u.ID == "" || u.Email != "ada.lovelace@example.com" {
		t.Fatalf("after create: ID %q email %q, want an ID and the lowercased email", u.ID, u.Email)
	}
	got, err := s.GetUserByEmail(ctx(t), "ADA.lovelace@example.com")
	must(t, err, "get by email (other case)")
	if got.ID != u.ID || got.Name != "Ada" || got.PasswordHash != "$argon2id$x" || !got.SuperAdmin || got.Archived {
		t.Fatalf("got %+v", got)
	}
	if !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("times: got %v/%v, want %v", got.CreatedAt, got.UpdatedAt, t0)
	}
	wantErr(t, s.CreateUser(ctx(t), &store.User{Email: "ada.LOVELACE@example.com"}), store.ErrConflict, "same email other case")
	_, err = s.GetUser(ctx(t), "missing")
	wantErr(t, err, store.ErrNotFound, "get missing")
	_, err = s.GetUserByEmail(ctx(t), "nobody@example.com")
	wantErr(t, err, store.ErrNotFound, "get missing email")

	later := t0.Add(time.Hour)
	if got.PasswordWorkspaceID != "" {
		t.Fatalf("a new user's password is limited to %q", got.PasswordWorkspaceID)
	}
	got.Name, got.Archived, got.SuperAdmin, got.PasswordHash, got.UpdatedAt = "Ada L.", true, false, "", later
	got.PasswordWorkspaceID = "ws-1"
	must(t, s.UpdateUser(ctx(t), got), "update")
	again, err := s.GetUser(ctx(t), u.ID)
	must(t, err, "get after update")
	if again.Name != "Ada L." || !again.Archived || again.SuperAdmin || again.PasswordHash != "" || !again.UpdatedAt.Equal(later) || !again.CreatedAt.Equal(t0) ||
		again.PasswordWorkspaceID != "ws-1" {
		t.Fatalf("after update got %+v", again)
	}
	wantErr(t, s.UpdateUser(ctx(t), &store.User{ID: "missing", Email: "x@example.com"}), store.ErrNotFound, "update missing")
	other := mkUser(t, s)
	other.Email = "ADA.lovelace@example.com"
	wantErr(t, s.UpdateUser(ctx(t), other), store.ErrConflict, "update to a taken email")
	n, err = s.CountUsers(ctx(t))
	must(t, err, "count")
	if n != 2 {
		t.Fatalf("CountUsers = %d, want 2", n)
	}
}

func testMemberships(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	m := &store.Membership{WorkspaceID: w.ID, UserID: u.ID, Status: store.StatusInvited, Role: "end-user",
		SSOUserInfo: []byte(`{"groups":["a"]}`), CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateMembership(ctx(t), m), "create")
	wantErr(t, s.CreateMembership(ctx(t), m), store.ErrConflict, "create twice")
	wantErr(t, s.CreateMembership(ctx(t), &store.Membership{WorkspaceID: w.ID, UserID: "no-such-user", Status: store.StatusActive, Role: "admin"}),
		store.ErrNotFound, "membership of a missing user")
	got, err := s.GetMembership(ctx(t), w.ID, u.ID)
	must(t, err, "get")
	if got.Status != store.StatusInvited || got.Role != "end-user" || string(got.SSOUserInfo) != `{"groups":["a"]}` || !got.CreatedAt.Equal(t0) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetMembership(ctx(t), w.ID, "other")
	wantErr(t, err, store.ErrNotFound, "get missing")

	got.Status, got.Role, got.SSOUserInfo, got.UpdatedAt = store.StatusActive, "admin", []byte(`{}`), t0.Add(time.Minute)
	must(t, s.UpdateMembership(ctx(t), got), "update")
	again, err := s.GetMembership(ctx(t), w.ID, u.ID)
	must(t, err, "get after update")
	if again.Status != store.StatusActive || again.Role != "admin" || string(again.SSOUserInfo) != `{}` || !again.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after update got %+v", again)
	}
	wantErr(t, s.UpdateMembership(ctx(t), &store.Membership{WorkspaceID: w.ID, UserID: "nobody", Status: "active", Role: "admin"}),
		store.ErrNotFound, "update missing")

	// CountActiveAdmins counts only active admins of this workspace.
	mkMember(t, s, w, mkUser(t, s), "admin")
	mkMember(t, s, w, mkUser(t, s), "builder")
	archived := &store.Membership{WorkspaceID: w.ID, UserID: mkUser(t, s).ID, Status: store.StatusArchived, Role: "admin"}
	must(t, s.CreateMembership(ctx(t), archived), "create archived admin")
	mkMember(t, s, mkWorkspace(t, s), mkUser(t, s), "admin")
	n, err := s.CountActiveAdmins(ctx(t), w.ID)
	must(t, err, "count admins")
	if n != 2 {
		t.Fatalf("CountActiveAdmins = %d, want 2", n)
	}
}

func testListMembers(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	b := &store.User{Email: "b@example.com", Name: "B"}
	a := &store.User{Email: "a@example.com", Name: "A"}
	must(t, s.CreateUser(ctx(t), b), "user b")
	must(t, s.CreateUser(ctx(t), a), "user a")
	mkMember(t, s, w, b, "builder")
	mkMember(t, s, w, a, "admin")
	mkMember(t, s, other, mkUser(t, s), "admin")
	g1 := &store.Group{WorkspaceID: w.ID, Name: "zeta"}
	g2 := &store.Group{WorkspaceID: w.ID, Name: "alpha"}
	must(t, s.CreateGroup(ctx(t), g1), "group 1")
	must(t, s.CreateGroup(ctx(t), g2), "group 2")
	must(t, s.AddGroupMember(ctx(t), g1.ID, a.ID), "add a to zeta")
	must(t, s.AddGroupMember(ctx(t), g2.ID, a.ID), "add a to alpha")

	list, err := s.ListMembers(ctx(t), w.ID)
	must(t, err, "list")
	if len(list) != 2 {
		t.Fatalf("ListMembers: %d members, want 2", len(list))
	}
	first, second := list[0], list[1]
	if first.User.Email != "a@example.com" || first.Membership.Role != "admin" || first.Membership.WorkspaceID != w.ID {
		t.Fatalf("first member = %+v", first)
	}
	if len(first.Groups) != 2 || first.Groups[0].Name != "alpha" || first.Groups[1].Name != "zeta" {
		t.Fatalf("first member's groups = %+v, want alpha, zeta", first.Groups)
	}
	if second.User.Email != "b@example.com" || second.Membership.Role != "builder" || len(second.Groups) != 0 {
		t.Fatalf("second member = %+v", second)
	}
	empty, err := s.ListMembers(ctx(t), "no-such-workspace")
	must(t, err, "list missing workspace")
	if len(empty) != 0 {
		t.Fatalf("members of a missing workspace: %+v", empty)
	}
}
