package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestReplicasShareState runs two Servers behind a round-robin "load
// balancer" on one store: the request is started on one replica and
// answered on the other, the session works on both, and the replayed
// response is refused by whichever replica gets it (docs/operation.md).
func TestReplicasShareState(t *testing.T) {
	bothBackends(t, func(t *testing.T, postgres bool) {
		e := newTestEnv(t, testOptions{signup: true, replicas: 2, postgres: postgres})
		id := e.startLogin(e.client, "/w/acme") // replica 1
		sr := e.response(id, "nameid-sam", emailAttrs("sam@example.com"))
		resp := e.postACS(e.client, sr, "") // replica 2
		body(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme" {
			t.Fatalf("cross-replica ACS: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		for i := 0; i < 2; i++ { // one request on each replica
			if page := body(t, e.get(e.client, "/w/acme")); !strings.Contains(page, "sam@example.com") {
				t.Fatalf("session not honoured by replica %d", i+1)
			}
		}
		for i := 0; i < 2; i++ {
			genericFailure(t, e.postACS(e.newClient(), sr, ""), http.StatusForbidden)
		}
		if e.countUsers() != 1 {
			t.Errorf("users = %d, want 1", e.countUsers())
		}
	})
}
