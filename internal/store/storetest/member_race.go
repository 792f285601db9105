package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testConcurrentSetMemberGroups is concurrent logins of one existing
// member whose group sync adds the same group: every one must succeed.
// PostgreSQL reported "0 rows inserted" (the other login inserted the row
// first) and SetMemberGroups once read that as "group not found".
func testConcurrentSetMemberGroups(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	mkMember(t, s, w, u, "end-user")
	g := &store.Group{WorkspaceID: w.ID, Name: "sales"}
	must(t, s.CreateGroup(ctx(t), g), "create group")
	for round := range 5 {
		must(t, s.SetMemberGroups(ctx(t), w.ID, u.ID, nil), "clear")
		errs := parallel(20, func(int) error {
			return s.InTx(ctx(t), func(q store.Queries) error {
				return q.SetMemberGroups(ctx(t), w.ID, u.ID, []string{g.ID})
			})
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: login %d: SetMemberGroups: %v", round, i, err)
			}
		}
		mine, err := s.MemberGroups(ctx(t), w.ID, u.ID)
		must(t, err, "list")
		if names := groupNames(mine); !sameStrings(names, []string{"sales"}) {
			t.Fatalf("round %d: groups %v, want [sales]", round, names)
		}
	}
}

// syncEvent is what testConcurrentConflictingGroupSync audits per login.
type syncEvent struct {
	Before []string `json:"before"`
	After  []string `json:"after"`
}

// testConcurrentConflictingGroupSync is logins of one member carrying
// conflicting group claims at once, each doing what group sync does: lock
// the membership, read the current groups, replace them, audit the diff.
// The audit events must form one chain (each "before" is the previous
// "after") ending in the committed state.
func testConcurrentConflictingGroupSync(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	mkMember(t, s, w, u, "end-user")
	claims := [][]string{{"sales"}, {"engineering"}, {"sales", "engineering"}, {}}
	ids := map[string]string{}
	for _, n := range []string{"sales", "engineering"} {
		g := &store.Group{WorkspaceID: w.ID, Name: n}
		must(t, s.CreateGroup(ctx(t), g), "create "+n)
		ids[n] = g.ID
	}
	const logins = 24
	errs := parallel(logins, func(i int) error {
		want := claims[i%len(claims)]
		return s.InTx(ctx(t), func(q store.Queries) error {
			if _, err := q.LockMembership(ctx(t), w.ID, u.ID); err != nil {
				return err
			}
			cur, err := q.MemberGroups(ctx(t), w.ID, u.ID)
			if err != nil {
				return err
			}
			var gids []string
			for _, n := range want {
				gids = append(gids, ids[n])
			}
			if err := q.SetMemberGroups(ctx(t), w.ID, u.ID, gids); err != nil {
				return err
			}
			d, _ := json.Marshal(syncEvent{Before: sorted(groupNames(cur)), After: sorted(want)})
			return q.AppendAudit(ctx(t), &store.AuditEvent{WorkspaceID: w.ID, UserID: u.ID, Kind: "groupsync", Details: d, CreatedAt: t0})
		})
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("login %d: %v", i, err)
		}
	}
	events, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, Kind: "groupsync", Limit: logins})
	must(t, err, "list audit")
	if len(events) != logins {
		t.Fatalf("%d events, want %d", len(events), logins)
	}
	slices.Reverse(events) // oldest first
	prev := []string{}
	for i, e := range events {
		var ev syncEvent
		must(t, json.Unmarshal(e.Details, &ev), "details")
		if fmt.Sprint(ev.Before) != fmt.Sprint(prev) {
			t.Fatalf("event %d says the groups were %v, but the previous event left %v", i, ev.Before, prev)
		}
		prev = ev.After
	}
	final, err := s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "final groups")
	if got := sorted(groupNames(final)); fmt.Sprint(got) != fmt.Sprint(prev) {
		t.Fatalf("committed groups %v, but the last audit event says %v", got, prev)
	}
}

// sorted returns a sorted copy (never nil, so JSON says []).
func sorted(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// testEndAccess checks the deletes that archiving uses: sessions and API
// tokens of one user, in one workspace or everywhere, nobody else's.
func testEndAccess(t *testing.T, s store.Store) {
	w1, w2 := mkWorkspace(t, s), mkWorkspace(t, s)
	u, other := mkUser(t, s), mkUser(t, s)
	for _, w := range []*store.Workspace{w1, w2} {
		for _, usr := range []*store.User{u, other} {
			h := []byte(uniq("session-" + w.ID + usr.ID))
			must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: h, UserID: usr.ID, WorkspaceID: w.ID, CreatedAt: t0, ExpiresAt: t0.AddDate(1, 0, 0)}), "session")
			must(t, s.CreateAPIToken(ctx(t), &store.APIToken{WorkspaceID: w.ID, Name: "t", TokenHash: h, CreatedBy: usr.ID, CreatedAt: t0}), "token")
		}
	}
	n, err := s.DeleteUserSessions(ctx(t), u.ID, w1.ID)
	must(t, err, "delete sessions in w1")
	if n != 1 {
		t.Fatalf("deleted %d sessions in w1, want 1", n)
	}
	n, err = s.DeleteUserAPITokens(ctx(t), u.ID, w1.ID)
	must(t, err, "delete tokens in w1")
	if n != 1 {
		t.Fatalf("deleted %d tokens in w1, want 1", n)
	}
	n, err = s.DeleteUserSessions(ctx(t), u.ID, "")
	must(t, err, "delete sessions everywhere")
	if n != 1 {
		t.Fatalf("deleted %d sessions everywhere, want 1 (w2's)", n)
	}
	n, err = s.DeleteUserAPITokens(ctx(t), u.ID, "")
	must(t, err, "delete tokens everywhere")
	if n != 1 {
		t.Fatalf("deleted %d tokens everywhere, want 1 (w2's)", n)
	}
	for _, w := range []*store.Workspace{w1, w2} {
		toks, err := s.ListAPITokens(ctx(t), w.ID)
		must(t, err, "list tokens")
		if len(toks) != 1 || toks[0].CreatedBy != other.ID {
			t.Fatalf("tokens left in a workspace: %+v, want only the other user's", toks)
		}
	}
	if _, err := s.LockMembership(ctx(t), w1.ID, u.ID); err == nil {
		t.Fatal("LockMembership of a non-member succeeded")
	}
	mkMember(t, s, w1, u, "admin")
	must(t, s.InTx(ctx(t), func(q store.Queries) error {
		m, err := q.LockMembership(ctx(t), w1.ID, u.ID)
		if err == nil && m.Role != "admin" {
			err = fmt.Errorf("locked membership has role %q", m.Role)
		}
		return err
	}), "lock membership")
}
