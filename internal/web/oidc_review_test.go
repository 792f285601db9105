package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Regression tests of the security review's OIDC findings
// (docs/decisions.md, "Security review fixes").

// forwardedFor is a browser whose requests come from client address addr
// (through the trusted loopback proxy, see trustLoopbackProxy).
type forwardedFor struct {
	addr string
	next http.RoundTripper
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// browserAt is a new browser at client address addr.
func (e *testEnv) browserAt(addr string) *http.Client {
	c := e.newClient()
	c.Transport = forwardedFor{addr: addr, next: c.Transport}
	return c
}

// Finding 1: an attacker starts an authorization, sends its hand-off link
// to a signed-in victim and polls the op package's callback with the
// request ID; neither the victim's click nor the polling, nor the
// attacker opening the link afterwards, yields a code for the victim.
func TestOIDCReviewHandoffFixation(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	a := e.app(oidc.AppInput{})
	attacker := e.newClient()
	verifier, opts := pkce()
	resp, err := attacker.Get(a.conf.AuthCodeURL("attacker-state", opts...))
	must(t, err)
	resp.Body.Close()
	handoff := resp.Header.Get("Location")
	if !strings.Contains(handoff, "/oidc/acme/login?id=") {
		t.Fatalf("no hand-off: %d %q", resp.StatusCode, handoff)
	}
	id := handoff[strings.Index(handoff, "id=")+3:]
	victim := e.newClient()
	e.codeFlow(a, victim, "n") // the victim has a session
	poll := func() string {
		resp, err := attacker.Get(e.srv.URL + "/oidc/acme/authorize/callback?id=" + id)
		must(t, err)
		resp.Body.Close()
		return resp.Header.Get("Location")
	}
	poll()
	resp, err = victim.Get(handoff)
	must(t, err)
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); strings.Contains(loc, "code=") {
		t.Fatalf("the victim's browser issued a code for the attacker's request: %q", loc)
	}
	codes := []string{poll()}
	resp, err = attacker.Get(handoff) // the attacker's own browser, no session
	must(t, err)
	resp.Body.Close()
	codes = append(codes, resp.Header.Get("Location"), poll())
	for _, loc := range codes {
		u, err := url.Parse(loc)
		if err != nil || u.Query().Get("code") == "" {
			continue
		}
		tok, err := a.conf.Exchange(a.ctx, u.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			continue
		}
		if _, claims := a.idToken(t, tok); claims["sub"] == e.aliceID {
			t.Fatalf("attacker obtained alice's tokens via a fixated hand-off id")
		}
	}
	// The victim's click spent the request: it is gone for everyone.
	if _, err := e.st.GetOIDCAuthRequest(context.Background(), e.ws.ID, id, e.svc.Now()); err == nil {
		t.Errorf("the fixated pending request survived the refused hand-off")
	}
}

// Finding 3: one address flooding the authorization endpoint is
// rate-limited (429, Retry-After, error page), and with the workspace's
// pending requests at the cap, another address's sign-in still works (the
// oldest unfinished requests give way).
func TestOIDCAuthorizeFloodDoesNotBlockOthers(t *testing.T) {
	e := newOIDCEnv(t, testOptions{oidc: &oidcTestOptions{maxPending: 40}})
	e.trustLoopbackProxy()
	a := e.app(oidc.AppInput{})
	flooder := e.browserAt("203.0.113.7")
	var limited *http.Response
	for i := range 200 {
		_, opts := pkce()
		resp, err := flooder.Get(a.conf.AuthCodeURL("s", opts...))
		must(t, err)
		b := body(t, resp)
		if resp.StatusCode == http.StatusTooManyRequests {
			if i < 30 {
				t.Fatalf("rate-limited after %d requests", i)
			}
			if !strings.Contains(b, "trace") && !strings.Contains(strings.ToLower(b), "too many") {
				t.Errorf("429 without the error page: %q", b)
			}
			limited = resp
			break
		}
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("flood request %d: %d", i, resp.StatusCode)
		}
	}
	if limited == nil || limited.Header.Get("Retry-After") == "" {
		t.Fatalf("200 authorization requests from one address were not rate-limited (or no Retry-After)")
	}
	// Other addresses fill the workspace to its cap.
	for i := range 40 {
		b := e.browserAt("198.51.100." + string(rune('1'+i%9)))
		_, opts := pkce()
		resp, err := b.Get(a.conf.AuthCodeURL("s", opts...))
		must(t, err)
		resp.Body.Close()
	}
	victim := e.browserAt("192.0.2.55")
	e.codeFlow(a, victim, "n")
	if n, err := e.st.CountOIDCAuthRequests(context.Background(), e.ws.ID, e.svc.Now()); err != nil || n > 40 {
		t.Errorf("pending requests = %d (%v), want at most the cap 40", n, err)
	}
}

// Finding 6: a code issued before the session signed out is refused at
// the exchange (invalid_grant): it must not yield a live refresh token.
func TestOIDCCodeAfterSignOutRefused(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testCodeAfterSignOut(t, testOptions{}) })
	// Requests alternate between two replicas: sign-out and exchange
	// land on different ones.
	t.Run("postgres-2-replicas", func(t *testing.T) { testCodeAfterSignOut(t, testOptions{postgres: true, replicas: 2}) })
}

func testCodeAfterSignOut(t *testing.T, o testOptions) {
	e := newOIDCEnv(t, o)
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	e.codeFlow(a, browser, "n") // signed in
	verifier, opts := pkce()
	res := e.authorize(browser, a.conf.AuthCodeURL("st", opts...), false)
	if res.code == "" {
		t.Fatalf("no code: %+v", res)
	}
	csrf := e.csrfFrom(browser, "/w/acme")
	resp := e.postForm(browser, "/logout/acme", url.Values{"csrf": {csrf}})
	resp.Body.Close()
	tok, err := a.conf.Exchange(a.ctx, res.code, oauth2.VerifierOption(verifier))
	if err == nil {
		t.Fatalf("code exchanged after sign-out: refresh token %q", tok.RefreshToken)
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("exchange after sign-out: %v, want invalid_grant", err)
	}
}

// Finding 2: a back-channel logout URI must be https unless the operator
// allows private back-channels, and at send time a URI resolving to a
// loopback (private, link-local ...) address is never dialled.
func TestOIDCBackChannelRefusesPrivateAddresses(t *testing.T) {
	e := newOIDCEnv(t, testOptions{})
	_, _, err := (&oidc.Apps{Store: e.st}).Create(context.Background(), "", e.ws.ID, oidc.AppInput{Name: "Plain",
		RedirectURIs: []string{testRedirectURI}, BackChannelLogoutURI: "http://127.0.0.1:2019/stop"})
	var ve *workspace.ValidationError
	if !errors.As(err, &ve) || ve.Field != "backchannel_logout_uri" || !strings.Contains(ve.Message, "https") {
		t.Fatalf("http back-channel URI: %v, want a field error", err)
	}
	// An https URI on loopback passes registration (the host could be a
	// name that resolves anywhere); the dial-time check stops it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	a := e.app(oidc.AppInput{BackChannelLogoutURI: "https://" + ln.Addr().String() + "/bcl"})
	browser := e.newClient()
	e.codeFlow(a, browser, "n")
	csrf := e.csrfFrom(browser, "/w/acme")
	resp := e.postForm(browser, "/logout/acme", url.Values{"csrf": {csrf}})
	resp.Body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.logs.String(), "back-channel logout failed") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("Gatehouse connected to the loopback back-channel URI %d times", n)
	}
	if !strings.Contains(e.logs.String(), "private, loopback or link-local") {
		t.Errorf("no log line says the address was refused:\n%s", e.logs.String())
	}
}
