package workspace

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// EndIdPSessions ends the NameID's sessions of the config (all of them, or
// only the SessionIndex's), leaves other users' alone and audits it.
func TestEndIdPSessions(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.settings(true)
		login := func(nameID, email, index string) string {
			in := f.login(nameID, email)
			in.Identity.SessionIndex = index
			res, err := f.svc.CompleteSAMLLogin(f.ctx, in)
			f.must(err)
			return res.SessionToken
		}
		first, second := login("oid-pat", "pat@example.com", "_s1"), login("oid-pat", "pat@example.com", "_s2")
		other := login("oid-sue", "sue@example.com", "_s1")
		alive := func(token string) bool {
			p, err := f.svc.Authenticate(f.ctx, token)
			return err == nil && p != nil
		}

		n, err := f.svc.EndIdPSessions(f.ctx, f.cfg, "oid-pat", "_s1", "trace-1")
		f.must(err)
		if n != 1 || alive(first) || !alive(second) || !alive(other) {
			t.Fatalf("by session index: ended %d; alive pat/_s1 %v, pat/_s2 %v, sue %v", n, alive(first), alive(second), alive(other))
		}
		n, err = f.svc.EndIdPSessions(f.ctx, f.cfg, "oid-pat", "", "trace-2")
		f.must(err)
		if n != 1 || alive(second) || !alive(other) {
			t.Fatalf("all of the NameID: ended %d; alive pat/_s2 %v, sue %v", n, alive(second), alive(other))
		}

		var got []map[string]any
		for _, ev := range f.events(KindLogout) {
			if ev.TraceID != "trace-1" && ev.TraceID != "trace-2" {
				continue
			}
			var d map[string]any
			f.must(json.Unmarshal(ev.Details, &d))
			got = append(got, d)
		}
		if len(got) != 2 {
			t.Fatalf("audit events: %v", got)
		}
		for _, d := range got {
			if d["name_id"] != "oid-pat" || d["config_id"] != f.cfg.ID || d["sessions"] != float64(1) {
				t.Errorf("audit details %v", d)
			}
		}
	})
}
