package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// output builds go test -bench output with the given Gatehouse ns/op and
// allocs/op; the other benchmarks are fixed.
func output(gatehouseNS, gatehouseAllocs string) string {
	return `goos: linux
BenchmarkCrewjam-2   	     202	   1000000 ns/op	  536661 B/op	    7000 allocs/op
BenchmarkCrewjam-2   	     202	   1200000 ns/op	  536661 B/op	    7000 allocs/op
BenchmarkCrewjam-2   	     202	   1100000 ns/op	  536661 B/op	    7000 allocs/op
BenchmarkFloor/Base64-2         	   46225	      5000 ns/op	       0 B/op	       0 allocs/op
BenchmarkFloor/XMLTokenize-2    	    2245	    100000 ns/op	   28168 B/op	     631 allocs/op
BenchmarkFloor/EtreeParse-2     	    2136	    110000 ns/op	   43624 B/op	     764 allocs/op
BenchmarkFloor/ExcC14N-2        	    5234	     56000 ns/op	   51473 B/op	     476 allocs/op
BenchmarkFloor/SHA256Assertion-2	   91120	      2500 ns/op	       0 B/op	       0 allocs/op
BenchmarkFloor/SHA256SignedInfo-2	  485157	       500 ns/op	       0 B/op	       0 allocs/op
BenchmarkFloor/RSAVerify-2      	    7927	     32000 ns/op	    1376 B/op	       9 allocs/op
BenchmarkGatehouse-2 	    1000	    ` + gatehouseNS + ` ns/op	   10000 B/op	     ` + gatehouseAllocs + ` allocs/op
PASS
`
}

func TestRatiosFromGoTestOutput(t *testing.T) {
	names, runs, err := parse(strings.NewReader(output("200000", "350")))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 9 || names[0] != "Crewjam" || names[8] != "Gatehouse" || len(runs["Crewjam"]) != 3 {
		t.Fatalf("names = %v", names)
	}
	sums := map[string]summary{}
	for _, n := range names {
		sums[n] = summarize(runs[n])
	}
	if got := sums["Crewjam"].ns; got != 1100000 {
		t.Fatalf("crewjam median = %v, want 1100000", got)
	}
	floor, err := floorSum(sums, wall)
	if err != nil {
		t.Fatal(err)
	}
	// 5000 + min(100000, 110000) + 2500 + 500 + 32000; ExcC14N is not a term.
	if floor != 140000 {
		t.Fatalf("floor = %v, want 140000", floor)
	}
	rs, err := ratios(sums, wall)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{200000.0 / 1100000, 200000.0 / 140000, 350.0 / 7000}
	for i, r := range rs {
		if math.Abs(r.value-want[i]) > 1e-9 {
			t.Errorf("%s = %v, want %v", r.label, r.value, want[i])
		}
	}
}

func TestExitStatus(t *testing.T) {
	cases := []struct {
		name, in string
		want     int
	}{
		{"all targets met", output("200000", "350"), 0},
		{"slower than 1.5 x floor", output("215000", "350"), 1},
		{"too many allocations", output("200000", "701"), 1},
		{"no Gatehouse", strings.Split(output("1", "1"), "BenchmarkGatehouse")[0], 2},
		{"not benchmark output", "hello\n", 2},
	}
	for _, c := range cases {
		var out bytes.Buffer
		if got := run(strings.NewReader(c.in), &out, false); got != c.want {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, got, c.want, out.String())
		}
	}
}

func TestMedianEvenCount(t *testing.T) {
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Fatalf("median = %v, want 2.5", got)
	}
}

func TestMarkdownHasRatioTable(t *testing.T) {
	var out bytes.Buffer
	run(strings.NewReader(output("200000", "350")), &out, true)
	for _, want := range []string{"| Gatehouse | 1 | 200.0 µs | - | 10000 | 350 |", "| floor sum |  | 140.0 µs | - |", "| Gatehouse median / floor sum | 1.429 | ≤ 1.50 | met |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, out.String())
		}
	}
}

// withCPU adds "cpu-ns/op" to every line: the wall time halved, except
// Gatehouse's, which is given.
func withCPU(in, gatehouseCPU string) string {
	var out []string
	for _, l := range strings.Split(in, "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 && strings.HasPrefix(f[0], "Benchmark") {
			cpu := gatehouseCPU
			if !strings.HasPrefix(f[0], "BenchmarkGatehouse") {
				var ns float64
				fmt.Sscan(f[2], &ns)
				cpu = fmt.Sprint(ns / 2)
			}
			l = strings.Replace(l, " ns/op", " ns/op\t"+cpu+" cpu-ns/op", 1)
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestCPUTimeDecidesWhenPresent(t *testing.T) {
	// Wall: Gatehouse 215 µs is 1.54 x the 140 µs floor (missed). CPU: the
	// floor is 70 µs and Gatehouse 100 µs, 1.43 x (met).
	in := withCPU(output("215000", "350"), "100000")
	var out bytes.Buffer
	if got := run(strings.NewReader(in), &out, false); got != 0 {
		t.Fatalf("exit %d, want 0 (CPU ratios met)\n%s", got, out.String())
	}
	for _, want := range []string{"ratios by wall time", "ratios by CPU time (decides the exit status)", "MISSED"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// And the other way round: a CPU miss fails even when wall time is met.
	in = withCPU(output("200000", "350"), "110000")
	if got := run(strings.NewReader(in), &out, false); got != 1 {
		t.Fatalf("exit %d, want 1 (CPU ratio 1.57 missed)", got)
	}
}

func TestHasCPUNeedsEveryBenchmark(t *testing.T) {
	sums := map[string]summary{"A": {cpuNs: 1}, "B": {}}
	if hasCPU(sums) {
		t.Fatal("hasCPU with a benchmark lacking cpu-ns/op")
	}
	sums["B"] = summary{cpuNs: 2}
	if !hasCPU(sums) {
		t.Fatal("hasCPU false with cpu-ns/op everywhere")
	}
}
