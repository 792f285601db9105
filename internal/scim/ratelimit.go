package scim

import (
	"sync"
	"time"
)

// Wrong-token limits per (client address, workspace slug): a burst of
// failures, then one more every failureRefill; beyond that a wrong token
// gets 429 and no log line. In memory per replica, like the sign-in
// limits (docs/decisions.md, "Security review fixes").
//
// The token is always checked before the limit is consulted, so the right
// token is never refused, whatever others sent: Entra's provisioning
// service calls from addresses shared by all its tenants, and a tenant
// pointing its directory at another workspace's Tenant URL must not get
// that workspace's sync refused. The slug is part of the key so that
// failures at one workspace never change the answers at another. Tokens
// are 256-bit random, so the limit is not what stops guessing: it bounds
// the log lines and work a flood of wrong tokens causes.
const (
	failureBurst   = 10
	failureRefill  = 6 * time.Second
	failureMaxKeys = 100_000
	// maxKeyPart bounds each part of a key (addresses are at most 45
	// bytes, slugs 63; longer slugs name no workspace and share a bucket).
	maxKeyPart = 64
)

// failureLimiter counts wrong tokens per (address, slug).
type failureLimiter struct {
	mu sync.Mutex
	m  map[failureKey]*failureBucket
}

// failureKey is one client address at one workspace's URL.
type failureKey struct{ addr, slug string }

type failureBucket struct {
	tokens float64
	last   time.Time
}

func newFailureLimiter() *failureLimiter { return &failureLimiter{m: map[failureKey]*failureBucket{}} }

// keyOf bounds the parts of a key.
func keyOf(addr, slug string) failureKey {
	if len(addr) > maxKeyPart {
		addr = addr[:maxKeyPart]
	}
	if len(slug) > maxKeyPart {
		slug = "\x00long"
	}
	return failureKey{addr, slug}
}

// fail records a wrong token from addr at slug's URL and reports whether
// it is within the budget (answer 401 and log it) or beyond (answer 429).
func (l *failureLimiter) fail(addr, slug string, now time.Time) bool {
	k := keyOf(addr, slug)
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.m[k]
	if !ok {
		if len(l.m) >= failureMaxKeys {
			l.prune(now)
		}
		b = &failureBucket{tokens: failureBurst, last: now}
		l.m[k] = b
	}
	if l.refill(b, now) < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune drops the buckets that have refilled (they hold nothing a new
// bucket would not); when that frees less than a quarter of the table,
// it clears it: memory stays bounded, and the cost of a flood of new keys
// stays amortised O(1) (the flood then resets everyone's count, which
// only lets more wrong tokens get a 401 instead of a 429).
func (l *failureLimiter) prune(now time.Time) {
	for k, b := range l.m {
		if l.refill(b, now) >= failureBurst {
			delete(l.m, k)
		}
	}
	if len(l.m) > failureMaxKeys*3/4 {
		clear(l.m)
	}
}

// refill brings b up to now and returns its tokens.
func (l *failureLimiter) refill(b *failureBucket, now time.Time) float64 {
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(failureBurst, b.tokens+float64(d)/float64(failureRefill))
		b.last = now
	}
	return b.tokens
}
