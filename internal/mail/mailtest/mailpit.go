// Package mailtest runs a real SMTP server for tests: Mailpit
// (github.com/axllent/mailpit, installed by e2e/setup.sh as a Go program),
// on loopback ports, with its HTTP API to read what arrived.
package mailtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// Mailpit is a running Mailpit.
type Mailpit struct {
	SMTPAddr string // host:port of its SMTP listener
	APIURL   string // base URL of its HTTP API
}

// Binary finds the mailpit program: on PATH or in $(go env GOPATH)/bin.
func Binary() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	p := filepath.Join(gopath, "bin", "mailpit")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Start runs Mailpit for the test (skipped loudly when it is not
// installed, a failure under CI=true) and stops it at cleanup. extra are
// more mailpit flags (e.g. --smtp-auth-accept-any).
func Start(t testing.TB, extra ...string) *Mailpit {
	t.Helper()
	bin := Binary()
	if bin == "" {
		testenv.Missing(t, "mailpit is not installed: the SMTP delivery tests did NOT run (run e2e/setup.sh)")
	}
	smtpAddr, apiAddr := freeAddr(t), freeAddr(t)
	args := append([]string{"--smtp", smtpAddr, "--listen", apiAddr, "--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--disable-version-check"}, extra...)
	cmd := exec.Command(bin, args...)
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("mailpit output:\n%s", logs.String())
		}
	})
	m := &Mailpit{SMTPAddr: smtpAddr, APIURL: "http://" + apiAddr}
	for i := 0; ; i++ {
		res, err := http.Get(m.APIURL + "/api/v1/messages")
		if err == nil {
			res.Body.Close()
			if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
				c.Close()
				return m
			}
		}
		if i == 100 {
			t.Fatalf("mailpit did not start within 10 s:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freeAddr picks a free loopback port.
func freeAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Message is what Mailpit received.
type Message struct {
	ID      string
	Subject string
	To      []struct{ Address string }
	From    struct{ Address string }
	Text    string
}

// Messages returns the received messages, newest first, with their text.
func (m *Mailpit) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct {
		Messages []Message `json:"messages"`
	}
	m.getJSON(t, "/api/v1/messages", &list)
	for i := range list.Messages {
		var full Message
		m.getJSON(t, "/api/v1/message/"+list.Messages[i].ID, &full)
		list.Messages[i].Text = full.Text
	}
	return list.Messages
}

func (m *Mailpit) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	res, err := http.Get(m.APIURL + path)
	if err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mailpit API %s: HTTP %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
}

// String describes the server (for test logs).
func (m *Mailpit) String() string { return fmt.Sprintf("mailpit smtp=%s api=%s", m.SMTPAddr, m.APIURL) }
