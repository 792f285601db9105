package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// samlJSON is the body of PUT .../saml; omitted fields keep their stored
// value (for a new config: the defaults), and an omitted metadataXML keeps
// the stored metadata. Field names mirror the settings page.
type samlJSON struct {
	Enabled        *bool   `json:"enabled"`
	Name           *string `json:"name"`
	MetadataXML    *string `json:"metadataXML"`
	MetadataURL    *string `json:"metadataURL"`
	IdPInitiated   *string `json:"idpInitiated"`
	ClockSkew      *string `json:"clockSkew"`
	AllowSHA1      *bool   `json:"allowSHA1"`
	GroupSync      *bool   `json:"groupSync"`
	GroupAttribute *string `json:"groupAttribute"`
	// AllowUnsignedLogout: see store.SAMLConfig.AllowUnsignedLogout.
	AllowUnsignedLogout *bool `json:"allowUnsignedLogout"`
}

// samlOutJSON is the SAML config as the API returns it.
type samlOutJSON struct {
	ID             string `json:"id"`
	Enabled        bool   `json:"enabled"`
	Name           string `json:"name"`
	MetadataXML    string `json:"metadataXML"`
	MetadataURL    string `json:"metadataURL"` // the IdP's metadata URL, as configured
	IdPEntityID    string `json:"idpEntityID"`
	IdPInitiated   string `json:"idpInitiated"`
	ClockSkew      string `json:"clockSkew"`
	AllowSHA1      bool   `json:"allowSHA1"`
	GroupSync      bool   `json:"groupSync"`
	GroupAttribute string `json:"groupAttribute"`
	// AllowUnsignedLogout: IdP LogoutRequests without a signature are accepted.
	AllowUnsignedLogout bool `json:"allowUnsignedLogout"`
	// RedirectURL is the SP entity ID and ACS URL to register at the IdP.
	RedirectURL string `json:"redirectURL"`
	// SPMetadataURL is Gatehouse's SP metadata document for this config.
	SPMetadataURL string             `json:"spMetadataURL"`
	Preview       *ssoconfig.Preview `json:"preview"`
}

// newSAMLOut is the API view of a stored config.
func (s *Server) newSAMLOut(cfg *store.SAMLConfig, preview *ssoconfig.Preview) samlOutJSON {
	in := ssoconfig.InputFor(cfg)
	return samlOutJSON{
		ID: cfg.ID, Enabled: cfg.Enabled, Name: cfg.Name, MetadataXML: cfg.MetadataXML, MetadataURL: cfg.MetadataURL,
		IdPEntityID: cfg.IdPEntityID, IdPInitiated: in.IdPInitiated, ClockSkew: in.ClockSkew,
		AllowSHA1: cfg.AllowSHA1, GroupSync: cfg.GroupSync, GroupAttribute: in.GroupAttribute,
		AllowUnsignedLogout: cfg.AllowUnsignedLogout,
		RedirectURL:         s.acsURL(cfg.ID), SPMetadataURL: s.acsURL(cfg.ID) + "/metadata", Preview: preview,
	}
}

// apiGetSAML is GET .../saml; 404 while the workspace has no config.
func (s *Server) apiGetSAML(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	cfg, err := s.store.GetSAMLConfigByWorkspace(r.Context(), c.Workspace.ID)
	if errors.Is(err, store.ErrNotFound) {
		writeAPIError(w, http.StatusNotFound, apiError{Error: "this workspace has no SAML config yet; PUT one", Code: apiCodeNotFound})
		return
	}
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.newSAMLOut(cfg, s.sso.Preview(cfg)))
}

// apiPutSAML is PUT .../saml: the stored (or default) settings changed
// by the fields given, validated and saved exactly like the settings page.
func (s *Server) apiPutSAML(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var body samlJSON
	if err := decodeJSON(w, r, &body); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	current, err := s.store.GetSAMLConfigByWorkspace(r.Context(), c.Workspace.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.apiServerError(w, r, err)
		return
	}
	if current == nil {
		current = &store.SAMLConfig{}
	}
	in := ssoconfig.InputFor(current)
	in.MetadataXML = "" // empty = keep the stored document (Save re-parses it)
	setIf(&in.Enabled, body.Enabled)
	setIf(&in.Name, body.Name)
	setIf(&in.MetadataXML, body.MetadataXML)
	setIf(&in.MetadataURL, body.MetadataURL)
	setIf(&in.IdPInitiated, body.IdPInitiated)
	setIf(&in.ClockSkew, body.ClockSkew)
	setIf(&in.AllowSHA1, body.AllowSHA1)
	setIf(&in.GroupSync, body.GroupSync)
	setIf(&in.GroupAttribute, body.GroupAttribute)
	setIf(&in.AllowUnsignedLogout, body.AllowUnsignedLogout)
	res, err := s.sso.Save(r.Context(), c.Workspace, c.actorID(), in)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.newSAMLOut(res.Config, res.Preview))
}
