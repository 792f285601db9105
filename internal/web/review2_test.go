package web

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/mail"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// silentSMTP accepts connections and never greets: a mail to it takes the
// sender's whole timeout.
func silentSMTP(t *testing.T) (host, port string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
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
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	host, port, _ = net.SplitHostPort(ln.Addr().String())
	return host, port
}

// TestReview2ForgotAnswersAtOnce: "Forgot password?" must not tell a
// member from a stranger by its response time, even when the SMTP server
// is slow (review 2, finding 3): the mail goes through the background
// queue.
func TestReview2ForgotAnswersAtOnce(t *testing.T) {
	const smtpTimeout = 2 * time.Second
	h := newHarness(t)
	host, port := silentSMTP(t)
	h.srv.opts.Mailer = &mail.Sender{Config: mail.Config{Host: host, Port: port, From: "gatehouse@acme.example"}, Timeout: smtpTimeout}
	if err := h.svc.SetMemberStatus(h.ctx, "", h.ws.ID, h.builderUser.ID, store.StatusActive); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"stranger@acme.example", h.builderUser.Email} {
		start := time.Now()
		res := h.anonPost("/login/acme/forgot", url.Values{"email": {email}})
		took := time.Since(start)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/acme/forgot?sent=1" {
			t.Fatalf("forgot %s: %d %q", email, res.StatusCode, res.Header.Get("Location"))
		}
		// The SMTP exchange alone takes smtpTimeout: an answer in less
		// than half of it did not wait for the mail.
		if took >= smtpTimeout/2 {
			t.Errorf("forgot %s took %v: the answer waits for the mail server (members can be told from strangers)", email, took)
		}
	}
}

// TestReview2MailQueueBounded: the queue takes a bounded number of mails
// per workspace and drops the rest instead of growing.
func TestReview2MailQueueBounded(t *testing.T) {
	h := newHarness(t)
	block := make(chan struct{})
	var sent sync.WaitGroup
	q := h.srv.mail
	n := 0
	for i := 0; i < mailQueuePerWorkspace+5; i++ {
		sent.Add(1)
		if q.enqueue(mailJob{workspace: "w1", send: func(_ context.Context) error { defer sent.Done(); <-block; return nil }}) {
			n++
		} else {
			sent.Done()
		}
	}
	if n != mailQueuePerWorkspace { // the one being sent still counts
		t.Errorf("%d mails queued for one workspace, want %d", n, mailQueuePerWorkspace)
	}
	if !q.enqueue(mailJob{workspace: "w2", send: func(_ context.Context) error { return nil }}) {
		t.Error("another workspace's mail was refused while only w1 was full")
	}
	close(block)
	sent.Wait()
}
