package workspace

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestConcurrentLoginsOfOneMember runs many logins of one existing member
// at once whose group sync adds a group, and then logins with conflicting
// group claims: every login succeeds, and the groupsync audit events form
// one chain (each event's groups before are the previous event's groups
// after) that ends in the committed groups (docs/access-rules.md).
func TestConcurrentLoginsOfOneMember(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.cfg.GroupSync = true
		f.must(f.svc.SaveSAMLConfig(f.ctx, "", f.cfg))
		for _, n := range []string{"Sales", "Engineering"} {
			_, err := f.svc.CreateGroup(f.ctx, "", f.ws.ID, n, false)
			f.must(err)
		}
		pat := f.member("pat@example.com", RoleEndUser)
		run := func(n int, claims func(i int) []string) {
			t.Helper()
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = f.svc.CompleteSAMLLogin(f.ctx, f.login("pat-oid", "pat@example.com", claims(i)...))
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("login %d of %d: %v", i, n, err)
				}
			}
		}
		run(20, func(int) []string { return []string{"Sales"} })
		if g := f.groupsOf(pat.ID); !slices.Equal(g, []string{"Sales"}) {
			t.Fatalf("groups after concurrent logins: %v", g)
		}
		options := [][]string{{"Sales"}, {"Engineering"}, {"Sales", "Engineering"}, {"unrelated"}}
		run(20, func(i int) []string { return options[i%len(options)] })

		events := f.events(KindGroupSync)
		slices.Reverse(events) // oldest first
		prev := "[]"
		for i, e := range events {
			var d struct {
				Added   []string `json:"groups_added"`
				Removed []string `json:"groups_removed"`
				Groups  []string `json:"groups"`
			}
			f.must(json.Unmarshal(e.Details, &d))
			before := map[string]bool{}
			var cur []string
			f.must(json.Unmarshal([]byte(prev), &cur))
			for _, g := range cur {
				before[g] = true
			}
			for _, g := range d.Removed {
				if !before[g] {
					t.Fatalf("event %d removed %q, which the previous event did not leave (%s)", i, g, prev)
				}
				delete(before, g)
			}
			for _, g := range d.Added {
				if before[g] {
					t.Fatalf("event %d added %q, which the previous event already left (%s)", i, g, prev)
				}
				before[g] = true
			}
			after := sortedCopy(d.Groups)
			if got := sortedKeys(before); fmt.Sprint(got) != fmt.Sprint(after) {
				t.Fatalf("event %d: %s + added %v - removed %v = %v, but it says the groups are %v", i, prev, d.Added, d.Removed, got, after)
			}
			b, _ := json.Marshal(after)
			prev = string(b)
		}
		if b, _ := json.Marshal(nonNil(f.groupsOf(pat.ID))); string(b) != prev {
			t.Fatalf("committed groups %s, last groupsync event says %s", b, prev)
		}
	})
}
