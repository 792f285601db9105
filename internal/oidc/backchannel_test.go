package oidc

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// One workspace's slow back-channel endpoint must not hold up another
// workspace's logouts, and one workspace cannot fill the whole queue.
func TestBackChannelFairBetweenWorkspaces(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	got := make(chan string, 1)
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.PostFormValue("logout_token")
	}))
	defer fast.Close()
	sink := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer sink.Close()
	p := &Provider{opts: Options{AllowPrivateBackChannel: true, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	b := newBackChannel(p)
	for range 3 * backChannelWorkers {
		b.push(backChannelJob{workspaceID: "slow", uri: slow.URL, token: "t-slow", clientID: "c1"})
	}
	time.Sleep(100 * time.Millisecond) // the workers are busy with the slow workspace by now
	b.push(backChannelJob{workspaceID: "fast", uri: fast.URL, token: "t-fast", clientID: "c2"})
	select {
	case tok := <-got:
		if tok != "t-fast" {
			t.Fatalf("fast workspace got %q", tok)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a slow workspace's endpoint held up another workspace's back-channel logout")
	}

	// One workspace's queue is bounded; others still get their turn.
	for range backChannelWorkspaceQueue + 50 {
		b.push(backChannelJob{workspaceID: "flood", uri: sink.URL, token: "t", clientID: "c3"})
	}
	b.mu.Lock()
	n := len(b.queues["flood"])
	b.mu.Unlock()
	if n > backChannelWorkspaceQueue {
		t.Errorf("flooding workspace queued %d jobs, want at most %d", n, backChannelWorkspaceQueue)
	}
	b.push(backChannelJob{workspaceID: "other", uri: fast.URL, token: "t-other", clientID: "c4"})
	select {
	case tok := <-got:
		if tok != "t-other" {
			t.Fatalf("other workspace got %q", tok)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a flooding workspace's queue held up another workspace's back-channel logout")
	}
}

// Without GATEHOUSE_OIDC_ALLOW_PRIVATE_BACKCHANNEL a delivery neither uses
// plain http (a URI registered before https was required) nor connects to
// a loopback address.
func TestBackChannelRefusesPrivateAndPlainHTTP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	p := &Provider{opts: Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	b := newBackChannel(p)
	for _, tc := range []struct{ uri, want string }{
		{"http://" + ln.Addr().String() + "/bcl", "not https"},
		{"https://" + ln.Addr().String() + "/bcl", "private, loopback or link-local"},
		{"https://[::1]:1/bcl", "private, loopback or link-local"},
	} {
		err := b.deliver(backChannelJob{workspaceID: "w", uri: tc.uri, token: "t", clientID: "c"})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("deliver to %s: %v, want %q", tc.uri, err, tc.want)
		}
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("connected to loopback %d times", n)
	}
}
