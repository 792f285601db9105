package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// chromiumPath is Debian's browser; playwright-core never downloads one.
const chromiumPath = "/usr/bin/chromium"

// journeyTimeout bounds one node journey (a hung browser must not hang CI).
const journeyTimeout = 90 * time.Second

// missingDeps lists what the browser tests need and this machine lacks.
func missingDeps() []string {
	var why []string
	if w := idp.Missing(idp.DefaultSimpleSAMLphpDir); w != "" {
		why = append(why, w)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		why = append(why, chromiumPath+" not found (apt-get install chromium)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		why = append(why, "node not found in PATH")
	}
	if _, err := os.Stat(filepath.Join("node_modules", "playwright-core", "package.json")); err != nil {
		why = append(why, "e2e/node_modules/playwright-core missing (npm ci --prefix e2e)")
	}
	return why
}

// requireDeps skips loudly locally, and fails under CI=true, when a
// dependency of the browser tests is missing.
func requireDeps(t *testing.T) {
	t.Helper()
	why := missingDeps()
	if len(why) == 0 {
		return
	}
	testenv.Missing(t, "END-TO-END TESTS: dependencies missing: "+strings.Join(why, "; ")+" (run e2e/setup.sh)")
}

// startIdP runs SimpleSAMLphp for the test and stops it at cleanup; its
// logs are printed when the test failed.
func startIdP(t *testing.T, users []idp.User) *idp.IdP {
	t.Helper()
	p, err := idp.Start(idp.Options{Dir: t.TempDir(), Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(p.LogTail(30))
		}
		p.Stop()
	})
	return p
}

// artifactsDir is e2e/artifacts (gitignored): screenshots and failure shots.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("artifacts")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runJourney runs journeys/<script> with env and returns its RESULT
// object. A failing journey fails the test with the script's output (its
// own message names the step); the servers' cleanups then print their logs.
func runJourney(t *testing.T, script string, env map[string]string) map[string]any {
	t.Helper()
	// A failure screenshot from an earlier run must not be mistaken for this one's.
	_ = os.Remove(filepath.Join(artifactsDir(t), strings.TrimSuffix(script, ".mjs")+"-FAILED.png"))
	ctx, cancel := context.WithTimeout(context.Background(), journeyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join("journeys", script))
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromiumPath, "E2E_ARTIFACTS="+artifactsDir(t))
	if d := os.Getenv("GATEHOUSE_SCREENSHOT_DIR"); d != "" {
		cmd.Env = append(cmd.Env, "E2E_SCREENSHOT_DIR="+d)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Own process group, so a timeout also ends Chromium's processes.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err := cmd.Run()
	result, perr := parseResult(stdout.Bytes())
	if err != nil || perr != nil {
		t.Fatalf("journey %s failed: %v %v\n--- journey stderr\n%s--- journey stdout\n%s", script, err, perr, stderr.String(), stdout.String())
	}
	t.Logf("journey %s passed:\n%s%.3000s", script, stderr.String(), lastLine(stdout.String()))
	return result
}

// parseResult finds the last "RESULT {json}" line of a journey's stdout.
func parseResult(out []byte) (map[string]any, error) {
	var last string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		if s, ok := strings.CutPrefix(sc.Text(), "RESULT "); ok {
			last = s
		}
	}
	if last == "" {
		return nil, errNoResult
	}
	var m map[string]any
	return m, json.Unmarshal([]byte(last), &m)
}

// errNoResult: the journey ended without its RESULT line.
var errNoResult = errors.New("journey printed no RESULT line")

// str reads a string field of a journey result.
func str(t *testing.T, r map[string]any, key string) string {
	t.Helper()
	s, ok := r[key].(string)
	if !ok {
		t.Fatalf("journey result has no string %q: %v", key, r)
	}
	return s
}
