package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildGatehouse compiles the gatehouse binary from the repository at
// repo into dir and returns its path.
func buildGatehouse(repo, dir string) (string, error) {
	bin := filepath.Join(dir, "gatehouse")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/gatehouse")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gatehouse: %v\n%s", err, out)
	}
	return bin, nil
}

// freeLoopbackAddr asks the kernel for an unused loopback port. The port
// is released before gatehouse binds it; on a quiet test machine nobody
// takes it in between.
func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// instance is one Gatehouse under test: its binary, environment and, once
// started, its serve process.
type instance struct {
	bin     string
	env     []string // GATEHOUSE_* on top of the inherited environment
	baseURL string   // http://127.0.0.1:PORT
	logPath string
	proc    *exec.Cmd
	exited  chan struct{} // closed when serve has exited
}

// newInstance prepares an instance with a fresh data directory in dir,
// listening on addr; databaseURL selects PostgreSQL when not empty.
func newInstance(bin, dir, addr, databaseURL string) *instance {
	base := "http://" + addr
	env := []string{
		"GATEHOUSE_DATA_DIR=" + filepath.Join(dir, "data"),
		"GATEHOUSE_ADDR=" + addr,
		"GATEHOUSE_PUBLIC_URL=" + base,
	}
	if databaseURL != "" {
		env = append(env, "GATEHOUSE_DATABASE_URL="+databaseURL)
	}
	return &instance{bin: bin, env: env, baseURL: base, logPath: filepath.Join(dir, "serve.log")}
}

// environ is the inherited environment without any GATEHOUSE_* variable
// of the caller's shell, plus the instance's own.
func (in *instance) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") && !strings.HasPrefix(kv, "TJ_SAML_") {
			env = append(env, kv)
		}
	}
	return append(env, in.env...)
}

// cli runs one gatehouse command and returns its standard output.
func (in *instance) cli(args ...string) (string, error) {
	cmd := exec.Command(in.bin, args...)
	cmd.Env = in.environ()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("gatehouse %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// start launches gatehouse serve and waits until /healthz answers 200.
func (in *instance) start(timeout time.Duration) error {
	logf, err := os.Create(in.logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(in.bin, "serve")
	cmd.Env = in.environ()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	in.proc, in.exited = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(in.exited)
	}()
	return in.waitReady(timeout)
}

// waitReady polls /healthz; it gives up early if the process has died.
func (in *instance) waitReady(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, in.baseURL+"/healthz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-in.exited:
			return fmt.Errorf("gatehouse serve exited: %v\n%s", in.proc.ProcessState, in.logTail(20))
		case <-ctx.Done():
			return fmt.Errorf("gatehouse serve not ready after %v\n%s", timeout, in.logTail(20))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop asks the server to shut down (SIGTERM) and kills it if it lingers.
func (in *instance) stop() {
	if in.proc == nil || in.proc.Process == nil {
		return
	}
	_ = in.proc.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(10 * time.Second):
		_ = in.proc.Process.Kill()
		<-in.exited
	}
}

// peakRSS reads the server's high-water resident set size (VmHWM) from
// /proc, in bytes.
func (in *instance) peakRSS() (int64, error) {
	if in.proc == nil || in.proc.Process == nil {
		return 0, errors.New("server not started")
	}
	return vmHWM(fmt.Sprintf("/proc/%d/status", in.proc.Process.Pid))
}

// vmHWM parses the "VmHWM:  123456 kB" line of a /proc status file.
func vmHWM(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("%s: no VmHWM line", path)
}

// logTail returns the last n lines of the server log, for error reports.
func (in *instance) logTail(n int) string {
	b, _ := os.ReadFile(in.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
