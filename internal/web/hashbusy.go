package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// hashRetryAfter is the Retry-After of a refusal for lack of a password
// hash slot: one hash takes well under a second.
const hashRetryAfter = "1"

// hashBusy answers 503 with Retry-After when err says every password hash
// slot stayed taken (workspace.HashGate), and reports whether it did.
func (s *Server) hashBusy(w http.ResponseWriter, r *http.Request, err error) bool {
	if !errors.Is(err, workspace.ErrPasswordHashBusy) {
		return false
	}
	s.metrics.login("password", "failure", "busy")
	s.log.Warn("password hashing at capacity", "trace_id", traceID(r), "path", r.URL.Path)
	w.Header().Set("Retry-After", hashRetryAfter)
	s.errorPage(w, r, http.StatusServiceUnavailable)
	return true
}
