package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testTrimSeenIdPGroups: trimming keeps the most recently seen values of
// one workspace and leaves other workspaces alone.
func testTrimSeenIdPGroups(t *testing.T, s store.Store) {
	w, other := mkWorkspace(t, s), mkWorkspace(t, s)
	for i := range 15 {
		must(t, s.RecordSeenIdPGroups(ctx(t), w.ID, []string{fmt.Sprintf("g%02d", i)}, t0.Add(time.Duration(i)*time.Second)), "record")
	}
	must(t, s.RecordSeenIdPGroups(ctx(t), other.ID, []string{"x", "y"}, t0), "record other")
	n, err := s.TrimSeenIdPGroups(ctx(t), w.ID, 10)
	must(t, err, "trim")
	if n != 5 {
		t.Fatalf("trim deleted %d, want 5", n)
	}
	list, err := s.ListSeenIdPGroups(ctx(t), w.ID, 100)
	must(t, err, "list")
	if len(list) != 10 || list[0].Value != "g14" || list[9].Value != "g05" {
		t.Fatalf("after trim: %+v, want g14 .. g05", list)
	}
	n, err = s.TrimSeenIdPGroups(ctx(t), w.ID, 10)
	must(t, err, "trim again")
	if n != 0 {
		t.Fatalf("second trim deleted %d, want 0", n)
	}
	others, err := s.ListSeenIdPGroups(ctx(t), other.ID, 100)
	must(t, err, "list other")
	if len(others) != 2 {
		t.Fatalf("trim touched another workspace: %+v", others)
	}
}
