package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startupTimeout bounds how long a background process may take to answer.
const startupTimeout = 20 * time.Second

// logTailLines is how much of a background process's log a failed test prints.
const logTailLines = 60

// background is a process a test runs beside it (gatehouse serve, nginx,
// Caddy, oauth2-proxy): in its own process group, logging to one file.
type background struct {
	name    string
	logPath string
	exited  chan struct{}
}

// startBackground starts cmd for the test with its output in logPath and
// waits until ready answers (see waitReady). At cleanup the whole process
// group is killed and, if the test failed, the log tail is printed.
func startBackground(t *testing.T, name string, cmd *exec.Cmd, logPath string, ready readiness) *background {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	b := &background{name: name, logPath: logPath, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(b.exited) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-b.exited
		if t.Failed() {
			b.logTail(t)
		}
	})
	if err := b.waitReady(ready); err != nil {
		b.logTail(t)
		t.Fatal(err)
	}
	return b
}

// readiness says when a background process is up: url answers, with
// status 200 when wantOK is set (any answer, redirects included, otherwise).
type readiness struct {
	url    string
	wantOK bool
}

// waitReady polls ready.url until it answers as wanted, the process
// exits, or startupTimeout passes.
func (b *background) waitReady(ready readiness) error {
	ctx, cancel := context.WithTimeout(context.Background(), startupTimeout)
	defer cancel()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ready.url, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if !ready.wantOK || resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-b.exited:
			return fmt.Errorf("%s exited during start-up", b.name)
		case <-ctx.Done():
			return fmt.Errorf("%s not answering at %s after %v", b.name, ready.url, startupTimeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logTail prints the end of the process's log into the test output.
func (b *background) logTail(t *testing.T) {
	t.Helper()
	data, err := os.ReadFile(b.logPath)
	if err != nil {
		t.Logf("%s log: %v", b.name, err)
		return
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	t.Logf("--- tail of the %s log (%s)\n%s", b.name, b.logPath, strings.Join(lines, "\n"))
}
