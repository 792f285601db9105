package ssoconfig

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// InstallSPKey installs an SP key pair of use ("signing" or "encryption")
// for the workspace slug: the given PEMs after checking that they belong
// together (RSA, at least 2048 bits), or, with both empty, a freshly
// generated RSA-3072 pair. The current pair is kept as the previous one
// for the rollover (workspace.Service.SetSPKey, docs/access-rules.md, "SP keys").
func (m *Manager) InstallSPKey(ctx context.Context, slug, actorID, use, keyPEM, certPEM string) error {
	if use != workspace.SPKeySigning && use != workspace.SPKeyEncryption {
		return &FieldError{Field: "use", Message: "SP key: choose signing or encryption."}
	}
	ws, err := m.store.GetWorkspaceBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if keyPEM == "" && certPEM == "" {
		if keyPEM, certPEM, err = saml.GenerateSPKeyPair("Gatehouse SP "+ws.Slug+" ("+use+")", m.now()); err != nil {
			return err
		}
	} else if _, _, err := saml.ParseKeyPair(keyPEM, certPEM); err != nil {
		return &FieldError{Field: "key", Message: "SP key: " + err.Error()}
	}
	return m.svc.SetSPKey(ctx, actorID, ws.ID, use, keyPEM, certPEM)
}
