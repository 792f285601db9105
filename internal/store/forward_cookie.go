package store

import (
	"context"
	"time"
)

// ForwardCookieQueries resolve the forward-auth cookie (docs/forward-auth.md,
// "Cookies"): a token of its own, bound to one session by
// Session.ForwardHash, so hosts that receive it never hold the session.
type ForwardCookieQueries interface {
	// ForwardSessionIdentity is SessionIdentity keyed by the forward
	// token's hash instead of the session token's: one indexed read.
	// ErrNotFound when no unexpired session has that forward hash.
	ForwardSessionIdentity(ctx context.Context, forwardHash []byte, now time.Time) (*SessionIdentity, error)
}
