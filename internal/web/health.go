package web

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// readyProbeInterval is how long a write probe's result answers /readyz:
// anonymous clients may poll it as fast as they like, the database sees at
// most one probe write per interval per process.
const readyProbeInterval = 5 * time.Second

// readyTimeout bounds one readiness check (ping and write probe).
const readyTimeout = 2 * time.Second

// readiness caches the last write probe (see readyProbeInterval).
type readiness struct {
	mu   sync.Mutex
	at   time.Time // when the last probe ran; zero = never
	err  error     // its outcome
	what string    // "unreachable" or "not writable", for the body
}

// handleHealthz is liveness: the process serves HTTP.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// handleReadyz is readiness: the database answers and accepts a write
// (store.WriteProber) within two seconds. A database that answers but
// refuses writes (corrupted or read-only SQLite file, full disk,
// read-only PostgreSQL) would fail every sign-in, so it is not ready.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if what, err := s.checkReady(r.Context()); err != nil {
		s.log.Warn("readyz: database "+what, "trace_id", traceID(r), "err", err)
		w.Header().Set("Retry-After", retryAfterSeconds)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database " + what + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// checkReady runs the ping and the write probe, or returns the result of
// one that ran less than readyProbeInterval ago. Concurrent callers wait
// for the running probe rather than start their own.
func (s *Server) checkReady(ctx context.Context) (string, error) {
	rd := &s.ready
	rd.mu.Lock()
	defer rd.mu.Unlock()
	now := s.now()
	if !rd.at.IsZero() && now.Sub(rd.at) < readyProbeInterval && now.After(rd.at.Add(-time.Second)) {
		return rd.what, rd.err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	rd.at, rd.what, rd.err = now, "", nil
	if err := s.store.Ping(ctx); err != nil {
		rd.what, rd.err = "unreachable", err
	} else if err := s.store.ProbeWrite(ctx, now); err != nil {
		rd.what, rd.err = "not writable", err
	}
	if parent.Err() != nil {
		// The caller went away: do not let its cancellation stand for
		// the database's health.
		rd.at = time.Time{}
	}
	return rd.what, rd.err
}
