package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testDeleteExpired(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	c := mkSAMLConfig(t, s, w)
	now := t0.Add(time.Hour)
	retention := 7 * 24 * time.Hour
	must(t, s.SaveRequest(ctx(t), &store.OutstandingRequest{ID: "old", ConfigID: c.ID, ExpiresAt: now}), "old request")
	must(t, s.SaveRequest(ctx(t), &store.OutstandingRequest{ID: "new", ConfigID: c.ID, ExpiresAt: now.Add(time.Nanosecond)}), "new request")
	must(t, s.MarkAssertionUsed(ctx(t), "old", now.Add(-time.Second)), "old assertion")
	must(t, s.MarkAssertionUsed(ctx(t), "new", now.Add(time.Second)), "new assertion")
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("old"), UserID: u.ID, ExpiresAt: now.Add(-time.Minute)}), "old session")
	must(t, s.CreateSession(ctx(t), &store.Session{TokenHash: hashOf("new"), UserID: u.ID, ExpiresAt: now.Add(time.Minute)}), "new session")
	oldEvent := &store.AuditEvent{WorkspaceID: w.ID, Kind: "login.failure", Message: "quotes <old/>", RedactedResponse: "<old/>", CreatedAt: now.Add(-retention - time.Second)}
	newEvent := &store.AuditEvent{WorkspaceID: w.ID, Kind: "login.failure", Message: "quotes <new/>", RedactedResponse: "<new/>", CreatedAt: now.Add(-retention + time.Second)}
	must(t, s.AppendAudit(ctx(t), oldEvent), "old event")
	must(t, s.AppendAudit(ctx(t), newEvent), "new event")

	n, err := s.DeleteExpired(ctx(t), now, retention)
	must(t, err, "DeleteExpired")
	// One request, one replay entry, one session, one blanked response.
	if n != 4 {
		t.Fatalf("DeleteExpired removed %d rows, want 4", n)
	}
	n, err = s.DeleteExpired(ctx(t), now, retention)
	must(t, err, "DeleteExpired again")
	if n != 0 {
		t.Fatalf("second DeleteExpired removed %d rows, want 0", n)
	}

	_, err = s.ConsumeRequest(ctx(t), c.ID, "new", t0)
	must(t, err, "the unexpired request survives")
	_, err = s.GetSession(ctx(t), hashOf("new"), t0)
	must(t, err, "the unexpired session survives")
	_, err = s.GetSession(ctx(t), hashOf("old"), t0)
	wantErr(t, err, store.ErrNotFound, "the expired session is gone, even for an earlier clock")
	wantErr(t, s.MarkAssertionUsed(ctx(t), "new", now.Add(time.Second)), store.ErrReplay, "the unexpired replay entry survives")
	must(t, s.MarkAssertionUsed(ctx(t), "old", now.Add(time.Second)), "the expired replay entry is gone")

	events, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID})
	must(t, err, "list audit")
	if len(events) != 2 {
		t.Fatalf("audit events must be kept, got %d", len(events))
	}
	if events[0].RedactedResponse != "<new/>" || events[1].RedactedResponse != "" || events[1].Kind != "login.failure" {
		t.Fatalf("responses after cleanup: new=%q old=%q, want <new/> and blank", events[0].RedactedResponse, events[1].RedactedResponse)
	}
	// The message may quote the response (issue 11): it goes with it.
	if events[0].Message != "quotes <new/>" || strings.Contains(events[1].Message, "<old/>") {
		t.Fatalf("messages after cleanup: new=%q old=%q, want the new one kept and the old one without the quote", events[0].Message, events[1].Message)
	}
}

// testDeleteExpiredMany checks that cleanup removes more rows than fit in
// one batch of an implementation that works in batches.
func testDeleteExpiredMany(t *testing.T, s store.Store) {
	u := mkUser(t, s)
	const n = 2500
	err := s.InTx(ctx(t), func(q store.Queries) error {
		for i := range n {
			exp := t0.Add(time.Duration(i%2) * 24 * time.Hour) // every other one expires later
			if err := q.CreateSession(ctx(t), &store.Session{TokenHash: hashOf(fmt.Sprint(i)), UserID: u.ID, ExpiresAt: exp}); err != nil {
				return err
			}
		}
		return nil
	})
	must(t, err, "create sessions")
	removed, err := s.DeleteExpired(ctx(t), t0.Add(time.Hour), time.Hour)
	must(t, err, "DeleteExpired")
	if removed != n/2 {
		t.Fatalf("removed %d, want %d", removed, n/2)
	}
	for _, i := range []int{0, 1, n - 2, n - 1} {
		_, err := s.GetSession(ctx(t), hashOf(fmt.Sprint(i)), t0)
		if i%2 == 0 {
			wantErr(t, err, store.ErrNotFound, fmt.Sprintf("session %d expired", i))
		} else {
			must(t, err, fmt.Sprintf("session %d is still valid", i))
		}
	}
}

func testCascadeDeletes(t *testing.T, s store.Store) {
	w, u := mkWorkspace(t, s), mkUser(t, s)
	mkMember(t, s, w, u, "end-user")
	keep := &store.Group{WorkspaceID: w.ID, Name: "keep"}
	drop := &store.Group{WorkspaceID: w.ID, Name: "drop"}
	must(t, s.CreateGroup(ctx(t), keep), "keep")
	must(t, s.CreateGroup(ctx(t), drop), "drop")
	must(t, s.SetMemberGroups(ctx(t), w.ID, u.ID, []string{keep.ID, drop.ID}), "join both")
	must(t, s.DeleteGroup(ctx(t), drop.ID), "delete group")
	members, err := s.ListMembers(ctx(t), w.ID)
	must(t, err, "list members")
	if len(members) != 1 || !sameStrings(groupNames(members[0].Groups), []string{"keep"}) {
		t.Fatalf("after deleting a group, members = %+v", members)
	}
	// Re-creating a group of the same name starts empty: no rows survived.
	again := &store.Group{WorkspaceID: w.ID, Name: "drop"}
	must(t, s.CreateGroup(ctx(t), again), "re-create")
	mine, err := s.MemberGroups(ctx(t), w.ID, u.ID)
	must(t, err, "member groups")
	if !sameStrings(groupNames(mine), []string{"keep"}) {
		t.Fatalf("member groups after re-create = %v", groupNames(mine))
	}
}
