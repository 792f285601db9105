package store

import (
	"context"
	"time"
)

const sessionCols = `token_hash, user_id, workspace_id, config_id, name_id, name_id_format, session_index, created_at, expires_at`

// CreateSession stores a session under its token hash.
func (q *queries) CreateSession(ctx context.Context, s *Session) error {
	stamp(&s.CreatedAt)
	var forward any // NULL, not an empty value, when there is no forward token: the column is unique
	if len(s.ForwardHash) > 0 {
		forward = s.ForwardHash
	}
	return q.exec(ctx, `INSERT INTO sessions (`+sessionCols+`, forward_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.UserID, s.WorkspaceID, s.ConfigID, s.NameID, s.NameIDFormat, s.SessionIndex,
		toDB(s.CreatedAt), toDB(s.ExpiresAt), forward)
}

// GetSession returns the session with this token hash unless it expired.
func (q *queries) GetSession(ctx context.Context, tokenHash []byte, now time.Time) (*Session, error) {
	var s Session
	var created, expires int64
	err := q.row(ctx, `SELECT `+sessionCols+` FROM sessions WHERE token_hash = ? AND expires_at > ?`, tokenHash, toDB(now)).
		Scan(&s.TokenHash, &s.UserID, &s.WorkspaceID, &s.ConfigID, &s.NameID, &s.NameIDFormat, &s.SessionIndex, &created, &expires)
	if err != nil {
		return nil, notFound(err)
	}
	s.CreatedAt, s.ExpiresAt = fromDB(created), fromDB(expires)
	return &s, nil
}

// DeleteSession deletes one session (no error when it is gone already,
// so sign-out is idempotent).
func (q *queries) DeleteSession(ctx context.Context, tokenHash []byte) error {
	return q.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
}

// DeleteSSOSessions deletes the sessions of (config, NameID), narrowed to
// one IdP session index when sessionIndex is set.
func (q *queries) DeleteSSOSessions(ctx context.Context, configID, nameID, sessionIndex string) (int64, error) {
	if configID == "" {
		// Password sessions have an empty config: never match them here.
		return 0, nil
	}
	if sessionIndex == "" {
		return q.execN(ctx, `DELETE FROM sessions WHERE config_id = ? AND name_id = ?`, configID, nameID)
	}
	return q.execN(ctx, `DELETE FROM sessions WHERE config_id = ? AND name_id = ? AND session_index = ?`,
		configID, nameID, sessionIndex)
}
