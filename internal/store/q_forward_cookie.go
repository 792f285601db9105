package store

import (
	"context"
	"strings"
	"time"
)

// forwardIdentityQuery is sessionIdentityQuery looked up by the unique
// sessions.forward_hash (index sessions_forward) instead of token_hash.
var forwardIdentityQuery = strings.Replace(sessionIdentityQuery, "WHERE s.token_hash = ?", "WHERE s.forward_hash = ?", 1)

// ForwardSessionIdentity resolves an unexpired session by its forward
// token's hash, with its member's identity.
func (q *queries) ForwardSessionIdentity(ctx context.Context, forwardHash []byte, now time.Time) (*SessionIdentity, error) {
	if len(forwardHash) == 0 {
		return nil, ErrNotFound
	}
	return q.sessionIdentity(ctx, forwardIdentityQuery, forwardHash, now)
}
