package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// The OIDC scenario (-mode oidc) measures the code exchange at the
// token endpoint (issue 9): a confidential client with PKCE trades a code
// for an ID, access and refresh token. Codes are obtained before the timed
// phase through the real authorization flow of one signed-in browser.

const oidcRedirectURI = "http://127.0.0.1:9/callback"

var (
	clientIDRe     = regexp.MustCompile(`(?m)^client_id: (\S+)$`)
	clientSecretRe = regexp.MustCompile(`(?m)^client_secret: (\S+)$`)
)

// oidcCode is one prepared exchange.
type oidcCode struct{ code, verifier string }

// loadOIDC registers an application, signs one browser in through the
// ACS, prepares n codes and exchanges them with the configured workers.
func loadOIDC(o options, backend string, in *instance, idp *entra.IdP, acsURL string) (report, error) {
	out, err := in.cli("app", "create", "--workspace", workspaceSlug, "--name", "bench", "--redirect-uri", oidcRedirectURI)
	if err != nil {
		return report{}, err
	}
	id, secret := clientIDRe.FindStringSubmatch(out), clientSecretRe.FindStringSubmatch(out)
	if id == nil || secret == nil {
		return report{}, fmt.Errorf("app create printed no client_id/client_secret:\n%s", out)
	}
	browser, err := signedInBrowser(idp, acsURL)
	if err != nil {
		return report{}, err
	}
	start := time.Now()
	codes, err := prepareCodes(in.baseURL, browser, id[1], min(o.n, 9000))
	if err != nil {
		return report{}, err
	}
	fmt.Fprintf(os.Stderr, "loadgen: %s: prepared %d codes in %v; exchanging with %d workers\n",
		backend, len(codes), time.Since(start).Round(time.Millisecond), o.workers)
	loadAvg := loadAverage()
	tokenURL := in.baseURL + "/oidc/" + workspaceSlug + "/oauth/token"
	cpu0, err := in.cpuTime()
	if err != nil {
		return report{}, err
	}
	c := newClient(o.workers)
	attempts, elapsed := runPool(len(codes), o.workers, o.limit, func(ctx context.Context, i int) attempt {
		return exchange(ctx, c, tokenURL, id[1], secret[1], codes[i])
	})
	cpu1, err := in.cpuTime()
	if err != nil {
		return report{}, err
	}
	rss, err := in.peakRSS()
	if err != nil {
		return report{}, err
	}
	r := summarize(backend, o.workers, attempts, elapsed, rss, loadAvg)
	r.Unit = "exchanges"
	if r.Completed > 0 {
		per := (cpu1 - cpu0) / time.Duration(r.Completed)
		fmt.Fprintf(os.Stderr, "loadgen: %s: server CPU %v for %d exchanges = %v per exchange (at most %.0f/s on 2 otherwise idle cores)\n",
			backend, (cpu1 - cpu0).Round(10*time.Millisecond), r.Completed, per.Round(time.Microsecond), 2*float64(time.Second)/float64(per))
	}
	return r, nil
}

// signedInBrowser posts one IdP-initiated response and returns the
// browser (cookie jar) that now holds a workspace session.
func signedInBrowser(idp *entra.IdP, acsURL string) (*http.Client, error) {
	bodies, err := presign(idp, acsURL, 1, 1, entra.GroupIDs(3), time.Now())
	if err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := newClient(1)
	c.Jar = jar
	resp, err := c.Post(acsURL, "application/x-www-form-urlencoded", strings.NewReader(bodies[0]))
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if !completedLogin(resp) {
		return nil, fmt.Errorf("browser sign-in: status %d", resp.StatusCode)
	}
	return c, nil
}

// prepareCodes runs n authorizations with PKCE (S256) in the signed-in
// browser, 4 at a time, and collects the codes.
func prepareCodes(base string, browser *http.Client, clientID string, n int) ([]oidcCode, error) {
	codes := make([]oidcCode, n)
	// The first one alone: it gives the browser its binding cookie, which
	// every later authorization of this browser must carry.
	first, err := authorize(base, browser, clientID)
	if err != nil {
		return nil, err
	}
	codes[0] = first
	var next atomic.Int64
	next.Store(1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range 4 {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				c, err := authorize(base, browser, clientID)
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				codes[i] = c
			}
		})
	}
	wg.Wait()
	return codes, firstErr
}

// clientAddrs numbers the simulated client addresses of authorizations.
var clientAddrs atomic.Int64

// authorize follows one authorization through Gatehouse's redirects up
// to the application's redirect URI and returns the code.
func authorize(base string, browser *http.Client, clientID string) (oidcCode, error) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	verifier := base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(verifier))
	next := base + "/oidc/" + workspaceSlug + "/authorize?" + url.Values{
		"client_id": {clientID}, "redirect_uri": {oidcRedirectURI}, "response_type": {"code"}, "state": {"s"},
		"scope": {"openid email profile groups offline_access"}, "nonce": {"n"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}.Encode()
	// A fresh client address per authorization (see runBackend).
	n := clientAddrs.Add(1)
	from := fmt.Sprintf("10.%d.%d.%d", (n>>16)&255, (n>>8)&255, n&255)
	for range 5 {
		req, err := http.NewRequest(http.MethodGet, next, nil)
		if err != nil {
			return oidcCode{}, err
		}
		req.Header.Set("X-Forwarded-For", from)
		resp, err := browser.Do(req)
		if err != nil {
			return oidcCode{}, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil || resp.StatusCode != http.StatusFound {
			return oidcCode{}, fmt.Errorf("authorization: status %d at %s", resp.StatusCode, resp.Request.URL.Path)
		}
		if strings.HasPrefix(loc.String(), oidcRedirectURI) {
			if code := loc.Query().Get("code"); code != "" {
				return oidcCode{code: code, verifier: verifier}, nil
			}
			return oidcCode{}, fmt.Errorf("authorization refused: %s", loc.RawQuery)
		}
		next = loc.String()
	}
	return oidcCode{}, errors.New("authorization did not reach the redirect URI")
}

// exchange trades one code; only a 200 carrying an ID, access and refresh
// token counts.
func exchange(ctx context.Context, c *http.Client, tokenURL, clientID, secret string, code oidcCode) attempt {
	body := url.Values{"grant_type": {"authorization_code"}, "code": {code.code}, "redirect_uri": {oidcRedirectURI},
		"code_verifier": {code.verifier}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(body))
	if err != nil {
		return attempt{detail: err.Error()}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientID, secret)
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return attempt{latency: time.Since(start), detail: err.Error()}
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	resp.Body.Close()
	s := string(b)
	a := attempt{latency: time.Since(start), status: resp.StatusCode,
		ok: resp.StatusCode == http.StatusOK && strings.Contains(s, `"id_token"`) && strings.Contains(s, `"refresh_token"`) && strings.Contains(s, `"access_token"`)}
	if !a.ok {
		a.detail = strings.Join(strings.Fields(s[:min(len(s), 300)]), " ")
	}
	return a
}
