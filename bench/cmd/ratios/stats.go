package main

import (
	"errors"
	"fmt"
	"slices"
)

// summary is the per-metric median of one benchmark's samples.
type summary struct {
	n                        int
	ns, cpuNs, bytes, allocs float64
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// summarize takes the median of each metric separately, as benchstat does.
func summarize(samples []sample) summary {
	var ns, cpu, b, a []float64
	for _, s := range samples {
		ns, cpu = append(ns, s.ns), append(cpu, s.cpuNs)
		b, a = append(b, s.bytes), append(a, s.allocs)
	}
	return summary{n: len(samples), ns: median(ns), cpuNs: median(cpu), bytes: median(b), allocs: median(a)}
}

// Names of the benchmarks the ratios are built from.
const (
	nameGatehouse = "Gatehouse"
	nameCrewjam   = "Crewjam"
	nameGosaml2   = "Gosaml2"
)

// floorTerms are added to the floor sum; the parse term is the cheaper of
// floorParses (a validator parses once, with whichever parser it likes).
var (
	floorTerms  = []string{"Floor/Base64", "Floor/SHA256Assertion", "Floor/SHA256SignedInfo", "Floor/RSAVerify"}
	floorParses = []string{"Floor/XMLTokenize", "Floor/EtreeParse"}
)

// clock picks which median time a computation uses.
type clock func(summary) float64

func wall(s summary) float64 { return s.ns }
func cpu(s summary) float64  { return s.cpuNs }

// floorSum is the median time no validator can go below, by clock t.
func floorSum(sums map[string]summary, t clock) (float64, error) {
	total := 0.0
	for _, n := range floorTerms {
		s, ok := sums[n]
		if !ok {
			return 0, fmt.Errorf("floor: no %s in the input", n)
		}
		total += t(s)
	}
	parse := -1.0
	for _, n := range floorParses {
		if s, ok := sums[n]; ok && (parse < 0 || t(s) < parse) {
			parse = t(s)
		}
	}
	if parse < 0 {
		return 0, errors.New("floor: no parse benchmark in the input")
	}
	return total + parse, nil
}

// ratio is one target of issue 6.
type ratio struct {
	label  string
	value  float64
	target float64 // the value must be <= target
}

func (r ratio) met() bool { return r.value <= r.target }

// hasCPU reports whether every benchmark reported cpu-ns/op.
func hasCPU(sums map[string]summary) bool {
	for _, s := range sums {
		if s.cpuNs == 0 {
			return false
		}
	}
	return len(sums) > 0
}

// ratios computes the three targets with the times of clock t.
func ratios(sums map[string]summary, t clock) ([]ratio, error) {
	g, ok := sums[nameGatehouse]
	if !ok {
		return nil, errors.New("no Gatehouse benchmark in the input")
	}
	c, ok := sums[nameCrewjam]
	if !ok {
		return nil, errors.New("no Crewjam benchmark in the input")
	}
	floor, err := floorSum(sums, t)
	if err != nil {
		return nil, err
	}
	if t(c) == 0 || c.allocs == 0 || floor == 0 {
		return nil, errors.New("a denominator is zero (was -benchmem given?)")
	}
	return []ratio{
		{"Gatehouse median / crewjam median", t(g) / t(c), 0.20},
		{"Gatehouse median / floor sum", t(g) / floor, 1.5},
		{"Gatehouse allocs/op / crewjam allocs/op", g.allocs / c.allocs, 0.10},
	}, nil
}
