package store

import (
	"context"
	"time"
)

// GetSSOLink returns the user linked to (config, NameID).
func (q *queries) GetSSOLink(ctx context.Context, configID, nameID string) (string, error) {
	var userID string
	err := q.row(ctx, `SELECT user_id FROM sso_links WHERE config_id = ? AND name_id = ?`, configID, nameID).Scan(&userID)
	return userID, notFound(err)
}

// CreateSSOLink links (config, NameID) to a user; ErrConflict when the
// NameID is linked already.
func (q *queries) CreateSSOLink(ctx context.Context, configID, nameID, userID string, at time.Time) error {
	return q.exec(ctx, `INSERT INTO sso_links (config_id, name_id, user_id, created_at) VALUES (?, ?, ?, ?)`,
		configID, nameID, userID, toDB(at))
}

// SaveRequest records an outstanding AuthnRequest.
func (q *queries) SaveRequest(ctx context.Context, r *OutstandingRequest) error {
	return q.exec(ctx, `INSERT INTO saml_requests (config_id, id, redirect_to, expires_at) VALUES (?, ?, ?, ?)`,
		r.ConfigID, r.ID, r.RedirectTo, toDB(r.ExpiresAt))
}

// GetRequest returns an unexpired outstanding request without consuming it.
func (q *queries) GetRequest(ctx context.Context, configID, id string, now time.Time) (*OutstandingRequest, error) {
	r := &OutstandingRequest{ID: id, ConfigID: configID}
	var exp int64
	err := q.row(ctx, `SELECT redirect_to, expires_at FROM saml_requests WHERE config_id = ? AND id = ? AND expires_at > ?`,
		configID, id, toDB(now)).Scan(&r.RedirectTo, &exp)
	if err != nil {
		return nil, notFound(err)
	}
	r.ExpiresAt = fromDB(exp)
	return r, nil
}

// ConsumeRequest deletes and returns an unexpired request in one statement
// (DELETE ... RETURNING), so of concurrent consumers exactly one gets it.
func (q *queries) ConsumeRequest(ctx context.Context, configID, id string, now time.Time) (*OutstandingRequest, error) {
	r := &OutstandingRequest{ID: id, ConfigID: configID}
	var exp int64
	// A write: it must run on the writer even though it returns rows.
	err := q.w.QueryRowContext(ctx, `DELETE FROM saml_requests WHERE config_id = ? AND id = ? AND expires_at > ?
		RETURNING redirect_to, expires_at`, configID, id, toDB(now)).Scan(&r.RedirectTo, &exp)
	if err != nil {
		return nil, notFound(err)
	}
	r.ExpiresAt = fromDB(exp)
	return r, nil
}

// MarkAssertionUsed records the assertion ID; ErrReplay when it is there
// already. The insert either adds the row or, on conflict, does nothing
// and affects no row: the database decides, so it is atomic across
// handles, processes and replicas. An entry past its expiry but not yet
// cleaned up still counts: its assertion has expired too, so rejecting it
// costs nothing.
func (q *queries) MarkAssertionUsed(ctx context.Context, assertionID string, expiresAt time.Time) error {
	n, err := q.execN(ctx, `INSERT INTO assertion_replay (assertion_id, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		assertionID, toDB(expiresAt))
	if err == nil && n == 0 {
		err = ErrReplay
	}
	return err
}
