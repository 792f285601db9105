package workspace

import (
	"context"
	"errors"
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// ErrPasswordHashBusy means every password-hashing slot stayed taken for
// the gate's whole wait: the caller should answer 503 with Retry-After.
var ErrPasswordHashBusy = errors.New("workspace: too many password hashes at once, try again shortly")

// HashGate bounds how many argon2id computations run at once. Each one
// allocates DefaultPasswordParams.Memory (64 MiB), so without a bound a
// burst of sign-in attempts (19 at once took a server to 1.28 GB) can
// exhaust memory (issue 11). A computation waits up to the gate's wait for
// a slot, then fails with ErrPasswordHashBusy.
type HashGate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHashGate allows n concurrent hashes (n <= 0: DefaultHashConcurrency),
// each waiting up to wait for a slot.
func NewHashGate(n int, wait time.Duration) *HashGate {
	if n <= 0 {
		n = DefaultHashConcurrency()
	}
	return &HashGate{slots: make(chan struct{}, n), wait: wait}
}

// Size is how many hashes may run at once.
func (g *HashGate) Size() int { return cap(g.slots) }

// Limits of the automatic size and the default wait.
const (
	maxAutoHashes   = 32
	DefaultHashWait = 2 * time.Second
)

// DefaultHashConcurrency sizes the gate from the memory setting: with a
// GOMEMLIMIT, half of it divided by one hash's memory; without one, one
// hash per CPU (argon2id is CPU-bound, so more at once only queue). Both
// are kept between 1 (2 without a limit) and 32.
func DefaultHashConcurrency() int {
	perHash := int64(DefaultPasswordParams.Memory) << 10
	if limit := debug.SetMemoryLimit(-1); limit > 0 && limit < math.MaxInt64 {
		return int(min(max(limit/2/perHash, 1), maxAutoHashes))
	}
	return min(max(runtime.NumCPU(), 2), maxAutoHashes)
}

// defaultHashGate is shared by the Services that set no gate of their own
// (one process, one memory budget).
var defaultHashGate = sync.OnceValue(func() *HashGate {
	return NewHashGate(DefaultHashConcurrency(), DefaultHashWait)
})

// Do runs fn in a slot, waiting up to the gate's wait (or until ctx ends)
// for one.
func (g *HashGate) Do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		if g.wait <= 0 {
			return ErrPasswordHashBusy
		}
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return ErrPasswordHashBusy
		case <-ctx.Done():
			return ErrPasswordHashBusy
		}
	}
	defer func() { <-g.slots }()
	fn()
	return nil
}

// hashGate is the Service's gate.
func (s *Service) hashGate() *HashGate {
	if s.PasswordHashes != nil {
		return s.PasswordHashes
	}
	return defaultHashGate()
}

// hashPassword is HashPassword in one of the gate's slots.
func (s *Service) hashPassword(ctx context.Context, pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err // no slot for a password that will not be hashed
	}
	var hash string
	var err error
	if gerr := s.hashGate().Do(ctx, func() { hash, err = HashPassword(pw) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// verifyPassword is VerifyPassword in one of the gate's slots; encoded ""
// verifies against the dummy hash (whose password is never submitted).
func (s *Service) verifyPassword(ctx context.Context, encoded, pw string) error {
	if encoded == "" {
		encoded = dummyHash()
	}
	var err error
	if gerr := s.hashGate().Do(ctx, func() { err = VerifyPassword(encoded, pw) }); gerr != nil {
		return gerr
	}
	return err
}
