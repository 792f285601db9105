package web

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// Rate limits on unauthenticated work: small in-memory token buckets.
// In-memory is deliberate: it needs no shared state, and with several
// replicas an attacker gets at most replicas × the limit. The numbers and
// why are in docs/decisions.md ("Issue 11 (limits)").
//
// Password sign-in: an attempt needs a token from the client address's
// bucket, from the (account, address) pair's and from the account's. The
// pair's is the tight one, so a single address failing at an account
// never locks its owner out; the account's is a higher ceiling that only
// many addresses together can reach. Successful sign-ins give their tokens
// back: only failures count.
var (
	loginIPRule      = rule{burst: 20, every: 3 * time.Second}  // any account, per address
	loginPairRule    = rule{burst: 5, every: 12 * time.Second}  // per (account, address): ~5 a minute
	loginAccountRule = rule{burst: 30, every: 4 * time.Second}  // per account, all addresses together
	setupRule        = rule{burst: 10, every: 6 * time.Second}  // wrong setup tokens per address
	samlStartRule    = rule{burst: 60, every: 1 * time.Second}  // SP-initiated starts per address
	oidcAuthRule     = rule{burst: 60, every: 1 * time.Second}  // OIDC authorization requests per address
	oidcPendingRule  = rule{burst: 200, every: 3 * time.Second} // ~200 pending OIDC authorizations per address (10-min TTL)
	// The OIDC rules again for each IPv6 /56 and /48 (4× and 16× the /64's
	// burst and rate): one holder of a /56 or /48 has its 256 or 65,536
	// /64s, and must not reach the workspace's pending cap with them.
	oidcAuth56Rule    = rule{burst: 240, every: 250 * time.Millisecond}
	oidcPending56Rule = rule{burst: 800, every: 750 * time.Millisecond}
	oidcAuth48Rule    = rule{burst: 960, every: 62500 * time.Microsecond}
	oidcPending48Rule = rule{burst: 3200, every: 187500 * time.Microsecond}
	acsAuditRule      = rule{burst: 30, every: 2 * time.Second} // audited rejected responses per address
	acsCopyRule       = rule{burst: 20, every: 5 * time.Minute} // redacted copies kept per SAML config
	limiterMaxKeys    = 100_000                                 // per rule; full buckets are dropped first
	maxLimitKeyBytes  = 320                                     // longer keys (typed emails) are hashed
)

// rule is one token bucket's shape: burst tokens, one more every interval.
type rule struct {
	burst float64
	every time.Duration
}

// bucket is a token bucket: tokens refill continuously up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// limitKey names one bucket: its rule's table and the key within it.
type limitKey struct {
	table *table
	key   string
}

// table holds the buckets of one rule.
type table struct {
	rule    rule
	buckets map[string]*bucket
}

// rateLimiter holds every table under one mutex, so an attempt takes its
// tokens from several buckets all or nothing. The clock is the caller's.
type rateLimiter struct {
	mu                                             sync.Mutex
	loginIP, loginPair, loginAccount, setup, start *table
	acsAudit, acsCopy                              *table
	oidcAuth, oidcPending                          *table
	oidcAuth56, oidcPending56                      *table
	oidcAuth48, oidcPending48                      *table
}

func newRateLimiter() *rateLimiter {
	t := func(r rule) *table { return &table{rule: r, buckets: map[string]*bucket{}} }
	return &rateLimiter{loginIP: t(loginIPRule), loginPair: t(loginPairRule), loginAccount: t(loginAccountRule),
		setup: t(setupRule), start: t(samlStartRule), acsAudit: t(acsAuditRule), acsCopy: t(acsCopyRule),
		oidcAuth: t(oidcAuthRule), oidcPending: t(oidcPendingRule),
		oidcAuth56: t(oidcAuth56Rule), oidcPending56: t(oidcPending56Rule),
		oidcAuth48: t(oidcAuth48Rule), oidcPending48: t(oidcPending48Rule)}
}

// oidcAuthKeys are the buckets of an OIDC authorization request from
// client address ip: its address key's, and for IPv6 also its /56's and
// /48's.
func (l *rateLimiter) oidcAuthKeys(ip string) []limitKey {
	k := addressKey(ip)
	keys := []limitKey{{l.oidcAuth, k}, {l.oidcPending, k}}
	a, ok := ipv6Addr(ip)
	if !ok {
		return keys
	}
	p56, _ := a.Prefix(56)
	p48, _ := a.Prefix(48)
	return append(keys, limitKey{l.oidcAuth56, p56.String()}, limitKey{l.oidcPending56, p56.String()},
		limitKey{l.oidcAuth48, p48.String()}, limitKey{l.oidcPending48, p48.String()})
}

// loginKeys are the buckets of a password attempt for account from ip.
func (l *rateLimiter) loginKeys(ip, account string) []limitKey {
	account = boundedKey(account)
	return []limitKey{{l.loginIP, ip}, {l.loginPair, account + "\x00" + ip}, {l.loginAccount, account}}
}

// take takes one token from each bucket, or none when any is empty; it
// then also says how long until the emptiest has a token again.
func (l *rateLimiter) take(now time.Time, keys ...limitKey) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	bs := make([]*bucket, len(keys))
	for i, k := range keys {
		bs[i] = k.table.get(k.key, now)
		if bs[i].tokens < 1 {
			wait = max(wait, time.Duration((1-bs[i].tokens)*float64(k.table.rule.every)))
		}
	}
	if wait > 0 {
		return false, wait
	}
	for _, b := range bs {
		b.tokens--
	}
	return true, 0
}

// refund gives back the tokens of an attempt that must not count.
func (l *rateLimiter) refund(now time.Time, keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		b := k.table.get(k.key, now)
		b.tokens = min(k.table.rule.burst, b.tokens+1)
	}
}

// get returns key's bucket refilled to now, creating a full one.
func (t *table) get(key string, now time.Time) *bucket {
	b, ok := t.buckets[key]
	if !ok {
		if len(t.buckets) >= limiterMaxKeys {
			t.prune(now)
		}
		b = &bucket{tokens: t.rule.burst, last: now}
		t.buckets[key] = b
		return b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(t.rule.burst, b.tokens+float64(elapsed)/float64(t.rule.every))
		b.last = now
	}
	return b
}

// prune drops buckets that have refilled completely (they carry no
// information); if none has, it drops everything rather than grow.
func (t *table) prune(now time.Time) {
	for k, b := range t.buckets {
		if b.tokens+float64(now.Sub(b.last))/float64(t.rule.every) >= t.rule.burst {
			delete(t.buckets, k)
		}
	}
	if len(t.buckets) >= limiterMaxKeys {
		clear(t.buckets)
	}
}

// boundedKey keeps a client-chosen key (a typed email) small in memory.
func boundedKey(k string) string {
	if len(k) <= maxLimitKeyBytes {
		return k
	}
	h := sha256.Sum256([]byte(k))
	return "sha256:" + hex.EncodeToString(h[:])
}

// addressKey is the rate-limit key of a client address: IPv4 addresses as
// they are, IPv6 by their /64, since one host commonly holds a whole /64
// and could otherwise take a fresh bucket for every request.
func addressKey(ip string) string {
	if a, ok := ipv6Addr(ip); ok {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return ip
}

// ipv6Addr parses ip; ok only for an IPv6 address that is not IPv4-mapped
// (those are keyed as they are, like IPv4).
func ipv6Addr(ip string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(ip)
	return a, err == nil && a.Is6() && !a.Is4In6()
}

// oidcOwner is the owner recorded on a pending OIDC authorization from
// client address ip: IPv4 addresses as they are, IPv6 by their /48 (the
// widest bucket of oidcAuthKeys), so that a flood from many /64s of one
// prefix is one owner, the largest, and is evicted first at the cap.
func oidcOwner(ip string) string {
	if a, ok := ipv6Addr(ip); ok {
		p, _ := a.Prefix(48)
		return p.String()
	}
	return boundedKey(ip)
}

// retryAfter is a Retry-After header value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.FormatInt(int64(math.Ceil(max(d, time.Second).Seconds())), 10)
}

// limitAddress is the rate-limit key of r's client.
func (s *Server) limitAddress(r *http.Request) string { return addressKey(s.clientIP(r)) }

// tooMany answers 429 with Retry-After on the generic error page.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	w.Header().Set("Retry-After", retryAfter(wait))
	s.errorPage(w, r, http.StatusTooManyRequests)
}
