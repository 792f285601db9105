package main

import (
	"fmt"
	"io"
	"time"
)

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

// printTables writes the medians, the floor sum and the target ratios.
func printTables(w io.Writer, names []string, sums map[string]summary, floor float64, rs []ratio, md bool) {
	row := "%-28s %6s %12s %12s %10s\n"
	if md {
		fmt.Fprintln(w, "| benchmark | runs | median | bytes/op | allocs/op |\n|---|---:|---:|---:|---:|")
		row = "| %s | %s | %s | %s | %s |\n"
	} else {
		fmt.Fprintf(w, row, "benchmark", "runs", "median", "bytes/op", "allocs/op")
	}
	for _, n := range names {
		s := sums[n]
		fmt.Fprintf(w, row, n, fmt.Sprint(s.n), dur(s.ns), fmt.Sprintf("%.0f", s.bytes), fmt.Sprintf("%.0f", s.allocs))
	}
	fmt.Fprintf(w, row, "floor sum", "", dur(floor), "", "")
	fmt.Fprintln(w)
	if md {
		fmt.Fprintln(w, "| ratio | value | target | met |\n|---|---:|---:|---|")
	}
	for _, r := range rs {
		verdict := "met"
		if !r.met() {
			verdict = "MISSED"
		}
		if md {
			fmt.Fprintf(w, "| %s | %.3f | ≤ %.2f | %s |\n", r.label, r.value, r.target, verdict)
		} else {
			fmt.Fprintf(w, "%-42s %7.3f  (target <= %.2f) %s\n", r.label, r.value, r.target, verdict)
		}
	}
}
