package scim

import (
	"sync"
	"time"
)

// Wrong-token limits per client address: a burst of failures, then one
// more every failureRefill. Only failures take tokens, so a directory
// with the right token is never slowed down. In memory per replica, like
// the sign-in limits (docs/decisions.md).
const (
	failureBurst   = 10
	failureRefill  = 6 * time.Second
	failureMaxKeys = 100_000
)

// failureLimiter counts wrong tokens per client address.
type failureLimiter struct {
	mu sync.Mutex
	m  map[string]*failureBucket
}

type failureBucket struct {
	tokens float64
	last   time.Time
}

func newFailureLimiter() *failureLimiter { return &failureLimiter{m: map[string]*failureBucket{}} }

// allowed reports whether ip may try a token now.
func (l *failureLimiter) allowed(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.m[ip]
	return !ok || l.refill(b, now) >= 1
}

// failed takes one token from ip's bucket.
func (l *failureLimiter) failed(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.m[ip]
	if !ok {
		if len(l.m) >= failureMaxKeys {
			clear(l.m) // bounded memory; a flood resets everyone's count
		}
		b = &failureBucket{tokens: failureBurst, last: now}
		l.m[ip] = b
	}
	if l.refill(b, now) >= 1 {
		b.tokens--
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
