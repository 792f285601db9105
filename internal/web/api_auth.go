package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// apiCaller is an authenticated API request: the token and its workspace.
type apiCaller struct {
	Token     *store.APIToken
	Workspace *store.Workspace
}

// actorID is who the audit log names for changes made with the token: the
// admin who created it.
func (c *apiCaller) actorID() string { return c.Token.CreatedBy }

// bearerToken extracts the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != "" && len(tok) <= 512
}

// requireToken authenticates the bearer token and checks it belongs to the
// {slug} workspace. An unknown workspace and another workspace's token get
// the same 404, so a token cannot probe which slugs exist.
func (s *Server) requireToken(next apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse"`)
			writeAPIError(w, http.StatusUnauthorized, apiError{Error: "missing bearer token (Authorization: Bearer <token>)", Code: apiCodeUnauthorized})
			return
		}
		t, err := s.svc.AuthenticateAPIToken(r.Context(), tok)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse", error="invalid_token"`)
				writeAPIError(w, http.StatusUnauthorized, apiError{Error: "invalid or deleted API token", Code: apiCodeUnauthorized})
				return
			}
			s.apiServerError(w, r, err)
			return
		}
		ws, err := s.store.GetWorkspaceBySlug(r.Context(), r.PathValue("slug"))
		if errors.Is(err, store.ErrNotFound) || (err == nil && ws.ID != t.WorkspaceID) {
			writeAPIError(w, http.StatusNotFound, apiError{Error: "no such workspace for this token", Code: apiCodeNotFound})
			return
		}
		if err != nil {
			s.apiServerError(w, r, err)
			return
		}
		if ok, err := s.creatorStillAdmin(r, t); err != nil {
			s.apiServerError(w, r, err)
			return
		} else if !ok {
			writeAPIError(w, http.StatusForbidden, apiError{Error: "the admin who created this token is no longer an active admin of the workspace", Code: apiCodeForbidden})
			return
		}
		next(w, r, &apiCaller{Token: t, Workspace: ws})
	}
}

// creatorStillAdmin reports whether the token's creator is still an active
// admin of its workspace: a token acts for that admin, so it must not
// outlive their rights (demoted, archived, removed).
func (s *Server) creatorStillAdmin(r *http.Request, t *store.APIToken) (bool, error) {
	if t.CreatedBy == "" {
		return false, nil
	}
	m, err := s.store.GetMembership(r.Context(), t.WorkspaceID, t.CreatedBy)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	u, err := s.store.GetUser(r.Context(), t.CreatedBy)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	return err == nil && !u.Archived && m.Status == store.StatusActive && m.Role == workspace.RoleAdmin, nil
}

// apiServerError logs err with the trace ID and answers 500 without details.
// A database outage is 503 with Retry-After instead.
func (s *Server) apiServerError(w http.ResponseWriter, r *http.Request, err error) {
	if store.IsUnavailable(err) {
		s.log.Error("api: database unavailable", "trace_id", traceID(r), "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", retryAfterSeconds)
		writeAPIError(w, http.StatusServiceUnavailable, apiError{Error: "the database is unavailable; retry later (trace ID " + traceID(r) + ")", Code: apiCodeUnavailable})
		return
	}
	s.log.Error("api internal error", "trace_id", traceID(r), "path", r.URL.Path, "err", err)
	writeAPIError(w, http.StatusInternalServerError, apiError{Error: "internal error (trace ID " + traceID(r) + ")", Code: apiCodeInternal})
}

// apiFail answers err from a save: 4xx with the same message the page
// shows, or 500.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	status := errorStatus(err)
	if status >= 500 {
		s.apiServerError(w, r, err)
		return
	}
	writeAPIError(w, status, apiErrorFor(err))
}
