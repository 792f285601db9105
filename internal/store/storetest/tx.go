package storetest

import (
	"errors"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testTxCommit(t *testing.T, s store.Store) {
	var w *store.Workspace
	err := s.InTx(ctx(t), func(q store.Queries) error {
		w = mkWorkspace(t, q)
		u := mkUser(t, q)
		mkMember(t, q, w, u, "admin")
		// Reads inside the transaction see its own writes.
		n, err := q.CountActiveAdmins(ctx(t), w.ID)
		if err != nil || n != 1 {
			t.Errorf("inside tx: CountActiveAdmins = %d, %v; want 1", n, err)
		}
		// Multi-statement methods join the transaction instead of opening one.
		return q.ReplaceGroupMappings(ctx(t), w.ID, []store.GroupMapping{{IdPGroup: "g", WorkspaceGroup: "admin"}})
	})
	must(t, err, "InTx")
	n, err := s.CountActiveAdmins(ctx(t), w.ID)
	must(t, err, "count after commit")
	if n != 1 {
		t.Fatalf("after commit CountActiveAdmins = %d, want 1", n)
	}
	m, err := s.ListGroupMappings(ctx(t), w.ID)
	must(t, err, "mappings after commit")
	if len(m) != 1 {
		t.Fatalf("mappings after commit: %v", m)
	}
}

// everythingInTx writes one row of every kind through q.
func everythingInTx(t *testing.T, q store.Queries) {
	w, u := mkWorkspace(t, q), mkUser(t, q)
	mkMember(t, q, w, u, "admin")
	c := mkSAMLConfig(t, q, w)
	g := &store.Group{WorkspaceID: w.ID, Name: "g"}
	must(t, q.CreateGroup(ctx(t), g), "group")
	must(t, q.SetMemberGroups(ctx(t), w.ID, u.ID, []string{g.ID}), "set groups")
	must(t, q.CreateSSOLink(ctx(t), c.ID, "n", u.ID, t0), "link")
	must(t, q.MarkAssertionUsed(ctx(t), "_tx-assertion", t0), "replay")
	must(t, q.AppendAudit(ctx(t), &store.AuditEvent{WorkspaceID: w.ID, Kind: "login.success"}), "audit")
}

// assertEmpty checks that no row of everythingInTx survived.
func assertEmpty(t *testing.T, s store.Store) {
	t.Helper()
	n, err := s.CountUsers(ctx(t))
	must(t, err, "count users")
	ws, err := s.ListWorkspaces(ctx(t))
	must(t, err, "list workspaces")
	audit, err := s.ListAudit(ctx(t), store.AuditFilter{})
	must(t, err, "list audit")
	if n != 0 || len(ws) != 0 || len(audit) != 0 {
		t.Fatalf("after rollback: %d users, %d workspaces, %d audit events; want none", n, len(ws), len(audit))
	}
	must(t, s.MarkAssertionUsed(ctx(t), "_tx-assertion", t0), "the rolled-back assertion ID is free")
}

func testTxRollback(t *testing.T, s store.Store) {
	boom := errors.New("boom")
	err := s.InTx(ctx(t), func(q store.Queries) error {
		everythingInTx(t, q)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}
	assertEmpty(t, s)
	// A store error inside the transaction rolls back the earlier writes too.
	err = s.InTx(ctx(t), func(q store.Queries) error {
		mkUser(t, q)
		return q.CreateUser(ctx(t), &store.User{Email: "dup@example.com"})
	})
	must(t, err, "setup")
	err = s.InTx(ctx(t), func(q store.Queries) error {
		mkWorkspace(t, q)
		return q.CreateUser(ctx(t), &store.User{Email: "DUP@example.com"})
	})
	wantErr(t, err, store.ErrConflict, "conflict inside a transaction")
	ws, err := s.ListWorkspaces(ctx(t))
	must(t, err, "list")
	if len(ws) != 0 {
		t.Fatalf("a failed transaction left %d workspaces", len(ws))
	}
}

func testTxPanic(t *testing.T, s store.Store) {
	func() {
		defer func() {
			if r := recover(); r != "kaboom" {
				t.Fatalf("recovered %v, want the original panic", r)
			}
		}()
		_ = s.InTx(ctx(t), func(q store.Queries) error {
			everythingInTx(t, q)
			panic("kaboom")
		})
		t.Fatal("InTx returned instead of re-panicking")
	}()
	assertEmpty(t, s)
	// The store is still usable (the connection was released).
	mkUser(t, s)
}
