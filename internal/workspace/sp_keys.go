package workspace

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// SP key uses.
const (
	SPKeySigning    = "signing"
	SPKeyEncryption = "encryption"
)

// KindSPKey is the audit kind of SP key changes.
const KindSPKey = "config.sp_key"

// SetSPKey installs a new SP key pair (PEM, validated by the caller with
// internal/saml) for use on a workspace's SAML config. The current pair
// of that use becomes the previous one — still published in the SP
// metadata, and for encryption still decrypting — until
// RemovePreviousSPKey; any older previous pair is dropped. A signing key
// turns request signing on. Keys are never written to the audit log.
func (s *Service) SetSPKey(ctx context.Context, actorID, workspaceID, use, keyPEM, certPEM string) error {
	return s.changeSPKeys(ctx, actorID, workspaceID, use, "new "+use+" key", func(c *store.SAMLConfig) {
		switch use {
		case SPKeySigning:
			if c.SPSigningCertPEM != "" {
				c.SPSigningPrevCertPEM = c.SPSigningCertPEM
			}
			c.SPSigningKeyPEM, c.SPSigningCertPEM, c.SignRequests = keyPEM, certPEM, true
		case SPKeyEncryption:
			if c.SPEncryptionKeyPEM != "" {
				c.SPEncryptionPrevKeyPEM, c.SPEncryptionPrevCertPEM = c.SPEncryptionKeyPEM, c.SPEncryptionCertPEM
			}
			c.SPEncryptionKeyPEM, c.SPEncryptionCertPEM = keyPEM, certPEM
		}
	})
}

// RemovePreviousSPKey ends a rollover: the previous certificate of use
// leaves the SP metadata (and the previous encryption key stops
// decrypting).
func (s *Service) RemovePreviousSPKey(ctx context.Context, actorID, workspaceID, use string) error {
	return s.changeSPKeys(ctx, actorID, workspaceID, use, "previous "+use+" key removed", func(c *store.SAMLConfig) {
		if use == SPKeySigning {
			c.SPSigningPrevCertPEM = ""
		} else {
			c.SPEncryptionPrevKeyPEM, c.SPEncryptionPrevCertPEM = "", ""
		}
	})
}

// changeSPKeys applies change to the workspace's SAML config in one
// transaction and audits it (which use, whether a previous key is kept).
func (s *Service) changeSPKeys(ctx context.Context, actorID, workspaceID, use, what string, change func(*store.SAMLConfig)) error {
	if use != SPKeySigning && use != SPKeyEncryption {
		return invalid("use", "SP key: %q is not signing or encryption.", use)
	}
	return s.inTx(ctx, func(q store.Queries) error {
		c, err := q.GetSAMLConfigByWorkspace(ctx, workspaceID)
		if err != nil {
			return err
		}
		change(c)
		c.UpdatedAt = s.now()
		if err := q.SaveSAMLConfig(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindSPKey, Message: "SAML SP " + what},
			map[string]any{"config_id": c.ID, "use": use, "previous_signing_cert": c.SPSigningPrevCertPEM != "",
				"previous_encryption_key": c.SPEncryptionPrevKeyPEM != ""})
	})
}
