// Command ratios reads `go test -bench . -benchmem -count N` output of the
// bench package and prints each benchmark's medians and the targets of
// issue 6: Gatehouse's median at most 0.20 × crewjam's, at most 1.5 × the
// floor sum, and at most a tenth of crewjam's allocations. It computes
// them from wall time (ns/op) and, when present, CPU time (cpu-ns/op); the
// CPU-time ratios decide.
//
// Usage:
//
//	ratios [-markdown] [FILE]   (standard input when FILE is absent)
//
// The exit status is 0 when every target is met, 1 when one is missed and
// 2 when the input cannot be used.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	md := flag.Bool("markdown", false, "print Markdown tables (for docs/performance.md)")
	flag.Parse()
	in := io.Reader(os.Stdin)
	if flag.NArg() > 0 {
		f, err := os.Open(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, "ratios:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	os.Exit(run(in, os.Stdout, *md))
}

// run does the work of main and returns the exit status. When the input
// has cpu-ns/op (bench's measure), the verdict uses CPU time, which other
// processes on a shared machine cannot inflate; the wall-time ratios are
// printed as well.
func run(in io.Reader, out io.Writer, md bool) int {
	names, runs, err := parse(in)
	if err != nil || len(names) == 0 {
		fmt.Fprintln(out, "ratios: no benchmark results in the input", err)
		return 2
	}
	sums := make(map[string]summary, len(names))
	for _, n := range names {
		sums[n] = summarize(runs[n])
	}
	sets := []ratioSet{{name: "wall time", t: wall}}
	if hasCPU(sums) {
		sets = append(sets, ratioSet{name: "CPU time", t: cpu})
	}
	for i := range sets {
		if sets[i].rs, err = ratios(sums, sets[i].t); err != nil {
			fmt.Fprintln(out, "ratios:", err)
			return 2
		}
		sets[i].floor, _ = floorSum(sums, sets[i].t) // ratios has checked it
	}
	printTables(out, names, sums, sets, md)
	for _, r := range sets[len(sets)-1].rs {
		if !r.met() {
			return 1
		}
	}
	return 0
}
