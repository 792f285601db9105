package workspace

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// TestSeenGroupsCappedPerWorkspace is issue 11 item 6: an IdP cannot grow
// "IdP groups seen" without bound. Beyond the cap the least recently seen
// values are dropped, so the list keeps what the IdP sends now; values too
// long to be useful as mapping keys are not listed.
func TestSeenGroupsCappedPerWorkspace(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		batch := func(prefix string) []string {
			out := make([]string, MaxSeenIdPGroups*3/5)
			for i := range out {
				out[i] = fmt.Sprintf("%s-%04d", prefix, i)
			}
			return out
		}
		_, err := f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", batch("old")...))
		f.must(err)
		f.now = f.now.Add(SeenGroupsInterval)
		newer := append(batch("new"), strings.Repeat("L", maxSeenValueBytes+1))
		_, err = f.svc.CompleteSAMLLogin(f.ctx, f.login("a-oid", "a@example.com", newer...))
		f.must(err)
		list, err := st.ListSeenIdPGroups(f.ctx, f.ws.ID, 10*MaxSeenIdPGroups)
		f.must(err)
		if len(list) != MaxSeenIdPGroups {
			t.Fatalf("%d values seen after two logins with %d each, want the cap %d", len(list), len(newer), MaxSeenIdPGroups)
		}
		news := 0
		for _, g := range list {
			if strings.HasPrefix(g.Value, "new-") {
				news++
			}
			if len(g.Value) > maxSeenValueBytes {
				t.Errorf("a %d-byte value was recorded", len(g.Value))
			}
		}
		if news != len(newer)-1 {
			t.Errorf("%d of the %d most recent values kept, want all", news, len(newer)-1)
		}
	})
}
