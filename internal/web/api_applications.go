package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// applicationJSON is an application in API answers (never its secret,
// except client_secret right after creation or rotation).
type applicationJSON struct {
	ClientID               string    `json:"client_id"`
	Name                   string    `json:"name"`
	Public                 bool      `json:"public"`
	RedirectURIs           []string  `json:"redirect_uris"`
	PostLogoutRedirectURIs []string  `json:"post_logout_redirect_uris"`
	AllowedGroups          []string  `json:"allowed_groups"`
	MinRole                string    `json:"min_role"`
	BackChannelLogoutURI   string    `json:"backchannel_logout_uri"`
	Issuer                 string    `json:"issuer"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	ClientSecret           string    `json:"client_secret,omitempty"`
}

// applicationInJSON is the body of POST and PUT; public is read at
// creation only.
type applicationInJSON struct {
	Name                   string   `json:"name"`
	Public                 bool     `json:"public"`
	RedirectURIs           []string `json:"redirect_uris"`
	PostLogoutRedirectURIs []string `json:"post_logout_redirect_uris"`
	AllowedGroups          []string `json:"allowed_groups"`
	MinRole                string   `json:"min_role"`
	BackChannelLogoutURI   string   `json:"backchannel_logout_uri"`
}

func (in applicationInJSON) input() oidc.AppInput {
	return oidc.AppInput{Name: in.Name, Public: in.Public, RedirectURIs: in.RedirectURIs, PostLogoutRedirectURIs: in.PostLogoutRedirectURIs,
		AllowedGroups: in.AllowedGroups, MinRole: in.MinRole, BackChannelLogoutURI: in.BackChannelLogoutURI}
}

// applicationOut converts a stored application.
func (s *Server) applicationOut(ws *store.Workspace, c *store.OIDCClient) applicationJSON {
	nz := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	return applicationJSON{ClientID: c.ID, Name: c.Name, Public: c.Public, RedirectURIs: nz(c.RedirectURIs),
		PostLogoutRedirectURIs: nz(c.PostLogoutRedirectURIs), AllowedGroups: nz(c.AllowedGroups), MinRole: c.MinRole,
		BackChannelLogoutURI: c.BackChannelLogoutURI, Issuer: s.opts.OIDC.Issuer(ws.Slug), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// applicationAPIRoutes registers /api/v1/workspaces/{slug}/applications.
func (s *Server) applicationAPIRoutes(mux *http.ServeMux) {
	const p = "/api/v1/workspaces/{slug}/applications"
	mux.HandleFunc("GET "+p, s.requireToken(s.apiListApplications))
	mux.HandleFunc("POST "+p, s.requireToken(s.apiCreateApplication))
	mux.HandleFunc(p, apiMethodNotAllowed("GET, HEAD, POST"))
	mux.HandleFunc("GET "+p+"/{id}", s.requireToken(s.apiGetApplication))
	mux.HandleFunc("PUT "+p+"/{id}", s.requireToken(s.apiPutApplication))
	mux.HandleFunc("DELETE "+p+"/{id}", s.requireToken(s.apiDeleteApplication))
	mux.HandleFunc(p+"/{id}", apiMethodNotAllowed("GET, HEAD, PUT, DELETE"))
	mux.HandleFunc("POST "+p+"/{id}/secret", s.requireToken(s.apiRotateApplicationSecret))
	mux.HandleFunc(p+"/{id}/secret", apiMethodNotAllowed("POST"))
}

func (s *Server) apiListApplications(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	list, err := s.opts.Apps.List(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := make([]applicationJSON, 0, len(list))
	for i := range list {
		out = append(out, s.applicationOut(c.Workspace, &list[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"applications": out})
}

func (s *Server) apiCreateApplication(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in applicationInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	app, secret, err := s.opts.Apps.Create(r.Context(), c.actorID(), c.Workspace.ID, in.input())
	if err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	out := s.applicationOut(c.Workspace, app)
	out.ClientSecret = secret
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiGetApplication(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	app, err := s.opts.Apps.Get(r.Context(), c.Workspace.ID, r.PathValue("id"))
	if err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.applicationOut(c.Workspace, app))
}

// applicationPatchJSON is the body of PUT: omitted (or null) fields keep
// their stored values, as everywhere in the API; public cannot change.
type applicationPatchJSON struct {
	Name                   *string   `json:"name"`
	RedirectURIs           *[]string `json:"redirect_uris"`
	PostLogoutRedirectURIs *[]string `json:"post_logout_redirect_uris"`
	AllowedGroups          *[]string `json:"allowed_groups"`
	MinRole                *string   `json:"min_role"`
	BackChannelLogoutURI   *string   `json:"backchannel_logout_uri"`
}

// merged applies the given fields onto the stored application.
func (in applicationPatchJSON) merged(c *store.OIDCClient) oidc.AppInput {
	out := oidc.AppInput{Name: c.Name, RedirectURIs: c.RedirectURIs, PostLogoutRedirectURIs: c.PostLogoutRedirectURIs,
		AllowedGroups: c.AllowedGroups, MinRole: c.MinRole, BackChannelLogoutURI: c.BackChannelLogoutURI}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setList := func(dst *[]string, v *[]string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&out.Name, in.Name)
	set(&out.MinRole, in.MinRole)
	set(&out.BackChannelLogoutURI, in.BackChannelLogoutURI)
	setList(&out.RedirectURIs, in.RedirectURIs)
	setList(&out.PostLogoutRedirectURIs, in.PostLogoutRedirectURIs)
	setList(&out.AllowedGroups, in.AllowedGroups)
	return out
}

func (s *Server) apiPutApplication(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in applicationPatchJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	cur, err := s.opts.Apps.Get(r.Context(), c.Workspace.ID, r.PathValue("id"))
	if err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	app, err := s.opts.Apps.Update(r.Context(), c.actorID(), c.Workspace.ID, cur.ID, in.merged(cur))
	if err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.applicationOut(c.Workspace, app))
}

func (s *Server) apiDeleteApplication(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	if err := s.opts.Apps.Delete(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("id")); err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiRotateApplicationSecret(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	secret, err := s.opts.Apps.RotateSecret(r.Context(), c.actorID(), c.Workspace.ID, r.PathValue("id"))
	if err != nil {
		s.apiAppFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"client_id": r.PathValue("id"), "client_secret": secret})
}

// apiAppFail answers an application change that failed.
func (s *Server) apiAppFail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *workspace.ValidationError
	switch {
	case errors.As(err, &ve):
		writeAPIError(w, http.StatusUnprocessableEntity, apiError{Error: ve.Message, Code: apiCodeInvalidField, Field: ve.Field})
	case errors.Is(err, store.ErrNotFound):
		writeAPIError(w, http.StatusNotFound, apiError{Error: "no such application", Code: apiCodeNotFound})
	default:
		s.apiServerError(w, r, err)
	}
}
