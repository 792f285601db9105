package web

import (
	"net/http"
	"time"
)

// apiSPKeyRoutes registers POST /api/v1/workspaces/{slug}/saml/sp-keys.
func (s *Server) apiSPKeyRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/workspaces/{slug}/saml/sp-keys", s.requireToken(s.apiSPKeys))
}

// spKeysJSON is the SP key state after a change.
type spKeysJSON struct {
	Signing            *spCertJSON `json:"signing"`
	Encryption         *spCertJSON `json:"encryption"`
	PreviousSigning    *spCertJSON `json:"previousSigning"`
	PreviousEncryption *spCertJSON `json:"previousEncryption"`
}

// spCertJSON describes one SP certificate (null when none).
type spCertJSON struct {
	Subject  string    `json:"subject"`
	SHA256   string    `json:"sha256"`
	NotAfter time.Time `json:"notAfter"`
}

// certJSON is the API form of a PEM certificate (nil when none).
func certJSON(pemText string) *spCertJSON {
	p := certPreview(pemText)
	if p == nil {
		return nil
	}
	return &spCertJSON{Subject: p.Subject, SHA256: p.SHA256, NotAfter: p.NotAfter}
}

// apiSPKeys generates, installs (keyPEM and certPEM) or ends the rollover
// of ("remove-previous") the SP's signing or encryption key.
func (s *Server) apiSPKeys(w http.ResponseWriter, r *http.Request, c *apiCaller) {
	var in struct {
		Use     string `json:"use"`
		Action  string `json:"action"`
		KeyPEM  string `json:"keyPEM"`
		CertPEM string `json:"certPEM"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		writeAPIError(w, http.StatusBadRequest, apiError{Error: err.Error(), Code: apiCodeBadRequest})
		return
	}
	var err error
	switch in.Action {
	case "generate":
		err = s.installSPKey(r.Context(), c.Workspace, c.actorID(), in.Use, "", "")
	case "install":
		if in.KeyPEM == "" || in.CertPEM == "" {
			err = &fieldError{"keyPEM", "SP key: install needs keyPEM and certPEM."}
			break
		}
		err = s.installSPKey(r.Context(), c.Workspace, c.actorID(), in.Use, in.KeyPEM, in.CertPEM)
	case "remove-previous":
		err = s.svc.RemovePreviousSPKey(r.Context(), c.actorID(), c.Workspace.ID, in.Use)
	default:
		err = &fieldError{"action", "SP key: action must be generate, install or remove-previous."}
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	cfg, err := s.store.GetSAMLConfigByWorkspace(r.Context(), c.Workspace.ID)
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, spKeysJSON{Signing: certJSON(cfg.SPSigningCertPEM), Encryption: certJSON(cfg.SPEncryptionCertPEM),
		PreviousSigning: certJSON(cfg.SPSigningPrevCertPEM), PreviousEncryption: certJSON(cfg.SPEncryptionPrevCertPEM)})
}
