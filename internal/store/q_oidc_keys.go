package store

import (
	"context"
	"database/sql"
	"time"
)

const oidcKeyCols = `id, algorithm, private_pem, created_at, sign_from, retire_at`

// CreateOIDCSigningKey stores a new signing key.
func (q *queries) CreateOIDCSigningKey(ctx context.Context, k *OIDCSigningKey) error {
	stamp(&k.CreatedAt)
	return q.exec(ctx, `INSERT INTO oidc_signing_keys (`+oidcKeyCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, k.Algorithm, k.PrivatePEM, toDB(k.CreatedAt), toDB(k.SignFrom), toDB(k.RetireAt))
}

// ListOIDCSigningKeys lists the keys still published at now.
func (q *queries) ListOIDCSigningKeys(ctx context.Context, now time.Time) ([]OIDCSigningKey, error) {
	rows, err := q.rows(ctx, `SELECT `+oidcKeyCols+` FROM oidc_signing_keys
		WHERE retire_at = 0 OR retire_at > ? ORDER BY sign_from, id`, toDB(now))
	return collect(rows, err, func(r *sql.Rows) (OIDCSigningKey, error) {
		var k OIDCSigningKey
		var created, from, retire int64
		err := r.Scan(&k.ID, &k.Algorithm, &k.PrivatePEM, &created, &from, &retire)
		k.CreatedAt, k.SignFrom, k.RetireAt = fromDB(created), fromDB(from), fromDB(retire)
		return k, err
	})
}

// RetireOIDCSigningKeys schedules the retirement of the keys a newer key replaces.
func (q *queries) RetireOIDCSigningKeys(ctx context.Context, activeFrom, retireAt time.Time) error {
	return q.exec(ctx, `UPDATE oidc_signing_keys SET retire_at = ? WHERE retire_at = 0 AND sign_from < ?`,
		toDB(retireAt), toDB(activeFrom))
}

// EnsureOIDCSecret inserts value unless name exists, then reads the winner.
func (q *queries) EnsureOIDCSecret(ctx context.Context, name string, value []byte, at time.Time) ([]byte, error) {
	if err := q.exec(ctx, `INSERT INTO oidc_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		name, value, toDB(time0(at))); err != nil {
		return nil, err
	}
	var got []byte
	// Read from the writer: a replica's read pool may not see the row yet.
	if err := q.w.QueryRowContext(ctx, `SELECT value FROM oidc_secrets WHERE name = ?`, name).Scan(&got); err != nil {
		return nil, notFound(err)
	}
	return got, nil
}
