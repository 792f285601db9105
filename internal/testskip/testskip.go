// Package testskip makes skipped test suites visible in the normal output
// of `go test ./...`, which prints a passing package's output only with
// -v: a suite that skips because PostgreSQL or the browser tools are
// missing would otherwise pass unnoticed ("ok").
//
// Where a suite skips, call Note (once per skip is fine: each suite is
// reported once per package). A package's TestMain calls Main, which runs
// the tests and then writes one line per skipped suite — which suite, why,
// how to enable it — to the terminal (/dev/tty, which the go command does
// not capture) or, without one, to standard error (shown with -v and in CI
// logs). Under CI=true the suites fail instead of skipping, so nothing is
// noted there.
package testskip

import (
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	notes = map[string]note{}
)

type note struct{ why, enable string }

// Note records that suite was skipped because of why; enable says how to
// run it.
func Note(suite, why, enable string) {
	mu.Lock()
	defer mu.Unlock()
	notes[suite] = note{why, enable}
}

// Main runs m and reports the noted suites; it returns the exit code
// (`os.Exit(testskip.Main(m))`).
func Main(m *testing.M) int {
	code := m.Run()
	w := io.Writer(os.Stderr)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		w = tty
	}
	Report(w, packageName())
	return code
}

// Report writes one line per noted suite, sorted, prefixed with pkg.
func Report(w io.Writer, pkg string) {
	mu.Lock()
	defer mu.Unlock()
	suites := make([]string, 0, len(notes))
	for s := range notes {
		suites = append(suites, s)
	}
	sort.Strings(suites)
	for _, s := range suites {
		n := notes[s]
		fmt.Fprintf(w, "SKIPPED %s: %s: %s; to run it: %s\n", pkg, s, n.why, n.enable)
	}
}

// packageName is the test binary's package, from its name (pkg.test).
func packageName() string {
	name := os.Args[0]
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' || name[i] == '\\' {
			name = name[i+1:]
			break
		}
	}
	if len(name) > 5 && name[len(name)-5:] == ".test" {
		name = name[:len(name)-5]
	}
	return name
}
