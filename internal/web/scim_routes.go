package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/scim"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// scimRoutes mounts the SCIM 2.0 endpoint (/scim/v2/{slug}/, its own
// bearer token, see docs/scim.md) and the API to manage that token.
func (s *Server) scimRoutes(mux *http.ServeMux) {
	mux.Handle(scim.PathPrefix, scim.New(scim.Options{Service: s.svc, Store: s.store, PublicURL: s.opts.PublicURL,
		ClientIP: s.clientIP, TraceID: traceID, Log: s.log, Now: s.now,
		Observe: func(resource, method string, status int) {
			if !knownMethods[method] {
				method = "other"
			}
			s.metrics.scim.WithLabelValues(resource, method, strconv.Itoa(status)).Inc()
		}}))
	const p = "/api/v1/workspaces/{slug}/scim"
	mux.HandleFunc("GET "+p, s.requireToken(s.apiGetSCIM))
	mux.HandleFunc(p, apiMethodNotAllowed("GET, HEAD"))
	mux.HandleFunc("POST "+p+"/token", s.requireToken(s.apiCreateSCIMToken))
	mux.HandleFunc("DELETE "+p+"/token", s.requireToken(s.apiRevokeSCIMToken))
	mux.HandleFunc(p+"/token", apiMethodNotAllowed("POST, DELETE"))
}

// scimStatusJSON is the API's view of a workspace's provisioning.
type scimStatusJSON struct {
	Enabled        bool       `json:"enabled"`
	TenantURL      string     `json:"tenantUrl"`
	TokenCreated   *time.Time `json:"tokenCreatedAt,omitempty"`
	LastRequest    *time.Time `json:"lastRequestAt,omitempty"`
	Groups         int        `json:"groups"`
	GroupsSource   string     `json:"groupsSource"` // "scim" or "saml"
	Token          string     `json:"token,omitempty"`
	TokenShownOnce bool       `json:"tokenShownOnce,omitempty"`
}

// scimStatus loads the provisioning state of ws.
func (s *Server) scimStatus(r *http.Request, ws *store.Workspace) (*scimStatusJSON, error) {
	st, err := s.svc.GetSCIMStatus(r.Context(), ws.ID)
	if err != nil {
		return nil, err
	}
	out := &scimStatusJSON{Enabled: st.Enabled, TenantURL: scim.TenantURL(s.opts.PublicURL, ws.Slug), Groups: st.Groups, GroupsSource: "saml"}
	if st.Authoritative {
		out.GroupsSource = "scim"
	}
	if st.Enabled {
		out.TokenCreated = &st.CreatedAt
	}
	if !st.LastRequestAt.IsZero() {
		out.LastRequest = &st.LastRequestAt
	}
	return out, nil
}

// apiGetSCIM reports the provisioning state (never the token).
func (s *Server) apiGetSCIM(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	st, err := s.scimStatus(r, c.Workspace)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// apiCreateSCIMToken creates or rotates the token and returns it once.
func (s *Server) apiCreateSCIMToken(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	tok, err := s.svc.CreateSCIMToken(r.Context(), c.actorID(), c.Workspace.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	st, err := s.scimStatus(r, c.Workspace)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	st.Token, st.TokenShownOnce = tok, true
	writeJSON(w, http.StatusCreated, st)
}

// apiRevokeSCIMToken revokes the token (404 when there is none).
func (s *Server) apiRevokeSCIMToken(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	err := s.svc.RevokeSCIMToken(r.Context(), c.actorID(), c.Workspace.ID)
	if errors.Is(err, store.ErrNotFound) {
		writeAPIError(w, http.StatusNotFound, apiError{Error: "SCIM provisioning has no token in this workspace", Code: apiCodeNotFound})
		return
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
