package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/config"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeFirstRun starts the real server on a fresh data directory: it
// migrates, prints a one-time setup token, accepts it on /setup (and only
// it), and shuts down cleanly when its context ends. Requests sent before
// the server is ready wait in the listener's backlog, so no polling is needed.
func TestServeFirstRun(t *testing.T) {
	environ := []string{"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_LOG_LEVEL=info"}
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Environ: func() []string { return environ },
		Getenv: func(k string) string {
			for _, kv := range environ {
				if name, v, _ := strings.Cut(kv, "="); name == k {
					return v
				}
			}
			return ""
		}}
	cfg, err := config.Load(env.Getenv, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, env, slog.New(slog.NewTextHandler(logs, nil)), ln) }()
	base := "http://" + ln.Addr().String()

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	if resp, _ := get("/readyz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`setup_token=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no setup token in the log:\n%s", logs.String())
	}
	resp, page := get("/setup")
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || csrf == nil {
		t.Fatalf("setup page %d:\n%s", resp.StatusCode, page)
	}
	form := url.Values{"csrf": {csrf[1]}, "token": {m[1] + "x"}, "email": {"root@example.com"},
		"password": {"correct horse battery"}, "workspace_name": {"Main"}, "slug": {"main"}}
	post := func() *http.Response {
		t.Helper()
		resp, err := c.PostForm(base+"/setup", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post(); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("setup with a wrong token: %d, want 403", resp.StatusCode)
	}
	form.Set("token", m[1])
	if resp := post(); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/main" {
		t.Fatalf("setup: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := get("/w/main"); !strings.Contains(page, "root@example.com") {
		t.Error("not signed in after setup")
	}
	if resp, _ := get("/setup"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("setup after setup: %d, want 404", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after shutdown", err)
	}
	if strings.Contains(logs.String(), "correct horse battery") {
		t.Error("the password reached the log")
	}
}
