package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkForwardAuth measures one forward-auth check through the whole
// handler stack (middleware, CSRF wrapper, mux, check) for a signed-in
// member, with the answer cache and without it (one SessionIdentity read
// per check), on SQLite and PostgreSQL.
func BenchmarkForwardAuth(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, ttl := range []time.Duration{2 * time.Second, 0} {
			b.Run(fmt.Sprintf("%s/cache=%v", backend, ttl), func(b *testing.B) {
				benchmarkForwardAuth(b, backend == "postgres", ttl)
			})
		}
	}
}

func benchmarkForwardAuth(b *testing.B, postgres bool, ttl time.Duration) {
	e := newTestEnv(b, testOptions{password: true, postgres: postgres})
	_, err := e.svc.CreateUser(b.Context(), "", e.ws.ID, "ann@example.com", "Ann", "correct horse battery", "end-user")
	must(b, err)
	e.passwordSignIn(e.client, "acme", "ann@example.com", "correct horse battery")
	token := e.cookie(e.client, forwardCookieName("acme")).Value
	srv, err := New(Options{Store: e.st, Service: e.svc, PublicURL: e.srv.URL, SecureCookies: true,
		Logger: e.web.log, ForwardAuthCacheTTL: ttl})
	must(b, err)
	h := srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodGet, "/auth/forward/acme", nil)
			req.AddCookie(&http.Cookie{Name: forwardCookieName("acme"), Value: token})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}
