package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// MaxAPITokenLifetime bounds an API token's expiry (a token without one
// never expires; one with an expiry should not pretend to be temporary).
const MaxAPITokenLifetime = 366 * 24 * time.Hour

// APITokenUseInterval is how stale "last used" may be: the time is written
// at most once per interval per token, so that a busy automation does not
// turn every API read into a database write.
const APITokenUseInterval = time.Minute

// errTokenExpired: the token exists but its expiry has passed. It wraps
// store.ErrNotFound so callers answer it like an unknown token (401).
var errTokenExpired = fmt.Errorf("workspace: API token expired: %w", store.ErrNotFound)

// errSelfLockout refuses an admin archiving or demoting themselves from
// the settings pages (docs/access-rules.md, "Admin safety"): another admin,
// or the operator's CLI, must do it.
var errSelfLockout = invalid("role", "You cannot archive or demote yourself: you would lose access to these settings. Ask another admin, or use the gatehouse CLI.")

// checkTokenExpiry accepts zero (never) or a time in (now, now+max].
func (s *Service) checkTokenExpiry(at time.Time) error {
	if at.IsZero() {
		return nil
	}
	now := s.now()
	if !at.After(now) {
		return invalid("expires", "Expiry: the date must be in the future.")
	}
	if at.After(now.Add(MaxAPITokenLifetime)) {
		return invalid("expires", "Expiry: at most one year from now (or no expiry).")
	}
	return nil
}

// touchAPIToken records the token's use, at most once per
// APITokenUseInterval. A failed write is logged, never fatal: the request
// was authenticated correctly, only the statistic is late.
func (s *Service) touchAPIToken(ctx context.Context, t *store.APIToken, now time.Time) {
	if now.Sub(t.LastUsedAt) < APITokenUseInterval {
		return
	}
	if err := s.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
		s.log().Warn("workspace: recording API token use failed", "token_id", t.ID, "err", err)
		return
	}
	t.LastUsedAt = now
}

// tokenAuditDetails are the audit details of a created token.
func tokenAuditDetails(t *store.APIToken) map[string]any {
	d := map[string]any{"token_id": t.ID, "name": t.Name}
	if !t.ExpiresAt.IsZero() {
		d["expires_at"] = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return d
}
