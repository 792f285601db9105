package cli

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentDatabase listens on loopback, accepts every connection and never
// answers (a firewall or a hung server that completes the TCP handshake).
func silentDatabase(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestServeGivesUpOnSilentDatabase: `serve` against a database host that
// accepts the connection and never answers exits non-zero with a clear
// message once GATEHOUSE_DATABASE_CONNECT_TIMEOUT has passed, instead of
// hanging for ever.
func TestServeGivesUpOnSilentDatabase(t *testing.T) {
	addr := silentDatabase(t)
	environ := []string{
		"GATEHOUSE_DATABASE_URL=postgres://gatehouse@" + addr + "/gatehouse?sslmode=disable",
		"GATEHOUSE_DATABASE_CONNECT_TIMEOUT=1s",
		"GATEHOUSE_ADDR=127.0.0.1:0",
		"GATEHOUSE_LOG_FORMAT=text",
	}
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- RunEnv([]string{"serve"}, strings.NewReader(""), &out, &errb, environ) }()
	select {
	case code := <-done:
		if code == ExitOK {
			t.Fatalf("serve exited 0 without a database; stderr:\n%s", errb.String())
		}
		for _, want := range []string{"did not answer", "GATEHOUSE_DATABASE_CONNECT_TIMEOUT"} {
			if !strings.Contains(errb.String()+out.String(), want) {
				t.Errorf("output lacks %q:\n%s%s", want, out.String(), errb.String())
			}
		}
	case <-time.After(time.Minute):
		// Not a timing assertion: without the bound serve never returns.
		t.Fatal("serve still waiting for a database that never answers after a minute")
	}
}
