package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

const oidcRefreshCols = `token_hash, id, family_id, workspace_id, client_id, user_id, session_id, config_id, name_id,
	session_index, scopes, amr, auth_time, created_at, expires_at, used_at, revoked`

// CreateOIDCRefreshToken stores a refresh token under its hash.
func (q *queries) CreateOIDCRefreshToken(ctx context.Context, t *OIDCRefreshToken) error {
	newID(&t.ID)
	stamp(&t.CreatedAt)
	if t.FamilyID == "" {
		t.FamilyID = t.ID
	}
	return q.exec(ctx, `INSERT INTO oidc_refresh_tokens (`+oidcRefreshCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.TokenHash, t.ID, t.FamilyID, t.WorkspaceID, t.ClientID, t.UserID, t.SessionID, t.ConfigID, t.NameID,
		t.SessionIndex, strings.Join(t.Scopes, " "), strings.Join(t.AMR, " "), toDB(t.AuthTime), toDB(t.CreatedAt),
		toDB(t.ExpiresAt), toDB(t.UsedAt), t.Revoked)
}

// GetOIDCRefreshToken reads a refresh token by hash in any state.
func (q *queries) GetOIDCRefreshToken(ctx context.Context, workspaceID string, tokenHash []byte) (*OIDCRefreshToken, error) {
	var t OIDCRefreshToken
	var scopes, amr string
	var auth, created, expires, used int64
	err := q.row(ctx, `SELECT `+oidcRefreshCols+` FROM oidc_refresh_tokens WHERE token_hash = ? AND workspace_id = ?`, tokenHash, workspaceID).
		Scan(&t.TokenHash, &t.ID, &t.FamilyID, &t.WorkspaceID, &t.ClientID, &t.UserID, &t.SessionID, &t.ConfigID, &t.NameID,
			&t.SessionIndex, &scopes, &amr, &auth, &created, &expires, &used, &t.Revoked)
	if err != nil {
		return nil, notFound(err)
	}
	t.Scopes, t.AMR = strings.Fields(scopes), strings.Fields(amr)
	t.AuthTime, t.CreatedAt, t.ExpiresAt, t.UsedAt = fromDB(auth), fromDB(created), fromDB(expires), fromDB(used)
	return &t, nil
}

// MarkOIDCRefreshTokenUsed rotates a token out; only a current, unrevoked,
// unexpired token can be marked, so of two concurrent uses one fails.
func (q *queries) MarkOIDCRefreshTokenUsed(ctx context.Context, tokenHash []byte, now time.Time) error {
	return q.execOne(ctx, `UPDATE oidc_refresh_tokens SET used_at = ?
		WHERE token_hash = ? AND used_at = 0 AND NOT revoked AND expires_at > ?`, toDB(now), tokenHash, toDB(now))
}

// errEmptyFilter refuses a revocation that would select every token.
var errEmptyFilter = errors.New("store: refresh token filter selects nothing specific")

// where builds the filter's condition, starting from conds.
func (f OIDCTokenFilter) where(conds ...string) (string, []any, error) {
	if f.WorkspaceID == "" && f.UserID == "" && f.FamilyID == "" && f.SessionID == "" && (f.ConfigID == "" || f.NameID == "") {
		return "", nil, errEmptyFilter
	}
	var args []any
	for _, c := range []struct{ col, v string }{
		{"workspace_id", f.WorkspaceID}, {"user_id", f.UserID}, {"client_id", f.ClientID}, {"family_id", f.FamilyID},
		{"session_id", f.SessionID}, {"config_id", f.ConfigID}, {"name_id", f.NameID}, {"session_index", f.SessionIndex},
	} {
		if c.v != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	return strings.Join(conds, " AND "), args, nil
}

// RevokeOIDCRefreshTokens revokes the selected tokens in one transaction
// and returns the distinct grants affected.
func (q *queries) RevokeOIDCRefreshTokens(ctx context.Context, f OIDCTokenFilter) ([]OIDCGrant, error) {
	where, args, err := f.where("NOT revoked")
	if err != nil {
		return nil, err
	}
	var out []OIDCGrant
	err = q.atomic(ctx, func(q *queries) error {
		rows, err := q.w.QueryContext(ctx, `SELECT DISTINCT workspace_id, client_id, user_id, session_id
			FROM oidc_refresh_tokens WHERE `+where+` ORDER BY client_id, user_id, session_id`, args...)
		out, err = collect(rows, err, func(r *sql.Rows) (OIDCGrant, error) {
			var g OIDCGrant
			return g, r.Scan(&g.WorkspaceID, &g.ClientID, &g.UserID, &g.SessionID)
		})
		if err != nil || len(out) == 0 {
			return err
		}
		return q.exec(ctx, `UPDATE oidc_refresh_tokens SET revoked = TRUE WHERE `+where, args...)
	})
	return out, err
}

// SaveOIDCLogoutGrant records a grant (nothing when it exists).
func (q *queries) SaveOIDCLogoutGrant(ctx context.Context, g *OIDCLogoutGrant) error {
	return q.exec(ctx, `INSERT INTO oidc_logout_grants (client_id, session_id, workspace_id, user_id, config_id, name_id,
		session_index, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		g.ClientID, g.SessionID, g.WorkspaceID, g.UserID, g.ConfigID, g.NameID, g.SessionIndex, toDB(g.ExpiresAt))
}

// TakeOIDCLogoutGrants deletes and returns the selected grants.
func (q *queries) TakeOIDCLogoutGrants(ctx context.Context, f OIDCTokenFilter) ([]OIDCGrant, error) {
	if f.FamilyID != "" {
		return nil, nil // grants have no family
	}
	where, args, err := f.where()
	if err != nil {
		return nil, err
	}
	rows, err := q.w.QueryContext(ctx, `DELETE FROM oidc_logout_grants WHERE `+where+`
		RETURNING workspace_id, client_id, user_id, session_id`, args...)
	return collect(rows, err, func(r *sql.Rows) (OIDCGrant, error) {
		var g OIDCGrant
		return g, r.Scan(&g.WorkspaceID, &g.ClientID, &g.UserID, &g.SessionID)
	})
}
