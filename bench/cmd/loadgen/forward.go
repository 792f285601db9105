package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// Forward-auth mode: how many checks per second a reverse proxy can ask
// of Gatehouse for a signed-in browser, next to oauth2-proxy's own check.

// maxChecksPerWorker bounds one worker's loop (and its latency slice)
// whatever the duration.
const maxChecksPerWorker = 2_000_000

// checkRun is one timed phase of checks against one target.
type checkRun struct {
	Target        string
	Workers       int
	OK, Failed    int
	Elapsed       time.Duration
	P50, P99, Max time.Duration
	Errors        map[string]int
	PeakRSS       int64 // bytes, the server's VmHWM (0 when unknown)
	LoadAvg       string
}

// PerSecond counts answers with the expected status only.
func (r checkRun) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// runForward measures Gatehouse on each backend and cache lifetime, then
// oauth2-proxy, and prints the table; the exit status is 1 when a phase
// could not run or answered nothing.
func runForward(o options) int {
	var runs []checkRun
	failed := false
	for _, b := range o.backends {
		b = strings.TrimSpace(b)
		for _, ttl := range o.cacheTTLs {
			ttl = strings.TrimSpace(ttl)
			err := withBackend(o, b, func(in *instance, idp *entra.IdP, acsURL string) error {
				cookie, err := gatehouseSession(idp, acsURL)
				if err != nil {
					return err
				}
				r := hammer(in.baseURL+"/auth/forward/"+workspaceSlug, cookie, http.StatusOK, o.workers, o.checkDuration)
				r.Target = fmt.Sprintf("Gatehouse, %s, cache %s", b, ttl)
				r.PeakRSS, _ = in.peakRSS()
				runs = append(runs, r)
				return nil
			}, "GATEHOUSE_FORWARD_AUTH_CACHE_TTL="+ttl)
			if err != nil {
				fmt.Fprintf(os.Stderr, "loadgen: forward %s cache %s: %v\n", b, ttl, err)
				failed = true
			}
		}
	}
	if o.oauth2Proxy != "none" {
		r, err := runOAuth2Proxy(o)
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: oauth2-proxy: %v\n", err)
			failed = true
		} else {
			runs = append(runs, r)
		}
	}
	printChecks(os.Stdout, runs)
	for _, r := range runs {
		failed = failed || r.OK == 0
	}
	if failed {
		return 1
	}
	return 0
}

// gatehouseSession signs one user in through the ACS (IdP-initiated,
// accepted by the configuration) and returns the forward-auth cookie the
// sign-in sets beside the session cookie.
func gatehouseSession(idp *entra.IdP, acsURL string) (*http.Cookie, error) {
	bodies, err := presign(idp, acsURL, 1, 1, entra.GroupIDs(3), time.Now())
	if err != nil {
		return nil, err
	}
	resp, err := newClient(1).Post(acsURL, "application/x-www-form-urlencoded", strings.NewReader(bodies[0]))
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == forwardCookiePrefix+workspaceSlug && c.Value != "" {
			return &http.Cookie{Name: c.Name, Value: c.Value}, nil
		}
	}
	return nil, fmt.Errorf("sign-in answered %d without a %s%s cookie", resp.StatusCode, forwardCookiePrefix, workspaceSlug)
}

// hammer sends GET url with cookie from workers goroutines for d (after a
// one-second warm-up that is not measured) and records each latency.
func hammer(url string, cookie *http.Cookie, want, workers int, d time.Duration) checkRun {
	c := newClient(workers)
	warm, cancel := context.WithTimeout(context.Background(), time.Second)
	phase(warm, c, url, cookie, want, workers)
	cancel()
	r := checkRun{Workers: workers, Errors: map[string]int{}, LoadAvg: loadAverage()}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	lat, errs := phase(ctx, c, url, cookie, want, workers)
	r.Elapsed = time.Since(start)
	slices.Sort(lat)
	r.OK = len(lat)
	for k, n := range errs {
		r.Errors[k] += n
		r.Failed += n
	}
	r.P50, r.P99 = percentile(lat, 50), percentile(lat, 99)
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	return r
}

// phase runs the workers until ctx ends; it returns the latencies of the
// answers with status want and counts the others by class.
func phase(ctx context.Context, c *http.Client, url string, cookie *http.Cookie, want, workers int) ([]time.Duration, map[string]int) {
	var (
		mu   sync.Mutex
		all  []time.Duration
		errs = map[string]int{}
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 1<<16)
			bad := map[string]int{}
			for i := 0; i < maxChecksPerWorker && ctx.Err() == nil; i++ {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.AddCookie(cookie)
				t0 := time.Now()
				resp, err := c.Do(req)
				if err != nil {
					if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
						bad["transport"]++
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == want {
					lat = append(lat, time.Since(t0))
				} else {
					bad[fmt.Sprint(resp.StatusCode)]++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			for k, n := range bad {
				errs[k] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, errs
}

// printChecks writes the runs as a Markdown table, with each run's rate
// relative to oauth2-proxy's when it was measured.
func printChecks(w io.Writer, runs []checkRun) {
	var peer float64
	for _, r := range runs {
		if strings.HasPrefix(r.Target, "oauth2-proxy") {
			peer = r.PerSecond()
		}
	}
	fmt.Fprintln(w, "| target | workers | checks/s | p50 | p99 | max | failed | vs oauth2-proxy | server peak RSS | load avg at start |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range runs {
		ratio := "—"
		if peer > 0 {
			ratio = fmt.Sprintf("%.2f×", r.PerSecond()/peer)
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | %.2f ms | %.2f ms | %.1f ms | %d | %s | %.0f MB | %s |\n",
			r.Target, r.Workers, r.PerSecond(), float64(r.P50)/1e6, float64(r.P99)/1e6, float64(r.Max)/1e6,
			r.Failed, ratio, float64(r.PeakRSS)/(1<<20), r.LoadAvg)
		for k, n := range r.Errors {
			fmt.Fprintf(os.Stderr, "loadgen: %s: %d answers %s\n", r.Target, n, k)
		}
	}
}
