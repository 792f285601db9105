package mail

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/mail/mailtest"
)

func TestParseURL(t *testing.T) {
	c, err := ParseURL("smtp://bot%40corp:p%40ss@mail.corp.example?from=gatehouse@corp.example")
	if err != nil || c.Host != "mail.corp.example" || c.Port != "587" || c.Username != "bot@corp" || c.Password != "p@ss" ||
		c.From != "gatehouse@corp.example" || c.ImplicitTLS {
		t.Fatalf("smtp: %+v %v", c, err)
	}
	if c, err := ParseURL("smtps://mail.corp.example?from=Gatehouse%20%3Cgh@corp.example%3E"); err != nil || !c.ImplicitTLS || c.Port != "465" || c.From != "gh@corp.example" {
		t.Fatalf("smtps: %+v %v", c, err)
	}
	for _, bad := range []string{"http://x?from=a@b.c", "smtp://?from=a@b.c", "smtp://mail.example", "smtp://mail.example?from=nope", "::"} {
		if _, err := ParseURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSendThroughMailpit delivers to a real SMTP server and reads the
// message back from its API: subject and body (UTF-8) intact.
func TestSendThroughMailpit(t *testing.T) {
	mp := mailtest.Start(t)
	host, port, _ := net.SplitHostPort(mp.SMTPAddr)
	s := &Sender{Config: Config{Host: host, Port: port, From: "gatehouse@acme.example"},
		Now: func() time.Time { return time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC) }}
	body := "Jürgen, open this link to join Acme:\nhttps://sso.example.com/invite/abc_DEF-123\n" + strings.Repeat("long line ", 20)
	if err := s.Send(context.Background(), Message{To: "jurgen@acme.example", Subject: "Join Acme — invitation", Body: body}); err != nil {
		t.Fatal(err)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.Subject != "Join Acme — invitation" || len(m.To) != 1 || m.To[0].Address != "jurgen@acme.example" || m.From.Address != "gatehouse@acme.example" {
		t.Errorf("message: %+v", m)
	}
	if !strings.Contains(m.Text, "https://sso.example.com/invite/abc_DEF-123") || !strings.Contains(m.Text, "Jürgen") {
		t.Errorf("body: %q", m.Text)
	}
	if err := s.Send(context.Background(), Message{To: "a@b.example\r\nBcc: x@evil.example", Subject: "x"}); err == nil {
		t.Error("header injection in the recipient accepted")
	}
}

// TestSendUnreachable fails within the timeout with the address.
func TestSendUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	host, port, _ := net.SplitHostPort(addr)
	s := &Sender{Config: Config{Host: host, Port: port, From: "a@b.example"}, Timeout: 2 * time.Second}
	if err := s.Send(context.Background(), Message{To: "c@d.example", Subject: "x", Body: "y"}); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("unreachable: %v", err)
	}
}
