package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// spKeysView is what the SAML section shows about the SP's own keys.
type spKeysView struct {
	Configured                  bool // a SAML config exists (keys need one)
	Signing, Encryption         *saml.CertPreview
	PrevSigning, PrevEncryption *saml.CertPreview
	MetadataPath                string
}

// fillSPKeys loads the SP key view of ws's config into page.
func (s *Server) fillSPKeys(ctx context.Context, ws *store.Workspace, page *workspaceLoginPage) error {
	cfg, err := s.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if err != nil {
		return ignoreNotFound(err)
	}
	v := &spKeysView{Configured: true, MetadataPath: "/api/sso/saml/" + pathEscape(cfg.ID) + "/metadata"}
	v.Signing, v.Encryption = certPreview(cfg.SPSigningCertPEM), certPreview(cfg.SPEncryptionCertPEM)
	v.PrevSigning, v.PrevEncryption = certPreview(cfg.SPSigningPrevCertPEM), certPreview(cfg.SPEncryptionPrevCertPEM)
	page.SPKeys = v
	return nil
}

// certPreview describes a PEM certificate (nil when empty or unreadable).
func certPreview(pemText string) *saml.CertPreview {
	if pemText == "" {
		return nil
	}
	c, err := parseCertPEM(pemText)
	if err != nil {
		return nil
	}
	return &saml.CertPreview{Subject: c.Subject.String(), SHA256: saml.CertSHA256(c), NotAfter: c.NotAfter.UTC()}
}

// postSPKeysSection generates a signing or encryption key (the current one
// is kept as "previous" for the rollover) or removes a previous one.
func (s *Server) postSPKeysSection(r *http.Request, page *workspaceLoginPage) error {
	ws, actor := requestWorkspace(r), requestPrincipal(r).User.ID
	use := r.PostFormValue("use")
	var err error
	switch r.PostFormValue("action") {
	case "generate":
		err = s.installSPKey(r.Context(), ws, actor, use, "", "")
	case "remove_previous":
		err = s.svc.RemovePreviousSPKey(r.Context(), actor, ws.ID, use)
	default:
		err = &fieldError{"action", "SP keys: unknown action."}
	}
	if err != nil {
		page.SAMLError, page.SAMLErrorField = "SP keys: "+errorMessage(err), "sp_keys"
	}
	return err
}

// installSPKey installs (or, with empty PEMs, generates) an SP key
// through the SAML configuration manager, which the CLI uses too.
func (s *Server) installSPKey(ctx context.Context, ws *store.Workspace, actor, use, keyPEM, certPEM string) error {
	return s.sso.InstallSPKey(ctx, ws.Slug, actor, use, keyPEM, certPEM)
}

// ignoreNotFound drops store.ErrNotFound.
func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
