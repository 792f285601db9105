package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestHammerCountsOnlyTheExpectedStatus: a check counts only when the
// server answers the wanted status for the request's cookie; other answers
// are counted by status, and the warm-up is not measured.
func TestHammerCountsOnlyTheExpectedStatus(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("s")
		switch {
		case err != nil || c.Value != "good":
			w.WriteHeader(http.StatusUnauthorized)
		case n.Add(1)%4 == 0:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	r := hammer(srv.URL, &http.Cookie{Name: "s", Value: "good"}, http.StatusOK, 2, 300*time.Millisecond)
	if r.OK == 0 || r.Errors["503"] == 0 || r.Failed != r.Errors["503"] || len(r.Errors) != 1 {
		t.Fatalf("run %+v", r)
	}
	// About one in four answers is a 503 (the warm-up's share is not counted).
	if ratio := float64(r.Errors["503"]) / float64(r.OK+r.Failed); ratio < 0.2 || ratio > 0.3 {
		t.Errorf("503 share %.2f, want about 0.25", ratio)
	}
	bad := hammer(srv.URL, &http.Cookie{Name: "s", Value: "forged"}, http.StatusOK, 2, 200*time.Millisecond)
	if bad.OK != 0 || bad.Errors["401"] == 0 || bad.PerSecond() != 0 {
		t.Fatalf("forged cookie counted: %+v", bad)
	}
	var out strings.Builder
	r.Target = "oauth2-proxy stub"
	printChecks(&out, []checkRun{{Target: "Gatehouse stub", OK: 2 * r.OK, Elapsed: r.Elapsed}, r})
	if !strings.Contains(out.String(), "| Gatehouse stub |") || !strings.Contains(out.String(), "| 2.00× |") {
		t.Errorf("table:\n%s", out.String())
	}
}
