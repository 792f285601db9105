package workspace

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"
)

func TestHashGateBoundsConcurrency(t *testing.T) {
	g := NewHashGate(2, 0)
	var inside, peak atomic.Int32
	entered, release := make(chan struct{}, 2), make(chan struct{})
	hold := func() {
		n := inside.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		entered <- struct{}{}
		<-release
		inside.Add(-1)
	}
	done := make(chan error, 2)
	for range 2 {
		go func() { done <- g.Do(context.Background(), hold) }()
	}
	<-entered
	<-entered
	if err := g.Do(context.Background(), func() { t.Error("a third hash ran beside two") }); !errors.Is(err, ErrPasswordHashBusy) {
		t.Errorf("third hash: %v, want ErrPasswordHashBusy", err)
	}
	close(release)
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if peak.Load() != 2 {
		t.Errorf("peak concurrency %d, want 2", peak.Load())
	}
	ran := false
	if err := g.Do(context.Background(), func() { ran = true }); err != nil || !ran {
		t.Errorf("after release: err %v ran %v", err, ran)
	}
}

func TestHashGateWaitsForASlot(t *testing.T) {
	g := NewHashGate(1, time.Minute)
	entered, release := make(chan struct{}), make(chan struct{})
	go func() { _ = g.Do(context.Background(), func() { close(entered); <-release }) }()
	<-entered
	// The waiter gets the slot as soon as the holder lets go.
	go close(release)
	if err := g.Do(context.Background(), func() {}); err != nil {
		t.Fatalf("waiter: %v", err)
	}
	// A waiter whose request ends gives up.
	entered2, release2 := make(chan struct{}), make(chan struct{})
	go func() { _ = g.Do(context.Background(), func() { close(entered2); <-release2 }) }()
	<-entered2
	defer close(release2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.Do(ctx, func() { t.Error("ran without a slot") }); !errors.Is(err, ErrPasswordHashBusy) {
		t.Errorf("cancelled waiter: %v, want ErrPasswordHashBusy", err)
	}
}

func TestDefaultHashConcurrencyFollowsMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(1 << 30)
	defer debug.SetMemoryLimit(old)
	if n := DefaultHashConcurrency(); n != 8 { // 1 GiB / 2 / 64 MiB
		t.Errorf("with GOMEMLIMIT=1GiB: %d, want 8", n)
	}
	debug.SetMemoryLimit(100 << 20)
	if n := DefaultHashConcurrency(); n != 1 {
		t.Errorf("with GOMEMLIMIT=100MiB: %d, want 1", n)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	if n := DefaultHashConcurrency(); n < 2 || n > maxAutoHashes {
		t.Errorf("without GOMEMLIMIT: %d, want 2..%d", n, maxAutoHashes)
	}
}
