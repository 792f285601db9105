package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// retryAfterSeconds is the Retry-After of a 503: long enough for a
// PostgreSQL fail-over or restart, short enough that a user retrying by
// hand is not sent away for long.
const retryAfterSeconds = "10"

// Reason labels of failed sign-ins that are not about the response or the
// user (metrics; docs/reason-codes.md, "ACS codes").
const (
	reasonDatabaseUnavailable = "database_unavailable" // 503: the store cannot serve (store.IsUnavailable)
	reasonInternal            = "internal"             // 500: anything else
	reasonConfigUnknown       = "config_unknown"       // 404: no enabled SAML config under that ID
)

// failureReason is the metric reason of a server-side failure.
func failureReason(err error) string {
	if store.IsUnavailable(err) {
		return reasonDatabaseUnavailable
	}
	return reasonInternal
}

// unavailable logs err and answers 503 with Retry-After and the generic
// page: the database is down or refusing writes, which is temporary and
// not the visitor's fault (a 500 would read as a bug).
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("database unavailable", "trace_id", traceID(r), "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", retryAfterSeconds)
	s.errorPage(w, r, http.StatusServiceUnavailable)
}

// lookupConfig finds the SAML config of the {configID} path value and its
// workspace, enabled or not; store.ErrNotFound when there is none.
func (s *Server) lookupConfig(r *http.Request) (*store.SAMLConfig, *store.Workspace, error) {
	cfg, err := s.store.GetSAMLConfig(r.Context(), r.PathValue("configID"))
	if err != nil {
		return nil, nil, err
	}
	ws, err := s.store.GetWorkspace(r.Context(), cfg.WorkspaceID)
	if err != nil {
		return nil, nil, err
	}
	return cfg, ws, nil
}

// acsConfig is loadEnabledConfig for the ACS, which also counts the
// failure in the sign-in metrics (every failed ACS post is counted).
func (s *Server) acsConfig(w http.ResponseWriter, r *http.Request) (*store.SAMLConfig, *store.Workspace) {
	cfg, ws, err := s.lookupConfig(r)
	if err == nil && cfg.Enabled {
		return cfg, ws
	}
	if err == nil {
		// A disabled config: counted like an unknown one, explained to the browser.
		s.metrics.login("saml", "failure", reasonConfigUnknown)
		s.ssoDisabled(w, r, cfg, ws)
		return nil, nil
	}
	reason := failureReason(err)
	if errors.Is(err, store.ErrNotFound) {
		reason = reasonConfigUnknown
	}
	s.metrics.login("saml", "failure", reason)
	s.lookupFailed(w, r, err)
	return nil, nil
}
