package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// testProbeWrite: the readiness write probe succeeds repeatedly on a
// healthy store (it upserts one row) and fails once the store is closed.
func testProbeWrite(t *testing.T, s store.Store) {
	for i := range 3 {
		must(t, s.ProbeWrite(ctx(t), t0.Add(time.Duration(i)*time.Second)), "probe")
	}
	must(t, s.Close(), "close")
	err := s.ProbeWrite(ctx(t), t0)
	if err == nil {
		t.Fatal("ProbeWrite on a closed store succeeded")
	}
	if !store.IsUnavailable(err) {
		t.Errorf("a closed store's error is not IsUnavailable: %v", err)
	}
}
