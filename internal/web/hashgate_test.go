package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// TestPasswordHashesAreBounded is issue 11 item 5: argon2id runs in a
// bounded number of slots; an attempt that finds none free (after a short
// wait) is answered 503 with Retry-After, never a 500, and never hashed.
func TestPasswordHashesAreBounded(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	gate := workspace.NewHashGate(1, 0)
	e.svc.PasswordHashes = gate
	try := func(c *http.Client, token string, i int) *http.Response {
		return e.postForm(c, "/login/acme", url.Values{"csrf": {token},
			"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"wrong password"}})
	}

	// Deterministic: the only slot is taken, so the attempt is refused.
	token := e.csrfFrom(e.client, "/login/acme")
	held, release := make(chan struct{}), make(chan struct{})
	go func() { _ = gate.Do(context.Background(), func() { close(held); <-release }) }()
	<-held
	resp := try(e.client, token, 0)
	body(t, resp)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("attempt with every hash slot taken: status %d, Retry-After %q; want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(release)
	resp = try(e.client, token, 1)
	body(t, resp)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("attempt with a free slot: status %d, want 401", resp.StatusCode)
	}

	// Concurrent attempts from several browsers: each is hashed in the one
	// slot or refused cleanly.
	const n = 8
	clients, tokens := make([]*http.Client, n), make([]string, n)
	for i := range n {
		clients[i] = e.newClient()
		tokens[i] = e.csrfFrom(clients[i], "/login/acme")
	}
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := try(clients[i], tokens[i], 10+i)
			body(t, resp)
			statuses[i] = resp.StatusCode
			if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		}()
	}
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusUnauthorized && st != http.StatusServiceUnavailable {
			t.Errorf("concurrent attempt %d: status %d, want 401 or 503", i, st)
		}
	}
}
