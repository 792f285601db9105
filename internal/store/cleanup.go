package store

import (
	"context"
	"log/slog"
	"time"
)

// RunCleanup calls s.DeleteExpired at once and then every interval until
// ctx ends. Failures are logged and retried at the next tick: a database
// hiccup must not stop the server.
func RunCleanup(ctx context.Context, s Store, every, retention time.Duration, now func() time.Time, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.DeleteExpired(ctx, now(), retention)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("store cleanup failed", "err", err)
		case n > 0:
			log.Debug("store cleanup", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
