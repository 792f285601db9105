package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
)

// Regression tests of the third security review's findings on pending
// OIDC authorizations (docs/decisions.md, "Review 3: pending OIDC
// authorizations").

// Finding A: 256 /64s of one /56, each its own /64 bucket, pushed 12,000
// authorizations to the workspace's cap and evicted a victim's in-flight
// authorization. The /56 and /48 buckets stop the flood well below the
// cap, so the victim's hand-off still finishes.
func TestReview3EvictVictimFromOneSlash56(t *testing.T) {
	e := newOIDCEnv(t, testOptions{}) // default cap
	e.trustLoopbackProxy()
	a := e.app(oidc.AppInput{})
	victim := e.browserAt("192.0.2.55")
	_, vopts := pkce()
	resp, err := victim.Get(a.conf.AuthCodeURL("st-1", vopts...))
	must(t, err)
	resp.Body.Close()
	handoff := resp.Header.Get("Location")
	id := handoff[strings.Index(handoff, "id=")+3:]
	var wg sync.WaitGroup
	var mu sync.Mutex
	limited := 0
	for i := range 200 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b := e.browserAt(fmt.Sprintf("2001:db8:aa00:%x::1", i))
			for range 60 {
				_, opts := pkce()
				resp, err := b.Get(a.conf.AuthCodeURL("s", opts...))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusTooManyRequests {
					mu.Lock()
					limited++
					mu.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()
	if limited == 0 {
		t.Error("a flood of 12,000 authorizations from one /56 was never rate-limited")
	}
	if _, err := e.st.GetOIDCAuthRequest(context.Background(), e.ws.ID, id, e.svc.Now()); err != nil {
		t.Fatalf("victim's in-flight authorization was evicted by a flood from one /56")
	}
	if res := e.authorize(victim, handoff, true); res.code == "" {
		t.Fatalf("victim got no code: %+v", res)
	}
}

// plantCookie puts a cookie a sibling host set (Domain=parent, a longer
// Path) in front of the browser's own cookies, as browsers order them.
type plantCookie struct {
	cookie string
	next   http.RoundTripper
}

func (p plantCookie) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if c := r.Header.Get("Cookie"); c != "" {
		r.Header.Set("Cookie", p.cookie+"; "+c)
	} else {
		r.Header.Set("Cookie", p.cookie)
	}
	return p.next.RoundTrip(r)
}

// Finding B: a planted binding cookie sent before the browser's own made
// the hand-off refuse (and delete) the victim's authorization.
func TestReview3PlantedBindingCookie(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	victim := e.newClient()
	_, opts := pkce()
	resp, err := victim.Get(a.conf.AuthCodeURL("st-1", opts...))
	must(t, err)
	resp.Body.Close()
	handoff := resp.Header.Get("Location")
	if !strings.Contains(handoff, "/oidc/acme/login?id=") {
		t.Fatalf("no hand-off: %d %q", resp.StatusCode, handoff)
	}
	var name string
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "gatehouse_oidc_binding") {
			name = c.Name
			if !strings.HasPrefix(name, hostCookiePrefix) || c.Path != "/" || c.Domain != "" {
				t.Errorf("binding cookie under Secure cookies: %+v, want a __Host- cookie with Path=/", c)
			}
		}
	}
	if name == "" {
		t.Fatal("no binding cookie set")
	}
	planted := "gatehouse_oidc_binding=" + strings.Repeat("x", 43) + "; " + name + "=" + strings.Repeat("y", 43)
	victim.Transport = plantCookie{cookie: planted, next: victim.Transport}
	if res := e.authorize(victim, handoff, true); res.code == "" {
		t.Fatalf("victim got no code with a planted binding cookie sent first: %+v", res)
	}
}

// Finding A, the cap itself: at the workspace's cap the pending requests
// of the client holding the most give way, not the oldest whoever made
// them, so a flood under every rate limit still evicts only its own.
func TestReview3CapEvictsTheLargestHolder(t *testing.T) {
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{maxPending: 50}})
	e.trustLoopbackProxy()
	a := e.app(oidc.AppInput{})
	victim := e.browserAt("192.0.2.55")
	_, vopts := pkce()
	resp, err := victim.Get(a.conf.AuthCodeURL("st-1", vopts...))
	must(t, err)
	resp.Body.Close()
	handoff := resp.Header.Get("Location")
	id := handoff[strings.Index(handoff, "id=")+3:]
	for i := range 20 {
		b := e.browserAt(fmt.Sprintf("2001:db8:aa00:%x::1", i))
		for range 5 {
			_, opts := pkce()
			resp, err := b.Get(a.conf.AuthCodeURL("s", opts...))
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("flood request: %d (it must stay under the rate limits)", resp.StatusCode)
			}
		}
	}
	if n, err := e.st.CountOIDCAuthRequests(context.Background(), e.ws.ID, e.svc.Now()); err != nil || n > 50 {
		t.Fatalf("pending after the flood: %d, %v; want at most the cap", n, err)
	}
	if _, err := e.st.GetOIDCAuthRequest(context.Background(), e.ws.ID, id, e.svc.Now()); err != nil {
		t.Fatalf("victim's in-flight authorization was evicted at the cap by another client's flood")
	}
	if res := e.authorize(victim, handoff, true); res.code == "" {
		t.Fatalf("victim got no code: %+v", res)
	}
}
