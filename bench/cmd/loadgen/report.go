package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"
)

// report summarizes one backend's run.
type report struct {
	Backend   string
	Workers   int
	Attempts  int
	Completed int
	Elapsed   time.Duration
	P50, P99  time.Duration     // latency of completed logins
	Errors    map[string]int    // "303 without session", "500", "transport", ...
	Examples  map[string]string // one failure note per error class
	PeakRSS   int64             // bytes, the server's VmHWM
	LoadAvg   string            // /proc/loadavg 1-minute figure when the timed phase began
	Unit      string            // what completed: "logins" (default) or "exchanges"
}

// unit names what the report counts.
func (r report) unit() string {
	if r.Unit == "" {
		return "logins"
	}
	return r.Unit
}

// LoginsPerSecond counts completed logins only.
func (r report) LoginsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Completed) / r.Elapsed.Seconds()
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted ds by
// the nearest-rank method.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100 + 0.999999999)
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// errorClass names why an attempt did not complete a login.
func errorClass(a attempt) string {
	switch {
	case a.status == 0:
		return "transport"
	case a.status == 303:
		return "303 without session cookie"
	default:
		return fmt.Sprint(a.status)
	}
}

// summarize builds the report of one run.
func summarize(backend string, workers int, attempts []attempt, elapsed time.Duration, peakRSS int64, loadAvg string) report {
	r := report{Backend: backend, Workers: workers, Attempts: len(attempts), Elapsed: elapsed,
		PeakRSS: peakRSS, LoadAvg: loadAvg, Errors: map[string]int{}, Examples: map[string]string{}}
	var lat []time.Duration
	for _, a := range attempts {
		if a.ok {
			lat = append(lat, a.latency)
			continue
		}
		c := errorClass(a)
		r.Errors[c]++
		if _, seen := r.Examples[c]; !seen {
			r.Examples[c] = a.detail
		}
	}
	slices.Sort(lat)
	r.Completed = len(lat)
	r.P50, r.P99 = percentile(lat, 50), percentile(lat, 99)
	return r
}

// print writes the human-readable report.
func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "backend %s, %d workers: %d of %d %s completed in %v\n",
		r.Backend, r.Workers, r.Completed, r.Attempts, r.unit(), r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "  %s/s %.0f   p50 %v   p99 %v   server peak RSS %.1f MB   load average at start %s\n",
		r.unit(), r.LoginsPerSecond(), r.P50.Round(10*time.Microsecond), r.P99.Round(10*time.Microsecond), float64(r.PeakRSS)/(1<<20), r.LoadAvg)
	classes := make([]string, 0, len(r.Errors))
	for c := range r.Errors {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		fmt.Fprintf(w, "  error %-28s %6d   e.g. %.160s\n", c, r.Errors[c], r.Examples[c])
	}
}

// markdownRow is one line of the throughput table in docs/performance.md.
func (r report) markdownRow() string {
	return fmt.Sprintf("| %s | %d | %d / %d | %.0f | %.1f ms | %.1f ms | %.0f MB | %s |",
		r.Backend, r.Workers, r.Completed, r.Attempts, r.LoginsPerSecond(),
		float64(r.P50)/1e6, float64(r.P99)/1e6, float64(r.PeakRSS)/(1<<20), r.LoadAvg)
}

// loadAverage is the 1-minute load average from /proc/loadavg: on a shared
// machine it says how much of the 2 cores the run really had.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}
