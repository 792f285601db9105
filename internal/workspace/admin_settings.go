package workspace

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Defaults applied by SaveSAMLConfig to empty fields.
const (
	DefaultGroupAttribute = "groups"
	// MaxClockSkew bounds the per-workspace skew: more would make
	// assertions usable long after they expire.
	MaxClockSkew = 10 * time.Minute
)

// SaveLoginSettings validates and saves a workspace's login settings
// (domains normalized: lowercased, trimmed, '@' stripped, deduplicated).
// Automatic SSO login is refused unless password login is off and exactly
// one SSO is enabled (docs/access-rules.md, "Provisioning and access rules").
func (s *Service) SaveLoginSettings(ctx context.Context, actorID string, ls *store.LoginSettings) error {
	if err := ValidateDomains(ls.AllowedDomains); err != nil {
		return err
	}
	ls.AllowedDomains = NormalizeDomains(ls.AllowedDomains)
	return s.inTx(ctx, func(q store.Queries) error {
		before, err := q.GetLoginSettings(ctx, ls.WorkspaceID)
		if err != nil {
			return err
		}
		enabled, err := enabledSSO(ctx, q, ls.WorkspaceID)
		if err != nil {
			return err
		}
		if ls.AutoSSO && !AutoSSOAllowed(ls.PasswordLogin, enabled) {
			return invalid("auto_sso", "Automatic SSO login needs password login off and exactly one enabled SSO (enabled now: %d).", enabled)
		}
		if err := s.checkDomainsKeepActor(ctx, q, actorID, ls.AllowedDomains); err != nil {
			return err
		}
		ls.UpdatedAt = s.now()
		if err := q.SaveLoginSettings(ctx, ls); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: ls.WorkspaceID, ActorID: actorID, Kind: KindLoginSettings,
			Message: "login settings saved"}, changeDetails(settingsDetails(before), settingsDetails(ls)))
	})
}

// enabledSSO counts the workspace's enabled SSO configurations (at most
// one SAML config exists per workspace today).
func enabledSSO(ctx context.Context, q store.Queries, workspaceID string) (int, error) {
	c, err := q.GetSAMLConfigByWorkspace(ctx, workspaceID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, err
	case c.Enabled:
		return 1, nil
	}
	return 0, nil
}

// settingsDetails is the audit form of login settings.
func settingsDetails(ls *store.LoginSettings) map[string]any {
	return map[string]any{"password_login": ls.PasswordLogin, "signup": ls.Signup,
		"allowed_domains": nonNil(ls.AllowedDomains), "auto_sso": ls.AutoSSO}
}

// SaveSAMLConfig persists a SAML config (the web layer has validated the
// metadata with internal/saml) and audits it without any key material.
// Empty fields get defaults (group attribute "groups", IdP-initiated mode
// bounce). Disabling the config also turns automatic SSO login off, since
// the access rules no longer allow it, in the same transaction.
func (s *Service) SaveSAMLConfig(ctx context.Context, actorID string, c *store.SAMLConfig) error {
	if err := normalizeSAMLConfig(c); err != nil {
		return err
	}
	return s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, c.WorkspaceID); err != nil {
			return err
		}
		if err := sameWorkspaceConfig(ctx, q, c); err != nil {
			return err
		}
		before, err := previousSAMLDetails(ctx, q, c.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		c.UpdatedAt = now
		if err := q.SaveSAMLConfig(ctx, c); err != nil {
			return err
		}
		if err := s.autoSSOOffUnlessEnabled(ctx, q, actorID, c); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: c.WorkspaceID, ActorID: actorID, Kind: KindSAMLConfig,
			Message: "SAML configuration saved"}, withConfigID(changeDetails(before, samlConfigDetails(c)), c.ID))
	})
}

// sameWorkspaceConfig refuses to save an existing config under another
// workspace: a config ID is part of a public URL and must not move.
func sameWorkspaceConfig(ctx context.Context, q store.Queries, c *store.SAMLConfig) error {
	if c.ID == "" {
		return nil
	}
	old, err := q.GetSAMLConfig(ctx, c.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return inWorkspace(old.WorkspaceID, c.WorkspaceID, "SAML configuration")
}

// normalizeSAMLConfig applies defaults and checks the enumerations.
func normalizeSAMLConfig(c *store.SAMLConfig) error {
	if c.WorkspaceID == "" {
		return invalid("workspace", "SAML configuration without a workspace.")
	}
	if c.GroupAttribute == "" {
		c.GroupAttribute = DefaultGroupAttribute
	}
	switch c.IdPInitiated {
	case "":
		c.IdPInitiated = store.IdPInitiatedBounce
	case store.IdPInitiatedBounce, store.IdPInitiatedAccept, store.IdPInitiatedReject:
	default:
		return invalid("idp_initiated", "IdP-initiated sign-in: %q is not one of bounce, accept, reject.", c.IdPInitiated)
	}
	if c.ClockSkew < 0 || c.ClockSkew > MaxClockSkew {
		return invalid("clock_skew", "Clock skew: must be between 0s and %s.", MaxClockSkew)
	}
	return nil
}

// autoSSOOffUnlessEnabled turns automatic SSO login off when c is disabled.
func (s *Service) autoSSOOffUnlessEnabled(ctx context.Context, q store.Queries, actorID string, c *store.SAMLConfig) error {
	if c.Enabled {
		return nil
	}
	ls, err := q.GetLoginSettings(ctx, c.WorkspaceID)
	if err != nil || !ls.AutoSSO {
		return err
	}
	ls.AutoSSO, ls.UpdatedAt = false, s.now()
	if err := q.SaveLoginSettings(ctx, ls); err != nil {
		return err
	}
	return s.audit(ctx, q, store.AuditEvent{WorkspaceID: c.WorkspaceID, ActorID: actorID, Kind: KindLoginSettings,
		Message: "automatic SSO login turned off: the SAML configuration was disabled"}, map[string]any{"auto_sso": false})
}

// samlConfigDetails is the audit form of a config: settings only, never
// keys or the metadata body.
func samlConfigDetails(c *store.SAMLConfig) map[string]any {
	return map[string]any{"config_id": c.ID, "enabled": c.Enabled, "name": c.Name, "idp_entity_id": c.IdPEntityID,
		"metadata_url": c.MetadataURL, "idp_initiated": c.IdPInitiated, "clock_skew": c.ClockSkew.String(),
		"allow_sha1": c.AllowSHA1, "group_sync": c.GroupSync, "group_attribute": c.GroupAttribute,
		"name_id_format": c.NameIDFormat, "sign_requests": c.SignRequests, "allow_unsigned_logout": c.AllowUnsignedLogout,
		"sp_signing_key": c.SPSigningKeyPEM != "", "sp_encryption_key": c.SPEncryptionKeyPEM != "",
		"metadata_sha256": metadataDigest(c.MetadataXML)}
}
