package store

import (
	"context"
	"time"
)

const samlConfigCols = `id, workspace_id, enabled, name, metadata_xml, metadata_url, idp_entity_id, idp_initiated,
	clock_skew_ns, allow_sha1, group_sync, group_attribute, name_id_format, sign_requests,
	sp_signing_key_pem, sp_signing_cert_pem, sp_encryption_key_pem, sp_encryption_cert_pem, created_at, updated_at,
	sp_signing_prev_cert_pem, sp_encryption_prev_key_pem, sp_encryption_prev_cert_pem, allow_unsigned_logout`

func scanSAMLConfig(sc interface{ Scan(...any) error }) (*SAMLConfig, error) {
	var c SAMLConfig
	var skew, created, updated int64
	err := sc.Scan(&c.ID, &c.WorkspaceID, &c.Enabled, &c.Name, &c.MetadataXML, &c.MetadataURL, &c.IdPEntityID, &c.IdPInitiated,
		&skew, &c.AllowSHA1, &c.GroupSync, &c.GroupAttribute, &c.NameIDFormat, &c.SignRequests,
		&c.SPSigningKeyPEM, &c.SPSigningCertPEM, &c.SPEncryptionKeyPEM, &c.SPEncryptionCertPEM, &created, &updated,
		&c.SPSigningPrevCertPEM, &c.SPEncryptionPrevKeyPEM, &c.SPEncryptionPrevCertPEM, &c.AllowUnsignedLogout)
	if err != nil {
		return nil, notFound(err)
	}
	c.ClockSkew = time.Duration(skew)
	c.CreatedAt, c.UpdatedAt = fromDB(created), fromDB(updated)
	return &c, nil
}

// GetSAMLConfig finds a SAML config by ID.
func (q *queries) GetSAMLConfig(ctx context.Context, id string) (*SAMLConfig, error) {
	return scanSAMLConfig(q.row(ctx, `SELECT `+samlConfigCols+` FROM saml_configs WHERE id = ?`, id))
}

// GetSAMLConfigByWorkspace finds the workspace's SAML config.
func (q *queries) GetSAMLConfigByWorkspace(ctx context.Context, workspaceID string) (*SAMLConfig, error) {
	return scanSAMLConfig(q.row(ctx, `SELECT `+samlConfigCols+` FROM saml_configs WHERE workspace_id = ?`, workspaceID))
}

// SaveSAMLConfig inserts c (an empty ID gets a UUID) or updates the config
// with c's ID. A second config for the same workspace is ErrConflict; the
// workspace of an existing config never changes.
func (q *queries) SaveSAMLConfig(ctx context.Context, c *SAMLConfig) error {
	newID(&c.ID)
	stamp(&c.CreatedAt)
	c.UpdatedAt = time0(c.UpdatedAt)
	n, err := q.execN(ctx, `INSERT INTO saml_configs (`+samlConfigCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, name = excluded.name,
			metadata_xml = excluded.metadata_xml, metadata_url = excluded.metadata_url,
			idp_entity_id = excluded.idp_entity_id, idp_initiated = excluded.idp_initiated,
			clock_skew_ns = excluded.clock_skew_ns, allow_sha1 = excluded.allow_sha1,
			group_sync = excluded.group_sync, group_attribute = excluded.group_attribute,
			name_id_format = excluded.name_id_format, sign_requests = excluded.sign_requests,
			sp_signing_key_pem = excluded.sp_signing_key_pem, sp_signing_cert_pem = excluded.sp_signing_cert_pem,
			sp_encryption_key_pem = excluded.sp_encryption_key_pem, sp_encryption_cert_pem = excluded.sp_encryption_cert_pem,
			sp_signing_prev_cert_pem = excluded.sp_signing_prev_cert_pem,
			sp_encryption_prev_key_pem = excluded.sp_encryption_prev_key_pem,
			sp_encryption_prev_cert_pem = excluded.sp_encryption_prev_cert_pem,
			updated_at = excluded.updated_at, allow_unsigned_logout = excluded.allow_unsigned_logout
		WHERE saml_configs.workspace_id = excluded.workspace_id`,
		c.ID, c.WorkspaceID, c.Enabled, c.Name, c.MetadataXML, c.MetadataURL, c.IdPEntityID, c.IdPInitiated,
		int64(c.ClockSkew), c.AllowSHA1, c.GroupSync, c.GroupAttribute, c.NameIDFormat, c.SignRequests,
		c.SPSigningKeyPEM, c.SPSigningCertPEM, c.SPEncryptionKeyPEM, c.SPEncryptionCertPEM, toDB(c.CreatedAt), toDB(c.UpdatedAt),
		c.SPSigningPrevCertPEM, c.SPEncryptionPrevKeyPEM, c.SPEncryptionPrevCertPEM, c.AllowUnsignedLogout)
	if err == nil && n == 0 {
		// The ID exists under another workspace: the guarded update skipped it.
		err = ErrConflict
	}
	return err
}
