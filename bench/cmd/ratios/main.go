// Command ratios reads `go test -bench . -benchmem -count N` output of the
// bench package and prints each benchmark's medians and the targets of
// issue 6: Gatehouse's median at most 0.20 × crewjam's, at most 1.5 × the
// floor sum, and at most a tenth of crewjam's allocations.
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

// run does the work of main and returns the exit status.
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
	rs, err := ratios(sums)
	if err != nil {
		fmt.Fprintln(out, "ratios:", err)
		return 2
	}
	floor, _ := floorSum(sums) // ratios has checked it
	printTables(out, names, sums, floor, rs, md)
	for _, r := range rs {
		if !r.met() {
			return 1
		}
	}
	return 0
}
