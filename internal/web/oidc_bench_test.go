package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
)

// BenchmarkOIDCCodeExchange measures the token endpoint's code exchange
// (confidential client, PKCE, ID + access + refresh token) through the
// real handler on SQLite, over a loopback TLS connection. Codes are made
// through the real authorization flow with the timer stopped.
// bench/cmd/loadgen -mode oidc measures the same against a running
// server with concurrency and latency percentiles (docs/performance.md).
func BenchmarkOIDCCodeExchange(b *testing.B) {
	e := newOIDCEnv(b, testOptions{})
	e.trustLoopbackProxy() // the authorizations come from many addresses, as real ones do
	a := e.app(oidc.AppInput{})
	browser := e.newClient()
	direct := browser.Transport
	e.codeFlow(a, browser, "n") // signs the browser in
	client := e.srv.Client()
	tokenURL := e.srv.URL + "/oidc/acme/oauth/token"
	type prepared struct{ code, verifier string }
	addrs := 0
	prepare := func(n int) []prepared {
		out := make([]prepared, n)
		for i := range out {
			if i%50 == 0 { // a new client address within the per-address limits
				addrs++
				browser.Transport = forwardedFor{addr: fmt.Sprintf("10.%d.%d.1", addrs/256, addrs%256), next: direct}
			}
			v, opts := pkce()
			res := e.authorize(browser, a.conf.AuthCodeURL("s", opts...), false)
			if res.code == "" {
				b.Fatalf("no code: %+v", res)
			}
			out[i] = prepared{res.code, v}
		}
		return out
	}
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		b.StopTimer()
		batch := prepare(min(200, b.N-done))
		b.StartTimer()
		for _, p := range batch {
			req, _ := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(url.Values{"grant_type": {"authorization_code"},
				"code": {p.code}, "redirect_uri": {testRedirectURI}, "code_verifier": {p.verifier}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(a.client.ID, a.secret)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("exchange: %d %s", resp.StatusCode, body(b, resp))
			}
			_, _ = io.Copy(io.Discard, resp.Body) // so the connection is reused
			resp.Body.Close()
		}
		done += len(batch)
	}
}
