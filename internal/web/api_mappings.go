package web

import (
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// mappingsOutJSON is the body of GET .../group-mappings.
type mappingsOutJSON struct {
	// Mappings lists the environment's rows first (read-only), then the
	// rows edited in the UI/API.
	Mappings    []mappingRow `json:"mappings"`
	Environment envJSON      `json:"environment"`
	// Warnings lists rows whose workspace group is neither a role nor a
	// custom group (group sync ignores them), with the closest name.
	Warnings []mappingWarningJSON `json:"warnings"`
}

// envJSON describes TJ_SAML_GROUP_MAPPINGS__{slug}.
type envJSON struct {
	Variable string `json:"variable"`
	// Error is set when the variable is invalid; group sync is off for the
	// workspace until it is fixed.
	Error string `json:"error,omitempty"`
}

// mappingsInJSON is the body of PUT .../group-mappings: the complete list
// of UI/API rows (the environment's rows cannot be changed here).
type mappingsInJSON struct {
	// Mappings is required ([] removes every row): a body without it is
	// more likely a mistake than a wish to delete everything.
	Mappings *[]mappingInput `json:"mappings"`
}

// mergedMappings is the environment's and the UI's rows for ws, and the
// environment variable's error (nil when valid or unset).
func (s *Server) mergedMappings(r *http.Request, ws *store.Workspace) ([]mappingRow, error, error) {
	env, envErr := s.envMappings(ws.Slug)
	ui, err := s.store.ListGroupMappings(r.Context(), ws.ID)
	if err != nil {
		return nil, nil, err
	}
	return mergeMappings(env, ui), envErr, nil
}

// apiGetMappings is GET .../group-mappings.
func (s *Server) apiGetMappings(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	rows, envErr, err := s.mergedMappings(r, c.Workspace)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	warnings, err := s.mappingWarnings(r.Context(), c.Workspace, rows)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	out := mappingsOutJSON{Mappings: rows, Environment: envJSON{Variable: config.GroupMappingsVar(c.Workspace.Slug)}, Warnings: warnings}
	if envErr != nil {
		out.Environment.Error = envErr.Error()
	}
	writeJSON(w, http.StatusOK, out)
}

// apiPutMappings is PUT .../group-mappings: replaces the UI/API rows.
func (s *Server) apiPutMappings(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in mappingsInJSON
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	if in.Mappings == nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: `"mappings" is required (use [] to remove every row)`, Code: apiCodeBadRequest, Field: "mappings"})
		return
	}
	if err := s.saveMappings(r.Context(), c.Workspace, c.actorID(), *in.Mappings, nil); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiGetMappings(w, r, c)
}
