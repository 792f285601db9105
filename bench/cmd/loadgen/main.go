// Command loadgen measures Gatehouse's full login throughput (issue 6): it
// builds and starts a real Gatehouse on a loopback port with a fresh
// SQLite data directory or a fresh PostgreSQL schema, configures a
// workspace with a test Entra-shaped IdP through the gatehouse CLI
// (IdP-initiated sign-in accepted, signup on), signs N unsolicited
// responses before the timed phase, posts them to the ACS with C workers
// and counts only completed logins (303 with a gatehouse_session_{slug} cookie).
//
// Usage (from bench/):
//
//	go run ./cmd/loadgen [-backends sqlite,postgres] [-n 5000] [-c 16] [-duration 60s]
//	go run ./cmd/loadgen -mode forward [-c 32] [-check-duration 10s] [-cache-ttls 2s,0s]
//
// With -mode forward it measures forward-auth checks instead (issue 10):
// GET /auth/forward/{slug} with one valid session, per backend and cache
// lifetime, and in the same run oauth2-proxy's /oauth2/auth with its own
// cookie session, and prints checks/s, p50/p99 and the ratio.
//
// With -mode oidc [-signing-alg ES256] it measures code exchanges at the
// OpenID Connect token endpoint instead (issue 9, see oidc.go).
//
// It prints logins/s, p50/p99 latency, errors by status and the server's
// peak RSS per backend. The exit status is 1 when a run could not be set
// up or completed no login at all.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

// options are the command-line settings.
type options struct {
	repo, gatehouse string
	backends        []string
	pgURL           string
	n, workers      int
	users, groups   int
	limit           time.Duration
	keep, markdown  bool
	// Forward-auth mode (-mode forward).
	mode          string
	checkDuration time.Duration
	cacheTTLs     []string
	oauth2Proxy   string
	// OIDC mode (-mode oidc).
	signingAlg string
}

func parseFlags() options {
	var o options
	var backends string
	pg := os.Getenv("GATEHOUSE_TEST_DATABASE_URL")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	flag.StringVar(&o.repo, "repo", "..", "Gatehouse repository to build ./cmd/gatehouse from")
	flag.StringVar(&o.gatehouse, "gatehouse", "", "use this gatehouse binary instead of building one")
	flag.StringVar(&backends, "backends", "sqlite,postgres", "comma-separated: sqlite, postgres")
	flag.StringVar(&o.pgURL, "pg-url", pg, "PostgreSQL database; each run gets a fresh schema in it")
	flag.IntVar(&o.n, "n", 5000, "responses to sign and post (each a fresh assertion)")
	flag.IntVar(&o.workers, "c", 16, "concurrent workers")
	flag.IntVar(&o.users, "users", 500, "distinct users the responses cycle through (first logins provision them)")
	flag.IntVar(&o.groups, "groups", 20, "group GUIDs in each response's groups claim (the same for every user, as in a real tenant)")
	flag.DurationVar(&o.limit, "duration", 60*time.Second, "upper bound of the timed phase")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (server log, data)")
	flag.BoolVar(&o.markdown, "markdown", false, "also print Markdown table rows")
	flag.StringVar(&o.mode, "mode", "login", "login: full SAML logins at the ACS; forward: forward-auth checks with a valid session, side by side with oauth2-proxy's /oauth2/auth; oidc: code exchanges at the OpenID Connect token endpoint")
	flag.StringVar(&o.signingAlg, "signing-alg", "RS256", "oidc mode: GATEHOUSE_OIDC_SIGNING_ALG of the server (RS256 or ES256)")
	flag.DurationVar(&o.checkDuration, "check-duration", 10*time.Second, "forward mode: length of each timed phase")
	var ttls string
	flag.StringVar(&ttls, "cache-ttls", "2s,0s", "forward mode: comma-separated GATEHOUSE_FORWARD_AUTH_CACHE_TTL values to measure")
	flag.StringVar(&o.oauth2Proxy, "oauth2-proxy", "", "forward mode: oauth2-proxy binary (default: on PATH or in $(go env GOPATH)/bin; \"none\" skips it)")
	flag.Parse()
	o.backends = strings.Split(backends, ",")
	o.cacheTTLs = strings.Split(ttls, ",")
	return o
}

func main() {
	o := parseFlags()
	if o.n < 1 || o.workers < 1 || o.users < 1 || o.groups < 0 {
		fmt.Fprintln(os.Stderr, "loadgen: -n, -c and -users must be positive, -groups not negative")
		os.Exit(2)
	}
	if o.mode == "forward" {
		os.Exit(runForward(o))
	}
	var rows []string
	failed := false
	for _, b := range o.backends {
		r, err := runBackend(o, strings.TrimSpace(b))
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: %s: %v\n", b, err)
			failed = true
			continue
		}
		r.print(os.Stdout)
		rows = append(rows, r.markdownRow())
		failed = failed || r.Completed == 0
	}
	if o.markdown && len(rows) > 0 {
		unit := "logins"
		if o.mode == "oidc" {
			unit = "exchanges"
		}
		fmt.Println("\n| backend | workers | completed / posted | " + unit + "/s | p50 | p99 | peak RSS | load avg at start |\n|---|---:|---:|---:|---:|---:|---:|---:|")
		fmt.Println(strings.Join(rows, "\n"))
	}
	if failed {
		os.Exit(1)
	}
}
