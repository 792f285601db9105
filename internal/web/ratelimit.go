package web

import (
	"sync"
	"time"
)

// Password sign-in limits: a small in-memory token bucket per client IP and
// per account (email). Both must have a token for an attempt to proceed.
// In-memory is deliberate: it needs no shared state, and with several
// replicas an attacker gets at most replicas × the limit.
const (
	ipBurst        = 20               // attempts an IP may make at once
	ipRefill       = 3 * time.Second  // one more attempt per interval
	accountBurst   = 5                // attempts per account at once
	accountRefill  = 12 * time.Second // ~5 per minute per account
	limiterMaxKeys = 100_000          // memory bound; full buckets are dropped first
)

// bucket is a token bucket: tokens refill continuously up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// loginLimiter holds the buckets. The clock is passed in by the caller.
type loginLimiter struct {
	mu      sync.Mutex
	ip      map[string]*bucket
	account map[string]*bucket
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{ip: map[string]*bucket{}, account: map[string]*bucket{}}
}

// allow takes one token from both the IP's and the account's bucket; it
// takes none when either is empty.
func (l *loginLimiter) allow(ip, account string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	bi := l.get(l.ip, ip, ipBurst, ipRefill, now)
	ba := l.get(l.account, account, accountBurst, accountRefill, now)
	if bi.tokens < 1 || ba.tokens < 1 {
		return false
	}
	bi.tokens--
	ba.tokens--
	return true
}

// get returns key's bucket refilled to now, creating a full one.
func (l *loginLimiter) get(m map[string]*bucket, key string, burst float64, refill time.Duration, now time.Time) *bucket {
	b, ok := m[key]
	if !ok {
		if len(m) >= limiterMaxKeys {
			prune(m, burst, refill, now)
		}
		b = &bucket{tokens: burst, last: now}
		m[key] = b
		return b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(burst, b.tokens+float64(elapsed)/float64(refill))
		b.last = now
	}
	return b
}

// prune drops buckets that have refilled completely (they carry no
// information); if none has, it drops everything rather than grow.
func prune(m map[string]*bucket, burst float64, refill time.Duration, now time.Time) {
	for k, b := range m {
		if b.tokens+float64(now.Sub(b.last))/float64(refill) >= burst {
			delete(m, k)
		}
	}
	if len(m) >= limiterMaxKeys {
		clear(m)
	}
}
