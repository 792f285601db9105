package scim

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFailureLimiterBounded: the table never holds more than
// failureMaxKeys buckets, however many addresses and slugs fail, and
// overlong slugs share one bucket.
func TestFailureLimiterBounded(t *testing.T) {
	l := newFailureLimiter()
	now := time.Unix(1_700_000_000, 0)
	for i := range failureMaxKeys + 5_000 {
		l.fail("192.0.2."+strconv.Itoa(i%250), "ws"+strconv.Itoa(i), now)
		if len(l.m) > failureMaxKeys {
			t.Fatalf("%d buckets after %d failures", len(l.m), i+1)
		}
	}
	l = newFailureLimiter()
	for i := range failureBurst {
		if !l.fail("192.0.2.1", strings.Repeat("x", 100)+strconv.Itoa(i), now) {
			t.Fatalf("failure %d refused within the burst", i)
		}
	}
	if len(l.m) != 1 {
		t.Errorf("%d buckets for overlong slugs, want 1", len(l.m))
	}
	if l.fail("192.0.2.1", strings.Repeat("y", 100), now) {
		t.Error("overlong slugs do not share their budget")
	}
	// The budget refills: one more failure per failureRefill.
	if !l.fail("192.0.2.1", strings.Repeat("y", 100), now.Add(failureRefill)) {
		t.Error("no refill after failureRefill")
	}
}
