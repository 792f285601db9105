package store

import (
	"context"
	"database/sql"
	"strings"
)

const oidcClientCols = `id, workspace_id, name, secret_hash, public, redirect_uris, post_logout_redirect_uris,
	allowed_groups, min_role, backchannel_logout_uri, created_at, updated_at`

// joinLines stores a list of values that never contain a newline (the
// provider validates URIs and group names before saving).
func joinLines(v []string) string { return strings.Join(v, "\n") }

// splitLines is the inverse of joinLines; "" is the empty list.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func scanOIDCClient(sc interface{ Scan(...any) error }) (OIDCClient, error) {
	var c OIDCClient
	var redirects, postLogout, groups string
	var created, updated int64
	err := sc.Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.SecretHash, &c.Public, &redirects, &postLogout,
		&groups, &c.MinRole, &c.BackChannelLogoutURI, &created, &updated)
	c.RedirectURIs, c.PostLogoutRedirectURIs, c.AllowedGroups = splitLines(redirects), splitLines(postLogout), splitLines(groups)
	c.CreatedAt, c.UpdatedAt = fromDB(created), fromDB(updated)
	return c, err
}

// CreateOIDCClient stores a new application.
func (q *queries) CreateOIDCClient(ctx context.Context, c *OIDCClient) error {
	newID(&c.ID)
	stamp(&c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	return q.exec(ctx, `INSERT INTO oidc_clients (`+oidcClientCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.WorkspaceID, c.Name, c.SecretHash, c.Public, joinLines(c.RedirectURIs), joinLines(c.PostLogoutRedirectURIs),
		joinLines(c.AllowedGroups), c.MinRole, c.BackChannelLogoutURI, toDB(c.CreatedAt), toDB(c.UpdatedAt))
}

// GetOIDCClient returns an application of the workspace (ErrNotFound for
// another workspace's client ID).
func (q *queries) GetOIDCClient(ctx context.Context, workspaceID, id string) (*OIDCClient, error) {
	c, err := scanOIDCClient(q.row(ctx, `SELECT `+oidcClientCols+` FROM oidc_clients WHERE workspace_id = ? AND id = ?`, workspaceID, id))
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// ListOIDCClients lists the workspace's applications by name.
func (q *queries) ListOIDCClients(ctx context.Context, workspaceID string) ([]OIDCClient, error) {
	rows, err := q.rows(ctx, `SELECT `+oidcClientCols+` FROM oidc_clients WHERE workspace_id = ? ORDER BY name, id`, workspaceID)
	return collect(rows, err, func(r *sql.Rows) (OIDCClient, error) { return scanOIDCClient(r) })
}

// UpdateOIDCClient saves an application's mutable fields.
func (q *queries) UpdateOIDCClient(ctx context.Context, c *OIDCClient) error {
	c.UpdatedAt = time0(c.UpdatedAt)
	return q.execOne(ctx, `UPDATE oidc_clients SET name = ?, secret_hash = ?, public = ?, redirect_uris = ?,
		post_logout_redirect_uris = ?, allowed_groups = ?, min_role = ?, backchannel_logout_uri = ?, updated_at = ?
		WHERE workspace_id = ? AND id = ?`,
		c.Name, c.SecretHash, c.Public, joinLines(c.RedirectURIs), joinLines(c.PostLogoutRedirectURIs),
		joinLines(c.AllowedGroups), c.MinRole, c.BackChannelLogoutURI, toDB(c.UpdatedAt), c.WorkspaceID, c.ID)
}

// DeleteOIDCClient deletes an application; its pending requests and
// refresh tokens go with it (ON DELETE CASCADE).
func (q *queries) DeleteOIDCClient(ctx context.Context, workspaceID, id string) error {
	return q.execOne(ctx, `DELETE FROM oidc_clients WHERE workspace_id = ? AND id = ?`, workspaceID, id)
}
