package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// sample is one result line of `go test -bench -benchmem`.
type sample struct {
	ns, cpuNs, bytes, allocs float64 // cpuNs is 0 when the line has no cpu-ns/op
}

// benchLine matches "BenchmarkName-2   123   4567 ns/op   89 B/op   10 allocs/op";
// the metrics after ns/op are optional (without -benchmem).
var benchLine = regexp.MustCompile(`^Benchmark(\S+)\s+\d+\s+([0-9.e+]+) ns/op(.*)$`)

// procSuffix is the "-GOMAXPROCS" go test appends to a name.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads go test output and groups the samples by benchmark name
// (without the "Benchmark" prefix and the -GOMAXPROCS suffix), keeping the
// order in which names first appear.
func parse(r io.Reader) (names []string, runs map[string][]sample, err error) {
	runs = map[string][]sample{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		name := procSuffix.ReplaceAllString(m[1], "")
		s, err := parseMetrics(m[2], m[3])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		if _, seen := runs[name]; !seen {
			names = append(names, name)
		}
		runs[name] = append(runs[name], s)
	}
	return names, runs, sc.Err()
}

// parseMetrics reads ns/op and the optional "N cpu-ns/op", "N B/op" and
// "N allocs/op".
func parseMetrics(ns, rest string) (sample, error) {
	var s sample
	var err error
	if s.ns, err = strconv.ParseFloat(ns, 64); err != nil {
		return s, err
	}
	f := strings.Fields(rest)
	for i := 0; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return s, fmt.Errorf("metric %q: %w", f[i], err)
		}
		switch f[i+1] {
		case "cpu-ns/op":
			s.cpuNs = v
		case "B/op":
			s.bytes = v
		case "allocs/op":
			s.allocs = v
		}
	}
	return s, nil
}
