package store

import (
	"context"
	"strings"
)

// GetLoginSettings returns the saved settings, or the defaults (password
// login on, signup off, all domains, no automatic SSO) when none were saved.
func (q *queries) GetLoginSettings(ctx context.Context, workspaceID string) (*LoginSettings, error) {
	s := &LoginSettings{WorkspaceID: workspaceID}
	var domains string
	var updated int64
	err := q.row(ctx, `SELECT password_login, signup, allowed_domains, auto_sso, updated_at
		FROM login_settings WHERE workspace_id = ?`, workspaceID).
		Scan(&s.PasswordLogin, &s.Signup, &domains, &s.AutoSSO, &updated)
	if err != nil {
		if err = notFound(err); err == ErrNotFound {
			return &LoginSettings{WorkspaceID: workspaceID, PasswordLogin: true}, nil
		}
		return nil, err
	}
	s.AllowedDomains = splitList(domains)
	s.UpdatedAt = fromDB(updated)
	return s, nil
}

// SaveLoginSettings inserts or replaces the workspace's settings; allowed
// domains are stored lowercased.
func (q *queries) SaveLoginSettings(ctx context.Context, s *LoginSettings) error {
	s.UpdatedAt = time0(s.UpdatedAt)
	for i, d := range s.AllowedDomains {
		s.AllowedDomains[i] = strings.ToLower(strings.TrimSpace(d))
	}
	return q.exec(ctx, `INSERT INTO login_settings (workspace_id, password_login, signup, allowed_domains, auto_sso, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET password_login = excluded.password_login, signup = excluded.signup,
			allowed_domains = excluded.allowed_domains, auto_sso = excluded.auto_sso, updated_at = excluded.updated_at`,
		s.WorkspaceID, s.PasswordLogin, s.Signup, strings.Join(s.AllowedDomains, ","), s.AutoSSO, toDB(s.UpdatedAt))
}

// splitList is the inverse of strings.Join(l, ","), with "" as the empty list.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
