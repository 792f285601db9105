package workspace

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestSeenGroupsRecordedAfterLoginThrottled: the values are recorded with
// sync off, at most once per SeenGroupsInterval per (workspace, value),
// and a value not seen before is written at once.
func TestSeenGroupsRecordedAfterLoginThrottled(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		t0 := f.now
		seen := func() map[string]store.SeenIdPGroup {
			list, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 0)
			f.must(err)
			out := map[string]store.SeenIdPGroup{}
			for _, g := range list {
				out[g.Value] = g
			}
			return out
		}
		_, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", "g1", "g2"))
		f.must(err)
		if s := seen(); len(s) != 2 || !s["g1"].LastSeen.Equal(t0) || s["g1"].Count != 1 {
			t.Fatalf("after the first login: %+v", s)
		}
		f.now = t0.Add(SeenGroupsInterval - time.Second)
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("b-oid", "b@example.com", "g1", "g3"))
		f.must(err)
		s := seen()
		if !s["g1"].LastSeen.Equal(t0) || s["g1"].Count != 1 {
			t.Errorf("g1 written again within the interval: %+v", s["g1"])
		}
		if !s["g3"].LastSeen.Equal(f.now) {
			t.Errorf("g3 (new) not written at once: %+v", s)
		}
		f.now = t0.Add(SeenGroupsInterval)
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", "g1"))
		f.must(err)
		if s := seen(); !s["g1"].LastSeen.Equal(f.now) || s["g1"].Count != 2 || !s["g2"].LastSeen.Equal(t0) {
			t.Errorf("after the interval: %+v", s)
		}
	})
}

// TestSeenGroupsNotRecordedForFailedLogin: a refused login records nothing.
func TestSeenGroupsNotRecordedForFailedLogin(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		in := f.login("a-oid", "a@example.com", "g1")
		_, err := f.svc.CompleteSAMLLogin(f.ctx, in)
		f.must(err)
		in2 := f.login("b-oid", "b@example.com", "g2")
		in2.AssertionID = in.AssertionID // replay
		if _, err := f.svc.CompleteSAMLLogin(f.ctx, in2); err == nil {
			t.Fatal("replay accepted")
		}
		list, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 0)
		f.must(err)
		if len(list) != 1 || list[0].Value != "g1" {
			t.Errorf("seen after a refused login: %+v", list)
		}
	})
}

// TestSeenThrottleBounded: the map never grows past seenGroupsCap, and a
// value pushed out is simply written again.
func TestSeenThrottleBounded(t *testing.T) {
	var th seenThrottle
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range seenGroupsCap * 3 {
		if got := th.due("ws", []string{fmt.Sprint(i)}, t0); len(got) != 1 {
			t.Fatalf("value %d: due %v", i, got)
		}
		if len(th.last) > seenGroupsCap {
			t.Fatalf("throttle holds %d entries", len(th.last))
		}
	}
	if got := th.due("ws", []string{"x", "x2"}, t0); len(got) != 2 {
		t.Errorf("new values: %v", got)
	}
	if got := th.due("ws", []string{"x"}, t0.Add(time.Second)); len(got) != 0 {
		t.Errorf("x again within the interval: %v", got)
	}
	if got := th.due("other", []string{"x"}, t0); len(got) != 1 {
		t.Errorf("same value, other workspace: %v", got)
	}
	th.forget("ws", []string{"x"})
	if got := th.due("ws", []string{"x"}, t0); len(got) != 1 {
		t.Errorf("x after forget: %v", got)
	}
}

// failingSeen is the real store whose seen-groups write fails while fail
// is set: a database that refuses that one write.
type failingSeen struct {
	store.Store
	fail bool
}

func (s *failingSeen) RecordSeenIdPGroups(ctx context.Context, workspaceID string, values []string, at time.Time) error {
	if s.fail {
		return errors.New("disk full")
	}
	return s.Store.RecordSeenIdPGroups(ctx, workspaceID, values, at)
}

// TestSeenGroupsFailureKeepsLogin: a failed seen-groups write never fails
// the login, and the next login (within the interval) writes the values.
func TestSeenGroupsFailureKeepsLogin(t *testing.T) {
	st := openSQLite(t)
	f := newFixture(t, st)
	f.settings(true)
	fs := &failingSeen{Store: st, fail: true}
	f.svc.Store = fs
	res, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", "g1"))
	if err != nil || res.SessionToken == "" {
		t.Fatalf("login failed with the seen-groups write: %v", err)
	}
	if list, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 0); err != nil || len(list) != 0 {
		t.Fatalf("seen after a failed write: %+v %v", list, err)
	}
	fs.fail = false
	f.now = f.now.Add(time.Second)
	_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", "g1"))
	f.must(err)
	if list, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 0); err != nil || len(list) != 1 || !list[0].LastSeen.Equal(f.now) {
		t.Errorf("the failed value was not retried: %+v %v", list, err)
	}
}
