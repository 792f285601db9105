package scim_test

import (
	"net/http"
	"testing"
)

// statusAt sends GET /Users to workspace slug's SCIM URL with token and
// returns the status.
func (e *env) statusAt(slug, token string) int {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), "GET", e.URL+"/scim/v2/"+slug+"/Users", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestWrongTokenLimitIsPerWorkspace (security review, SCIM observation):
// Entra's provisioning service sends every tenant's requests from shared
// addresses (here all come from 127.0.0.1), so one tenant's wrong tokens
// must never get another workspace's sync refused, and a correct token is
// never refused because of anyone's failures, even at its own workspace.
func TestWrongTokenLimitIsPerWorkspace(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		other, err := e.Svc.CreateWorkspace(t.Context(), "", "Other", "other")
		if err != nil {
			t.Fatal(err)
		}
		otherTok, err := e.Svc.CreateSCIMToken(t.Context(), "", other.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Someone's misconfigured (or hostile) directory hammers "other".
		last := 0
		for range 15 {
			last = e.statusAt("other", "gtscim_wrong")
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("15 wrong tokens at other: last %d, want 429", last)
		}
		if got := e.statusAt("acme", e.Token); got != http.StatusOK {
			t.Errorf("acme's correct token after failures at other: %d", got)
		}
		if got := e.statusAt("acme", "gtscim_wrong"); got != http.StatusUnauthorized {
			t.Errorf("a wrong token at acme after failures at other: %d, want 401 (acme's budget is its own)", got)
		}
		if got := e.statusAt("other", otherTok); got != http.StatusOK {
			t.Errorf("other's correct token after failures at other: %d", got)
		}
		// Someone guesses at acme itself (its slug is in its Tenant URL).
		for range 15 {
			last = e.statusAt("acme", "gtscim_wrong")
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("15 wrong tokens at acme: last %d, want 429", last)
		}
		if got := e.statusAt("acme", e.Token); got != http.StatusOK {
			t.Errorf("acme's correct token after failures at acme: %d", got)
		}
	})
}
