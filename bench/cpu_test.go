package bench

import (
	"syscall"
	"testing"
)

// processCPU is the CPU time (user + system) this process has used, in ns.
func processCPU(tb testing.TB) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// measure times op with b.Loop and reports, besides ns/op, the CPU time
// per operation ("cpu-ns/op"). On a shared machine wall time includes the
// time other processes held the core; CPU time does not, so the ratios
// stay meaningful there. With -cpu 1 the two agree on an idle machine
// (garbage collection runs on the same single P and is counted in both).
func measure(b *testing.B, op func() error) {
	b.ReportAllocs()
	start := processCPU(b)
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
}
