package storetest

import (
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func groupNames(gs []store.Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Name
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testGroups(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	g := &store.Group{WorkspaceID: w.ID, Name: "Support", CanEditApps: true, CreatedAt: t0}
	must(t, s.CreateGroup(ctx(t), g), "create")
	if g.ID == "" {
		t.Fatal("no ID assigned")
	}
	wantErr(t, s.CreateGroup(ctx(t), &store.Group{WorkspaceID: w.ID, Name: "Support"}), store.ErrConflict, "same name")
	// Names are exact: another case, or another workspace, is a different group.
	must(t, s.CreateGroup(ctx(t), &store.Group{WorkspaceID: w.ID, Name: "support"}), "other case")
	must(t, s.CreateGroup(ctx(t), &store.Group{WorkspaceID: other.ID, Name: "Support"}), "other workspace")
	wantErr(t, s.CreateGroup(ctx(t), &store.Group{WorkspaceID: "missing", Name: "x"}), store.ErrNotFound, "missing workspace")

	got, err := s.GetGroup(ctx(t), g.ID)
	must(t, err, "get")
	if got.Name != "Support" || !got.CanEditApps || got.WorkspaceID != w.ID || !got.CreatedAt.Equal(t0) {
		t.Fatalf("got %+v", got)
	}
	_, err = s.GetGroup(ctx(t), "missing")
	wantErr(t, err, store.ErrNotFound, "get missing")

	got.Name, got.CanEditApps = "Helpdesk", false
	must(t, s.UpdateGroup(ctx(t), got), "rename")
	again, err := s.GetGroup(ctx(t), g.ID)
	must(t, err, "get renamed")
	if again.Name != "Helpdesk" || again.CanEditApps {
		t.Fatalf("after update %+v", again)
	}
	again.Name = "support"
	wantErr(t, s.UpdateGroup(ctx(t), again), store.ErrConflict, "rename onto a taken name")
	wantErr(t, s.UpdateGroup(ctx(t), &store.Group{ID: "missing", Name: "x"}), store.ErrNotFound, "update missing")

	list, err := s.ListGroups(ctx(t), w.ID)
	must(t, err, "list")
	if names := groupNames(list); !sameStrings(names, []string{"Helpdesk", "support"}) {
		t.Fatalf("ListGroups = %v", names)
	}

	u := mkUser(t, s)
	mkMember(t, s, w, u, "end-user")
	must(t, s.AddGroupMember(ctx(t), g.ID, u.ID), "add")
	must(t, s.AddGroupMember(ctx(t), g.ID, u.ID), "add again (idempotent)")
	mine, err := s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "member groups")
	if names := groupNames(mine); !sameStrings(names, []string{"Helpdesk"}) {
		t.Fatalf("MemberGroups = %v", names)
	}
	mine, err = s.MemberGroups(ctx(t), other.ID, u.ID)
	must(t, err, "member groups elsewhere")
	if len(mine) != 0 {
		t.Fatalf("groups in another workspace: %v", groupNames(mine))
	}
	must(t, s.RemoveGroupMember(ctx(t), g.ID, u.ID), "remove")
	must(t, s.RemoveGroupMember(ctx(t), g.ID, u.ID), "remove again")
	mine, err = s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "member groups after remove")
	if len(mine) != 0 {
		t.Fatalf("after remove: %v", groupNames(mine))
	}

	must(t, s.AddGroupMember(ctx(t), g.ID, u.ID), "re-add")
	must(t, s.DeleteGroup(ctx(t), g.ID), "delete")
	_, err = s.GetGroup(ctx(t), g.ID)
	wantErr(t, err, store.ErrNotFound, "get deleted")
	wantErr(t, s.DeleteGroup(ctx(t), g.ID), store.ErrNotFound, "delete twice")
	mine, err = s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "member groups after delete")
	if len(mine) != 0 {
		t.Fatalf("deleted group still listed: %v", groupNames(mine))
	}
	wantErr(t, s.AddGroupMember(ctx(t), g.ID, u.ID), store.ErrNotFound, "add to a deleted group")
}

func testSetMemberGroups(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	u := mkUser(t, s)
	mk := func(ws *store.Workspace, name string) *store.Group {
		g := &store.Group{WorkspaceID: ws.ID, Name: name}
		must(t, s.CreateGroup(ctx(t), g), "create "+name)
		return g
	}
	a, b, c, elsewhere := mk(w, "a"), mk(w, "b"), mk(w, "c"), mk(other, "x")
	must(t, s.AddGroupMember(ctx(t), elsewhere.ID, u.ID), "member elsewhere")
	must(t, s.AddGroupMember(ctx(t), a.ID, u.ID), "member of a")

	must(t, s.SetMemberGroups(ctx(t), w.ID, u.ID, []string{b.ID, c.ID, b.ID}), "set b, c")
	mine, err := s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "list")
	if names := groupNames(mine); !sameStrings(names, []string{"b", "c"}) {
		t.Fatalf("after set: %v, want [b c]", names)
	}
	theirs, err := s.MemberGroups(ctx(t), other.ID, u.ID)
	must(t, err, "list other")
	if names := groupNames(theirs); !sameStrings(names, []string{"x"}) {
		t.Fatalf("other workspace's groups changed: %v", names)
	}

	// A group of another workspace is refused and nothing changes.
	wantErr(t, s.SetMemberGroups(ctx(t), w.ID, u.ID, []string{a.ID, elsewhere.ID}), store.ErrNotFound, "foreign group")
	mine, err = s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "list after refusal")
	if names := groupNames(mine); !sameStrings(names, []string{"b", "c"}) {
		t.Fatalf("a refused SetMemberGroups changed groups: %v", names)
	}

	must(t, s.SetMemberGroups(ctx(t), w.ID, u.ID, nil), "set none")
	mine, err = s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "list after clear")
	if len(mine) != 0 {
		t.Fatalf("after clearing: %v", groupNames(mine))
	}
}
