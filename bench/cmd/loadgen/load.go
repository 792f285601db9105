package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sessionCookiePrefix starts the name of the workspace session cookie a
// completed login sets (gatehouse_session_{slug}, one per workspace, after
// "__Host-" when the server's cookies are Secure).
const sessionCookiePrefix = "gatehouse_session_"

// forwardCookiePrefix starts the name of the workspace forward-auth
// cookie, the only one forward-auth checks accept.
const forwardCookiePrefix = "gatehouse_forward_"

// attempt is the outcome of one POST to the ACS.
type attempt struct {
	latency time.Duration
	status  int    // 0 when the request failed without a response
	ok      bool   // 303 with a session cookie: a completed login
	detail  string // a short note for failures (transport error or body start)
}

// completedLogin reports whether resp is a finished sign-in: a 303 that
// sets a non-empty session cookie. A 303 without one (Gatehouse's bounce
// to an SP-initiated sign-in, or to an error page) does not count.
func completedLogin(resp *http.Response) bool {
	if resp.StatusCode != http.StatusSeeOther {
		return false
	}
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(strings.TrimPrefix(c.Name, "__Host-"), sessionCookiePrefix) && c.Value != "" {
			return true
		}
	}
	return false
}

// newClient is an HTTP client that does not follow redirects (the 303 is
// the result) and keeps one connection per worker.
func newClient(workers int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = workers
	tr.MaxIdleConnsPerHost = workers
	return &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// post sends one form body to the ACS and classifies the answer.
func post(ctx context.Context, c *http.Client, acsURL, body string) attempt {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, acsURL, strings.NewReader(body))
	if err != nil {
		return attempt{detail: err.Error()}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return attempt{latency: time.Since(start), detail: err.Error()}
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, resp.Body) // drain, so the connection is reused
	resp.Body.Close()
	a := attempt{latency: time.Since(start), status: resp.StatusCode, ok: completedLogin(resp)}
	if !a.ok {
		a.detail = strings.Join(strings.Fields(string(head)), " ")
	}
	return a
}

// run posts bodies to acsURL with the given number of concurrent workers
// until every body is sent or the duration has passed, whichever comes
// first. It returns the attempts and the wall time of the phase.
func run(c *http.Client, acsURL string, bodies []string, workers int, limit time.Duration) ([]attempt, time.Duration) {
	return runPool(len(bodies), workers, limit, func(ctx context.Context, i int) attempt {
		return post(ctx, c, acsURL, bodies[i])
	})
}

// runPool is the timed phase of every mode: workers call do for the items
// 0..n-1, each once, until all are done or limit has passed. It returns the
// attempts and the wall time of the phase.
func runPool(n, workers int, limit time.Duration, do func(ctx context.Context, i int) attempt) ([]attempt, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	results := make([]attempt, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				results[i] = do(ctx, int(i))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	// Attempts cut short by the deadline are not part of the result.
	var done []attempt
	for _, a := range results[:min(next.Load(), int64(n))] {
		if a.status == 0 && ctx.Err() != nil {
			continue
		}
		done = append(done, a)
	}
	return done, elapsed
}
