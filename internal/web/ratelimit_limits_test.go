package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
)

// trustLoopbackProxy makes the env believe X-Forwarded-For from the loopback
// proxy, so one test can play clients at several addresses, and stops the
// web layer's clock, so no bucket refills however slowly the test runs.
func (e *testEnv) trustLoopbackProxy() {
	e.web.opts.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	frozen := time.Now()
	e.web.now = func() time.Time { return frozen }
}

// doFrom sends req from client address addr (via X-Forwarded-For).
func (e *testEnv) doFrom(c *http.Client, addr string, req *http.Request) *http.Response {
	e.t.Helper()
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// postFormFrom posts a same-origin form from client address addr.
func (e *testEnv) postFormFrom(c *http.Client, addr, path string, form url.Values) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.doFrom(c, addr, req)
}

// TestPasswordLockoutIsPerAddress is issue 11 item 12: one address failing
// at an account does not lock its owner out; the owner's correct password
// from another address still gets in.
func TestPasswordLockoutIsPerAddress(t *testing.T) {
	e := newTestEnv(t, testOptions{password: true})
	e.trustLoopbackProxy()
	e.passwordUser("pat@example.com", "s3cret-passw0rd", "end-user")
	attacker := e.newClient()
	token := e.csrfFrom(attacker, "/login/acme")
	limited := false
	for range 3 * int(loginPairRule.burst) {
		resp := e.postFormFrom(attacker, "203.0.113.7", "/login/acme", url.Values{"csrf": {token},
			"email": {"pat@example.com"}, "password": {"wrong-password"}})
		body(t, resp)
		limited = limited || resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Errorf("%d wrong passwords from one address were never rate-limited", 3*int(loginPairRule.burst))
	}
	owner := e.newClient()
	token = e.csrfFrom(owner, "/login/acme")
	resp := e.postFormFrom(owner, "198.51.100.20", "/login/acme", url.Values{"csrf": {token},
		"email": {"pat@example.com"}, "password": {"s3cret-passw0rd"}})
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner's correct password from a fresh address: status %d, want 303", resp.StatusCode)
	}
}

// TestSetupTokenLimitIsPerAddress is issue 11 item 7: wrong setup tokens
// from one address never make the operator's correct token refused.
func TestSetupTokenLimitIsPerAddress(t *testing.T) {
	e := newTestEnv(t, testOptions{})
	e.trustLoopbackProxy()
	guesser := e.newClient()
	token := e.csrfFrom(guesser, "/setup")
	limited := false
	for range 3 * int(setupRule.burst) {
		resp := e.postFormFrom(guesser, "203.0.113.7", "/setup", url.Values{"csrf": {token}, "token": {"guess"},
			"email": {"x@example.com"}, "name": {"X"}, "password": {"0123456789ab"}, "workspace_name": {"X"}, "slug": {"x"}})
		body(t, resp)
		limited = limited || resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Errorf("%d wrong setup tokens from one address were never rate-limited", 3*int(setupRule.burst))
	}
	operator := e.newClient()
	token = e.csrfFrom(operator, "/setup")
	resp := e.postFormFrom(operator, "198.51.100.20", "/setup", url.Values{"csrf": {token}, "token": {"setup-token-for-tests"},
		"email": {"op@example.com"}, "name": {"Op"}, "password": {"0123456789ab"}, "workspace_name": {"Newco"}, "slug": {"newco"}})
	page := body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the correct setup token from another address: status %d, want 303\n%s", resp.StatusCode, page)
	}
}

// TestSAMLStartIsRateLimitedPerAddress is issue 11 item 6: each
// unauthenticated start stores an outstanding request, so one address may
// start only so many; another address is not affected.
func TestSAMLStartIsRateLimitedPerAddress(t *testing.T) {
	e := newTestEnv(t, testOptions{})
	e.trustLoopbackProxy()
	path := e.srv.URL + "/api/sso/saml/" + e.cfg.ID + "/login"
	start := func(addr string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		resp := e.doFrom(e.newClient(), addr, req)
		body(t, resp)
		return resp
	}
	started, refused := 0, 0
	for range int(samlStartRule.burst) + 20 {
		resp := start("203.0.113.7")
		switch resp.StatusCode {
		case http.StatusFound:
			started++
		case http.StatusTooManyRequests:
			refused++
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		default:
			t.Fatalf("start: status %d", resp.StatusCode)
		}
	}
	if started != int(samlStartRule.burst) || refused != 20 {
		t.Errorf("one address started %d sign-ins and was refused %d times; want %d started and 20 refused", started, refused, int(samlStartRule.burst))
	}
	if resp := start("198.51.100.20"); resp.StatusCode != http.StatusFound {
		t.Errorf("another address: status %d, want 302", resp.StatusCode)
	}
}
