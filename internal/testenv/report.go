package testenv

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Skipped suites are made visible in the normal output of `go test ./...`
// (which prints a passing package's output only with -v): Missing records
// each distinct reason, and a package's TestMain calls Main, which runs
// the tests and then writes one line per reason — what did not run, why,
// how to enable it — to the terminal (/dev/tty, which the go command does
// not capture) or, without one, to standard error (shown with -v). Under
// CI=true suites fail instead, so nothing is recorded there.

var (
	skipMu  sync.Mutex
	skipped = map[string]bool{}
)

// noteSkip records one skip reason.
func noteSkip(why string) {
	skipMu.Lock()
	defer skipMu.Unlock()
	skipped[why] = true
}

// Main runs m and reports the recorded skips; it returns the exit code
// (`func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }`).
func Main(m *testing.M) int {
	code := m.Run()
	w := io.Writer(os.Stderr)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		w = tty
	}
	Report(w, packageName(os.Args[0]))
	return code
}

// Report writes one "SKIPPED pkg: reason" line per recorded reason, sorted.
func Report(w io.Writer, pkg string) {
	skipMu.Lock()
	defer skipMu.Unlock()
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "SKIPPED %s: %s\n", pkg, r)
	}
}

// packageName is the test binary's package, from its file name (pkg.test).
func packageName(arg0 string) string {
	return strings.TrimSuffix(filepath.Base(arg0), ".test")
}
