package idp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure Start.
type Options struct {
	// Dir receives the generated config, keys, sessions and logs; a fresh
	// temporary directory (t.TempDir()).
	Dir string
	// SimpleSAMLphpDir is the installation; DefaultSimpleSAMLphpDir if empty.
	SimpleSAMLphpDir string
	// Users are the initial accounts (SetUsers changes them later).
	Users []User
}

// IdP is a running SimpleSAMLphp instance.
type IdP struct {
	BaseURL string // http://127.0.0.1:PORT/, with the trailing slash
	Dir     string // generated config directory

	mu     sync.Mutex
	sps    map[string]any
	cmd    *exec.Cmd
	exited chan struct{} // closed when php exits
	log    string        // PHP built-in server output
}

// readyWithin bounds how long Start waits for PHP to serve the metadata.
const readyWithin = 20 * time.Second

// Start generates the config in opts.Dir and serves SimpleSAMLphp's www
// directory with PHP's built-in server on a fresh loopback port. The
// caller must Stop it (t.Cleanup), also when a test fails.
func Start(opts Options) (*IdP, error) {
	ssp := opts.SimpleSAMLphpDir
	if ssp == "" {
		ssp = DefaultSimpleSAMLphpDir
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p := &IdP{BaseURL: "http://127.0.0.1:" + strconv.Itoa(port) + "/", Dir: opts.Dir, sps: map[string]any{},
		log: filepath.Join(opts.Dir, "log", "php-server.log")}
	if err := writeConfig(opts.Dir, p.BaseURL, opts.Users); err != nil {
		return nil, err
	}
	if err := p.run(ssp, port); err != nil {
		return nil, err
	}
	if err := p.waitReady(); err != nil {
		p.Stop()
		return nil, fmt.Errorf("%w\n%s", err, p.LogTail(40))
	}
	return p, nil
}

// run starts `php -S` in its own process group so Stop can end it and
// any worker it forked.
func (p *IdP) run(ssp string, port int) error {
	logf, err := os.Create(p.log)
	if err != nil {
		return err
	}
	cmd := exec.Command("php", "-S", "127.0.0.1:"+strconv.Itoa(port), "-t", filepath.Join(ssp, "www"))
	cmd.Dir = p.Dir
	// Two workers: the browser may hold one connection open while it
	// issues the next request.
	cmd.Env = append(os.Environ(), "SIMPLESAMLPHP_CONFIG_DIR="+p.Dir, "PHP_CLI_SERVER_WORKERS=2")
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start php: %w", err)
	}
	logf.Close() // the child has its own copy
	p.cmd, p.exited = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(p.exited) }()
	return nil
}

// waitReady polls the metadata URL until it answers 200 with an
// EntityDescriptor (PHP is up and the config parses).
func (p *IdP) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), readyWithin)
	defer cancel()
	var last error
	for ctx.Err() == nil {
		body, err := p.get(ctx, p.MetadataURL())
		if err == nil && strings.Contains(body, "EntityDescriptor") {
			return nil
		}
		last = err
		select {
		case <-p.exited:
			// e.g. "Address already in use": never poll a stranger's port.
			return fmt.Errorf("idp: php exited during start-up")
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("idp: %s not ready after %s: %v", p.MetadataURL(), readyWithin, last)
}

// Metadata fetches the IdP's metadata XML, what an admin downloads and
// pastes into Gatehouse.
func (p *IdP) Metadata(ctx context.Context) (string, error) {
	body, err := p.get(ctx, p.MetadataURL())
	if err != nil {
		return "", err
	}
	if !strings.Contains(body, "IDPSSODescriptor") {
		return "", fmt.Errorf("idp: metadata without IDPSSODescriptor: %.200s", body)
	}
	return body, nil
}

// get returns the body of a 200 response.
func (p *IdP) get(ctx context.Context, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s: %.300s", u, resp.Status, b)
	}
	return string(b), nil
}

// Stop kills the PHP server's process group. Safe to call twice.
func (p *IdP) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil && p.cmd.Process != nil {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		p.cmd = nil
	}
}

// LogTail returns the last n lines of the PHP server log and of
// SimpleSAMLphp's own log, for a failing test's output.
func (p *IdP) LogTail(n int) string {
	var b strings.Builder
	for _, f := range []string{p.log, filepath.Join(p.Dir, "log", "simplesamlphp.log")} {
		fmt.Fprintf(&b, "--- tail of %s\n%s\n", f, tail(f, n))
	}
	return b.String()
}

// tail returns the last n lines of a file (or why it cannot).
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// freePort asks the kernel for an unused loopback port. Another process
// could take it before PHP binds it; on loopback in a test run that is
// rare, and PHP then exits, which Start notices and reports.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("idp: listener without a TCP address")
	}
	return addr.Port, nil
}

// AccessLog returns the PHP built-in server's log (one line per request),
// so a test can tell which binding a browser used.
func (p *IdP) AccessLog() (string, error) {
	b, err := os.ReadFile(p.log)
	return string(b), err
}
