package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testSCIMTokens(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	_, err := s.GetSCIMToken(ctx(t), w.ID)
	wantErr(t, err, store.ErrNotFound, "no token yet")
	must(t, s.SaveSCIMToken(ctx(t), &store.SCIMToken{WorkspaceID: w.ID, TokenHash: hashOf("one"), CreatedBy: "admin", CreatedAt: t0}), "save")
	wantErr(t, s.SaveSCIMToken(ctx(t), &store.SCIMToken{WorkspaceID: other.ID, TokenHash: hashOf("one"), CreatedAt: t0}), store.ErrConflict, "same hash elsewhere")
	got, err := s.GetSCIMTokenByHash(ctx(t), hashOf("one"))
	must(t, err, "by hash")
	if got.WorkspaceID != w.ID || got.CreatedBy != "admin" || !got.CreatedAt.Equal(t0) || !got.LastRequestAt.IsZero() {
		t.Fatalf("got %+v", got)
	}
	must(t, s.TouchSCIMToken(ctx(t), w.ID, t0.Add(time.Minute)), "touch")
	must(t, s.TouchSCIMToken(ctx(t), w.ID, t0), "touch back in time")
	got, err = s.GetSCIMToken(ctx(t), w.ID)
	must(t, err, "get")
	if !got.LastRequestAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("last request %v, want the later time", got.LastRequestAt)
	}
	// Rotation replaces the hash: the old value stops working at once.
	must(t, s.SaveSCIMToken(ctx(t), &store.SCIMToken{WorkspaceID: w.ID, TokenHash: hashOf("two"), CreatedAt: t0.Add(time.Hour)}), "rotate")
	_, err = s.GetSCIMTokenByHash(ctx(t), hashOf("one"))
	wantErr(t, err, store.ErrNotFound, "old token after rotation")
	got, err = s.GetSCIMTokenByHash(ctx(t), hashOf("two"))
	must(t, err, "new token")
	if !bytes.Equal(got.TokenHash, hashOf("two")) || !got.LastRequestAt.IsZero() {
		t.Fatalf("after rotation %+v", got)
	}
	must(t, s.DeleteSCIMToken(ctx(t), w.ID), "revoke")
	wantErr(t, s.DeleteSCIMToken(ctx(t), w.ID), store.ErrNotFound, "revoke twice")
	_, err = s.GetSCIMTokenByHash(ctx(t), hashOf("two"))
	wantErr(t, err, store.ErrNotFound, "revoked token")
}

func testSCIMUsers(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	plain, provisioned := mkUser(t, s), mkUser(t, s)
	mkMember(t, s, w, plain, "end-user")
	mkMember(t, s, w, provisioned, "builder")
	mkMember(t, s, other, provisioned, "admin")

	got, err := s.GetSCIMUser(ctx(t), w.ID, plain.ID)
	must(t, err, "get plain member")
	if got.Record != nil || got.User.Email != plain.Email || got.Membership.Role != "end-user" {
		t.Fatalf("plain member %+v", got)
	}
	rec := &store.SCIMUserRecord{WorkspaceID: w.ID, UserID: provisioned.ID, UserName: "Kim@Corp.example", UserNameKey: "kim@corp.example",
		ExternalID: "ext-1", Email: "kim.work@corp.example", Resource: []byte(`{"name":{"givenName":"Kim"}}`), CreatedAt: t0, UpdatedAt: t0}
	must(t, s.SaveSCIMUser(ctx(t), rec), "save record")
	wantErr(t, s.SaveSCIMUser(ctx(t), &store.SCIMUserRecord{WorkspaceID: w.ID, UserID: plain.ID, UserName: "KIM@corp.example",
		UserNameKey: "kim@corp.example", CreatedAt: t0}), store.ErrConflict, "same user name key")
	wantErr(t, s.SaveSCIMUser(ctx(t), &store.SCIMUserRecord{WorkspaceID: w.ID, UserID: mkUser(t, s).ID, UserName: "x",
		UserNameKey: "x", CreatedAt: t0}), store.ErrNotFound, "record without membership")
	got, err = s.GetSCIMUser(ctx(t), w.ID, provisioned.ID)
	must(t, err, "get provisioned")
	if got.Record == nil || got.Record.UserName != "Kim@Corp.example" || got.Record.ExternalID != "ext-1" ||
		string(got.Record.Resource) != `{"name":{"givenName":"Kim"}}` || got.Membership.Role != "builder" {
		t.Fatalf("provisioned member %+v / %+v", got, got.Record)
	}
	got, err = s.GetSCIMUser(ctx(t), other.ID, provisioned.ID)
	must(t, err, "get in the other workspace")
	if got.Record != nil {
		t.Fatal("a SCIM record leaked into another workspace")
	}

	list := func(f store.SCIMUserFilter, offset, limit int) ([]string, int) {
		t.Helper()
		us, total, err := s.ListSCIMUsers(ctx(t), w.ID, f, offset, limit)
		must(t, err, "list")
		ids := make([]string, len(us))
		for i, u := range us {
			ids[i] = u.User.ID
		}
		return ids, total
	}
	cases := []struct {
		f    store.SCIMUserFilter
		want []string
	}{
		{store.SCIMUserFilter{UserName: "KIM@corp.EXAMPLE"}, []string{provisioned.ID}},
		{store.SCIMUserFilter{UserName: provisioned.Email}, nil}, // its record's userName wins over the account email
		{store.SCIMUserFilter{UserName: plain.Email}, []string{plain.ID}},
		{store.SCIMUserFilter{Email: "Kim.Work@corp.example"}, []string{provisioned.ID}},
		{store.SCIMUserFilter{ExternalID: "ext-1"}, []string{provisioned.ID}},
		{store.SCIMUserFilter{ExternalID: "EXT-1"}, nil},
		{store.SCIMUserFilter{ID: plain.ID}, []string{plain.ID}},
		{store.SCIMUserFilter{ID: plain.ID, ExternalID: "ext-1"}, nil},
		{store.SCIMUserFilter{UserName: "nobody@corp.example"}, nil},
	}
	for _, c := range cases {
		ids, total := list(c.f, 0, 100)
		if !sameStrings(ids, c.want) || total != len(c.want) {
			t.Errorf("filter %+v: got %v (total %d), want %v", c.f, ids, total, c.want)
		}
	}
	all, total := list(store.SCIMUserFilter{}, 0, 100)
	if total != 2 || len(all) != 2 {
		t.Fatalf("all members: %v total %d", all, total)
	}
	page, total := list(store.SCIMUserFilter{}, 1, 1)
	if total != 2 || len(page) != 1 || page[0] != all[1] {
		t.Fatalf("second page: %v total %d, want [%s]", page, total, all[1])
	}
	page, total = list(store.SCIMUserFilter{}, 5, 1)
	if total != 2 || len(page) != 0 {
		t.Fatalf("past the end: %v total %d", page, total)
	}

	// Deleting the membership takes its record, groups and sessions in
	// this workspace only.
	g := &store.SCIMGroup{WorkspaceID: w.ID, DisplayName: "Eng", CreatedAt: t0}
	must(t, s.CreateSCIMGroup(ctx(t), g), "group")
	_, err = s.AddSCIMGroupMember(ctx(t), g, provisioned.ID)
	must(t, err, "add to group")
	cg := &store.Group{WorkspaceID: w.ID, Name: "Custom", CreatedAt: t0}
	must(t, s.CreateGroup(ctx(t), cg), "custom group")
	must(t, s.AddGroupMember(ctx(t), cg.ID, provisioned.ID), "custom member")
	for _, ws := range []*store.Workspace{w, other} {
		must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("sess-" + ws.ID), UserID: provisioned.ID, WorkspaceID: ws.ID,
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}), "session")
	}
	_, err = s.LockMembership(ctx(t), w.ID, provisioned.ID)
	must(t, err, "lock")
	_, err = s.LockMembership(ctx(t), w.ID, "missing")
	wantErr(t, err, store.ErrNotFound, "lock missing")
	must(t, s.DeleteMembership(ctx(t), w.ID, provisioned.ID), "delete membership")
	wantErr(t, s.DeleteMembership(ctx(t), w.ID, provisioned.ID), store.ErrNotFound, "delete twice")
	_, err = s.GetSCIMUser(ctx(t), w.ID, provisioned.ID)
	wantErr(t, err, store.ErrNotFound, "deleted member")
	if ms, err := s.ListSCIMGroupMembers(ctx(t), g.ID); err != nil || len(ms) != 0 {
		t.Fatalf("SCIM group members after delete: %v %v", ms, err)
	}
	if gs, err := s.MemberGroups(ctx(t), w.ID, provisioned.ID); err != nil || len(gs) != 0 {
		t.Fatalf("custom groups after delete: %v %v", gs, err)
	}
	_, err = s.GetSession(ctx(t), hashOf("sess-"+w.ID), t0)
	wantErr(t, err, store.ErrNotFound, "session in the workspace")
	_, err = s.GetSession(ctx(t), hashOf("sess-"+other.ID), t0)
	must(t, err, "session in the other workspace survives")
	if _, err := s.GetMembership(ctx(t), other.ID, provisioned.ID); err != nil {
		t.Fatalf("other workspace's membership: %v", err)
	}
	// The user name is free again.
	must(t, s.SaveSCIMUser(ctx(t), &store.SCIMUserRecord{WorkspaceID: w.ID, UserID: plain.ID, UserName: "kim@corp.example",
		UserNameKey: "kim@corp.example", CreatedAt: t0}), "reuse the user name")
}

func testSCIMGroups(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	a, b, stranger := mkUser(t, s), mkUser(t, s), mkUser(t, s)
	mkMember(t, s, w, a, "end-user")
	mkMember(t, s, w, b, "end-user")
	mkMember(t, s, other, stranger, "end-user")

	g := &store.SCIMGroup{WorkspaceID: w.ID, DisplayName: "Sales", ExternalID: "0b6c0000-0000-0000-0000-000000009a87", CreatedAt: t0}
	must(t, s.CreateSCIMGroup(ctx(t), g), "create")
	wantErr(t, s.CreateSCIMGroup(ctx(t), &store.SCIMGroup{WorkspaceID: w.ID, DisplayName: "Sales"}), store.ErrConflict, "same name")
	must(t, s.CreateSCIMGroup(ctx(t), &store.SCIMGroup{WorkspaceID: other.ID, DisplayName: "Sales", CreatedAt: t0}), "same name elsewhere")
	_, err := s.GetSCIMGroup(ctx(t), other.ID, g.ID)
	wantErr(t, err, store.ErrNotFound, "get through another workspace")
	if n, err := s.CountSCIMGroups(ctx(t), w.ID); err != nil || n != 1 {
		t.Fatalf("count %d %v", n, err)
	}

	added, err := s.AddSCIMGroupMember(ctx(t), g, a.ID)
	must(t, err, "add")
	again, err := s.AddSCIMGroupMember(ctx(t), g, a.ID)
	must(t, err, "add again")
	if !added || again {
		t.Fatalf("added %v then %v, want true then false", added, again)
	}
	_, err = s.AddSCIMGroupMember(ctx(t), g, stranger.ID)
	wantErr(t, err, store.ErrNotFound, "member of another workspace")
	ms, err := s.ListSCIMGroupMembers(ctx(t), g.ID)
	must(t, err, "members")
	if len(ms) != 1 || ms[0].UserID != a.ID || ms[0].Email != a.Email {
		t.Fatalf("members %+v", ms)
	}
	mine, err := s.SCIMUserGroups(ctx(t), w.ID, a.ID)
	must(t, err, "user groups")
	if len(mine) != 1 || mine[0].ID != g.ID {
		t.Fatalf("user groups %+v", mine)
	}

	g.DisplayName, g.ExternalID = "Sales EU", "ext"
	must(t, s.UpdateSCIMGroup(ctx(t), g), "update")
	list, total, err := s.ListSCIMGroups(ctx(t), w.ID, store.SCIMGroupFilter{DisplayName: "Sales EU"}, 0, 10)
	must(t, err, "list by name")
	if total != 1 || len(list) != 1 || list[0].ExternalID != "ext" {
		t.Fatalf("by name %+v total %d", list, total)
	}
	list, total, err = s.ListSCIMGroups(ctx(t), w.ID, store.SCIMGroupFilter{DisplayName: "sales eu"}, 0, 10)
	must(t, err, "list by name in another case")
	if total != 0 || len(list) != 0 {
		t.Fatalf("display names are exact: %+v", list)
	}

	removed, err := s.RemoveSCIMGroupMember(ctx(t), g.ID, a.ID)
	must(t, err, "remove")
	gone, err := s.RemoveSCIMGroupMember(ctx(t), g.ID, a.ID)
	must(t, err, "remove again")
	if !removed || gone {
		t.Fatalf("removed %v then %v", removed, gone)
	}
	_, err = s.AddSCIMGroupMember(ctx(t), g, b.ID)
	must(t, err, "add b")
	wantErr(t, s.DeleteSCIMGroup(ctx(t), other.ID, g.ID), store.ErrNotFound, "delete through another workspace")
	must(t, s.DeleteSCIMGroup(ctx(t), w.ID, g.ID), "delete")
	if mine, err := s.SCIMUserGroups(ctx(t), w.ID, b.ID); err != nil || len(mine) != 0 {
		t.Fatalf("after delete %v %v", mine, err)
	}
}

// testSCIMConcurrentGroupAdds: concurrent member additions to one group,
// each in its own transaction, lose no member.
func testSCIMConcurrentGroupAdds(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	g := &store.SCIMGroup{WorkspaceID: w.ID, DisplayName: "All", CreatedAt: t0}
	must(t, s.CreateSCIMGroup(ctx(t), g), "group")
	const n = 12
	users := make([]*store.User, n)
	for i := range users {
		users[i] = mkUser(t, s)
		mkMember(t, s, w, users[i], "end-user")
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.InTx(ctx(t), func(q store.Queries) error {
				if _, err := q.AddSCIMGroupMember(ctx(t), g, u.ID); err != nil {
					return err
				}
				_, err := q.LockMembership(ctx(t), w.ID, u.ID)
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err, "concurrent add")
	}
	ms, err := s.ListSCIMGroupMembers(ctx(t), g.ID)
	must(t, err, "members")
	if len(ms) != n {
		t.Fatalf("%d members after %d concurrent adds", len(ms), n)
	}
}
