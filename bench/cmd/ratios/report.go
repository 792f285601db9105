package main

import (
	"fmt"
	"io"
	"time"
)

// ratioSet is the targets computed with one clock.
type ratioSet struct {
	name  string
	t     clock
	floor float64
	rs    []ratio
}

// dur prints nanoseconds the way benchstat does (µs below 1 ms).
func dur(ns float64) string {
	d := time.Duration(ns)
	switch {
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case d >= time.Microsecond:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	default:
		return fmt.Sprintf("%.0f ns", ns)
	}
}

// cpuDur prints a CPU median, or "-" when the input had none.
func cpuDur(ns float64) string {
	if ns == 0 {
		return "-"
	}
	return dur(ns)
}

// printTables writes the medians, the floor sums and the target ratios;
// the last set decides the verdict.
func printTables(w io.Writer, names []string, sums map[string]summary, sets []ratioSet, md bool) {
	row := "%-28s %6s %12s %12s %12s %10s\n"
	if md {
		fmt.Fprintln(w, "| benchmark | runs | median (wall) | median (CPU) | bytes/op | allocs/op |\n|---|---:|---:|---:|---:|---:|")
		row = "| %s | %s | %s | %s | %s | %s |\n"
	} else {
		fmt.Fprintf(w, row, "benchmark", "runs", "wall", "CPU", "bytes/op", "allocs/op")
	}
	for _, n := range names {
		s := sums[n]
		fmt.Fprintf(w, row, n, fmt.Sprint(s.n), dur(s.ns), cpuDur(s.cpuNs), fmt.Sprintf("%.0f", s.bytes), fmt.Sprintf("%.0f", s.allocs))
	}
	cpuFloor := "-"
	if len(sets) > 1 {
		cpuFloor = dur(sets[1].floor)
	}
	fmt.Fprintf(w, row, "floor sum", "", dur(sets[0].floor), cpuFloor, "", "")
	for i, set := range sets {
		fmt.Fprintln(w)
		decides := ""
		if i == len(sets)-1 {
			decides = " (decides the exit status)"
		}
		if md {
			fmt.Fprintf(w, "| ratio, by %s%s | value | target | |\n|---|---:|---:|---|\n", set.name, decides)
		} else {
			fmt.Fprintf(w, "ratios by %s%s\n", set.name, decides)
		}
		printRatios(w, set.rs, md)
	}
}

func printRatios(w io.Writer, rs []ratio, md bool) {
	for _, r := range rs {
		verdict := "met"
		if !r.met() {
			verdict = "MISSED"
		}
		if md {
			fmt.Fprintf(w, "| %s | %.3f | ≤ %.2f | %s |\n", r.label, r.value, r.target, verdict)
		} else {
			fmt.Fprintf(w, "  %-42s %7.3f  (target <= %.2f) %s\n", r.label, r.value, r.target, verdict)
		}
	}
}
