package testenv

import (
	"bytes"
	"testing"
)

func TestReportOneLinePerReason(t *testing.T) {
	noteSkip("the PostgreSQL tests did NOT run: X is not set; to run them: export X=...")
	noteSkip("the PostgreSQL tests did NOT run: X is not set; to run them: export X=...")
	noteSkip("browser journeys did NOT run: chromium missing (run e2e/setup.sh)")
	var b bytes.Buffer
	Report(&b, "store")
	want := "SKIPPED store: browser journeys did NOT run: chromium missing (run e2e/setup.sh)\n" +
		"SKIPPED store: the PostgreSQL tests did NOT run: X is not set; to run them: export X=...\n"
	if b.String() != want {
		t.Fatalf("report:\n%s\nwant:\n%s", b.String(), want)
	}
	skipMu.Lock()
	clear(skipped)
	skipMu.Unlock()
	if got := packageName("/tmp/go-build1/b001/workspace.test"); got != "workspace" {
		t.Errorf("packageName = %q", got)
	}
}
