package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

type ctxKey int

const (
	traceKey ctxKey = iota
	authKey
)

// newTraceID is 16 random bytes in hex: shown on error pages, written to
// the log and the audit log, so an operator can find a user's failure.
func newTraceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// traceID is the request's trace ID ("" outside the middleware).
func traceID(r *http.Request) string {
	id, _ := r.Context().Value(traceKey).(string)
	return id
}

// statusRecorder remembers the status code for logs and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps every route: trace ID, security headers, panic recovery,
// request log and metrics. The log line has the path but never the query
// (redirect targets, SAMLRequest values) nor any body.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now() // latency measurement only, not a rule
		id := newTraceID()
		r = r.WithContext(context.WithValue(r.Context(), traceKey, id))
		rec := &statusRecorder{ResponseWriter: w}
		s.securityHeaders(rec.Header())
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "trace_id", id, "panic", v, "stack", string(debug.Stack()))
				if rec.status == 0 {
					s.errorPage(rec, r, http.StatusInternalServerError)
				}
			}
			elapsed := time.Since(start)
			method, route := requestLabels(r)
			s.metrics.http.WithLabelValues(method, route, strconv.Itoa(rec.status)).Inc()
			s.log.Log(r.Context(), requestLogLevel(r.URL.Path), "http", "trace_id", id, "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "duration_ms", elapsed.Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// requestLogLevel is Info for every request except forward-auth checks,
// which mirror each request to every protected site (the proxy's own
// access log has them): Debug keeps them out of the log unless asked for.
func requestLogLevel(path string) slog.Level {
	if strings.HasPrefix(path, "/auth/forward/") {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}
