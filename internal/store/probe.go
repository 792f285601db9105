package store

import (
	"context"
	"time"
)

// WriteProber proves the database accepts writes (for /readyz): a
// reachable database can still refuse every write (a corrupted or
// read-only SQLite file, a full disk, a read-only PostgreSQL replica).
type WriteProber interface {
	// ProbeWrite writes (upserts) the one row of health_probe with now and
	// commits; any error means sign-ins would fail too.
	ProbeWrite(ctx context.Context, now time.Time) error
}

// ProbeWrite upserts health_probe's single row. On SQLite it queues
// behind the single writer like a sign-in would, so a writer stuck for
// longer than the caller's deadline reads as not ready, which it is.
func (s *sqlStore) ProbeWrite(ctx context.Context, now time.Time) error {
	return s.exec(ctx, `INSERT INTO health_probe (id, probed_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`, toDB(now))
}
