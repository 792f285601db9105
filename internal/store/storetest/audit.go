package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func testAudit(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	e := &store.AuditEvent{WorkspaceID: w.ID, UserID: "u1", ActorID: "admin1", Kind: "login.failure", TraceID: "tr-1",
		Reason: "signature_invalid", Message: "bad signature", Details: []byte(`{"a":1}`), RedactedResponse: "<Response/>", CreatedAt: t0}
	must(t, s.AppendAudit(ctx(t), e), "append")
	if e.ID == 0 {
		t.Fatal("AppendAudit did not set the ID")
	}
	events := []*store.AuditEvent{
		{WorkspaceID: w.ID, UserID: "u1", Kind: "login.success", CreatedAt: t0.Add(time.Second)},
		{WorkspaceID: w.ID, UserID: "u2", Kind: "config.saml", CreatedAt: t0.Add(2 * time.Second)},
		{WorkspaceID: w.ID, UserID: "u2", Kind: "loginx", CreatedAt: t0.Add(3 * time.Second)},
		{WorkspaceID: other.ID, UserID: "u1", Kind: "login.success", CreatedAt: t0.Add(4 * time.Second)},
	}
	for _, ev := range events {
		must(t, s.AppendAudit(ctx(t), ev), "append "+ev.Kind)
		if ev.ID <= e.ID {
			t.Fatalf("IDs must grow: %d after %d", ev.ID, e.ID)
		}
	}

	all, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID})
	must(t, err, "list workspace")
	if kinds := auditKinds(all); !sameStrings(kinds, []string{"loginx", "config.saml", "login.success", "login.failure"}) {
		t.Fatalf("workspace events newest first = %v", kinds)
	}
	last := all[3]
	if last.ID != e.ID || last.UserID != "u1" || last.ActorID != "admin1" || last.TraceID != "tr-1" || last.Reason != "signature_invalid" ||
		last.Message != "bad signature" || string(last.Details) != `{"a":1}` || last.RedactedResponse != "<Response/>" || !last.CreatedAt.Equal(t0) {
		t.Fatalf("round trip: got %+v", last)
	}
	byUser, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, UserID: "u2"})
	must(t, err, "by user")
	if kinds := auditKinds(byUser); !sameStrings(kinds, []string{"loginx", "config.saml"}) {
		t.Fatalf("u2's events = %v", kinds)
	}
	byKind, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, Kind: "login."})
	must(t, err, "by kind prefix")
	if kinds := auditKinds(byKind); !sameStrings(kinds, []string{"login.success", "login.failure"}) {
		t.Fatalf("kind prefix login. = %v", kinds)
	}
	byKind, err = s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, Kind: "LOGIN"})
	must(t, err, "kind prefix other case")
	if len(byKind) != 0 {
		t.Fatalf("kind prefixes are case-sensitive, got %v", auditKinds(byKind))
	}
	both, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, UserID: "u1", Kind: "login"})
	must(t, err, "user and kind")
	if len(both) != 2 {
		t.Fatalf("u1 + login: %v", auditKinds(both))
	}
	instance, err := s.ListAudit(ctx(t), store.AuditFilter{})
	must(t, err, "instance-wide")
	if len(instance) != 5 || instance[0].WorkspaceID != other.ID {
		t.Fatalf("instance-wide list: %d events, first in %q", len(instance), instance[0].WorkspaceID)
	}
}

func auditKinds(es []store.AuditEvent) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Kind
	}
	return out
}

func testAuditPaging(t *testing.T, s store.Store) {
	w := mkWorkspace(t, s)
	const total = 250
	ids := make([]int64, total)
	for i := range total {
		e := &store.AuditEvent{WorkspaceID: w.ID, Kind: "login.success", CreatedAt: t0.Add(time.Duration(i) * time.Second)}
		must(t, s.AppendAudit(ctx(t), e), "append")
		ids[i] = e.ID
	}
	page, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID})
	must(t, err, "default page")
	if len(page) != 100 || page[0].ID != ids[total-1] {
		t.Fatalf("default page: %d events starting at %d, want 100 starting at %d", len(page), page[0].ID, ids[total-1])
	}
	// Walk every page with BeforeID and see each event exactly once, in order.
	var seen []int64
	var before int64
	for {
		page, err := s.ListAudit(ctx(t), store.AuditFilter{WorkspaceID: w.ID, Limit: 60, BeforeID: before})
		must(t, err, "page")
		if len(page) == 0 {
			break
		}
		if len(page) > 60 {
			t.Fatalf("page of %d events with limit 60", len(page))
		}
		for _, e := range page {
			seen = append(seen, e.ID)
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != total {
		t.Fatalf("paging saw %d events, want %d", len(seen), total)
	}
	for i, id := range seen {
		if id != ids[total-1-i] {
			t.Fatalf("event %d of the walk has ID %d, want %d", i, id, ids[total-1-i])
		}
	}
}
