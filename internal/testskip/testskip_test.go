package testskip

import (
	"bytes"
	"testing"
)

func TestReportOneLinePerSuite(t *testing.T) {
	Note("PostgreSQL suite", "GATEHOUSE_TEST_DATABASE_URL is not set", "export GATEHOUSE_TEST_DATABASE_URL=postgres://...")
	Note("PostgreSQL suite", "GATEHOUSE_TEST_DATABASE_URL is not set", "export GATEHOUSE_TEST_DATABASE_URL=postgres://...")
	Note("browser journeys", "chromium missing", "run e2e/setup.sh")
	var b bytes.Buffer
	Report(&b, "store")
	want := "SKIPPED store: PostgreSQL suite: GATEHOUSE_TEST_DATABASE_URL is not set; to run it: export GATEHOUSE_TEST_DATABASE_URL=postgres://...\n" +
		"SKIPPED store: browser journeys: chromium missing; to run it: run e2e/setup.sh\n"
	if b.String() != want {
		t.Fatalf("report:\n%s\nwant:\n%s", b.String(), want)
	}
	mu.Lock()
	clear(notes)
	mu.Unlock()
}
