package testenv

import (
	"runtime"
	"testing"
)

// TestMissingFailsOnlyUnderCI checks both halves of the rule: under CI=true
// a missing dependency is a failure, elsewhere a skip.
func TestMissingFailsOnlyUnderCI(t *testing.T) {
	for _, ci := range []string{"true", ""} {
		t.Setenv("CI", ci)
		ft := &fakeT{TB: t}
		done := make(chan struct{})
		go func() { // Fatal and Skip end their goroutine, as testing's do
			defer close(done)
			Missing(ft, "a dependency")
		}()
		<-done
		if ci == "true" && (!ft.failed || ft.skipped) {
			t.Errorf("CI=true: failed=%v skipped=%v, want a failure", ft.failed, ft.skipped)
		}
		if ci == "" && (ft.failed || !ft.skipped) {
			t.Errorf("locally: failed=%v skipped=%v, want a skip", ft.failed, ft.skipped)
		}
	}
}

func TestDatabaseURL(t *testing.T) {
	t.Setenv(EnvDatabaseURL, "postgres://example/db")
	if got := DatabaseURL(t); got != "postgres://example/db" {
		t.Errorf("DatabaseURL = %q", got)
	}
}

// fakeT records Fatal and Skip instead of ending the real test.
type fakeT struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Name() string { return "fake" }
func (f *fakeT) Fatal(...any) { f.failed = true; runtime.Goexit() }
func (f *fakeT) Skip(...any)  { f.skipped = true; runtime.Goexit() }
