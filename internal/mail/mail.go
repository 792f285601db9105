// Package mail sends Gatehouse's few emails — invitations and password
// reset links — through the SMTP server named by GATEHOUSE_SMTP_URL, with
// the standard library's net/smtp. Nothing depends on it: without SMTP
// the admin is shown the link to pass on (docs/access-rules.md).
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds one delivery (connect, TLS, commands, body).
const DefaultTimeout = 15 * time.Second

// Config is a parsed GATEHOUSE_SMTP_URL.
type Config struct {
	Host, Port         string
	Username, Password string
	From               string // the envelope and header sender
	// ImplicitTLS: smtps:// (TLS from the first byte, port 465); else
	// STARTTLS is used when the server offers it, and required before
	// sending credentials to a host that is not loopback.
	ImplicitTLS bool
}

// ParseURL reads smtp://[user:password@]host[:port]?from=address (STARTTLS
// when offered, default port 587) or smtps://... (implicit TLS, default
// port 465). from is required; the password may be percent-encoded.
func ParseURL(raw string) (*Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("GATEHOUSE_SMTP_URL is not a URL")
	}
	c := &Config{Host: u.Hostname(), Port: u.Port()}
	switch u.Scheme {
	case "smtp":
		if c.Port == "" {
			c.Port = "587"
		}
	case "smtps":
		c.ImplicitTLS = true
		if c.Port == "" {
			c.Port = "465"
		}
	default:
		return nil, fmt.Errorf("GATEHOUSE_SMTP_URL: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if c.Host == "" {
		return nil, errors.New("GATEHOUSE_SMTP_URL: no host")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	from, err := mail.ParseAddress(u.Query().Get("from"))
	if err != nil {
		return nil, errors.New("GATEHOUSE_SMTP_URL: ?from= must be the sender's address (e.g. ?from=gatehouse@example.com)")
	}
	c.From = from.Address
	return c, nil
}

// Sender delivers messages with one Config.
type Sender struct {
	Config  Config
	Timeout time.Duration // DefaultTimeout when zero
	// TLSConfig overrides the TLS settings (tests trust their own CA).
	TLSConfig *tls.Config
	// Now stamps the Date header (time.Now when nil).
	Now func() time.Time
}

// Message is one plain-text email.
type Message struct {
	To, Subject, Body string
}

// Send delivers m or returns why not (the caller logs it and shows the
// admin the link instead).
func (s *Sender) Send(ctx context.Context, m Message) error {
	to, err := mail.ParseAddress(m.To)
	if err != nil || strings.ContainsAny(m.To, "\r\n") {
		return fmt.Errorf("mail: bad recipient %q", m.To)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.secure(c); err != nil {
		return err
	}
	if err := c.Mail(s.Config.From); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("mail: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(s.format(to.Address, m)); err != nil {
		return fmt.Errorf("mail: writing the message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: the server refused the message: %w", err)
	}
	return c.Quit()
}

// dial connects (with TLS for smtps) and greets, within ctx's deadline.
func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	addr := net.JoinHostPort(s.Config.Host, s.Config.Port)
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mail: connecting to %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if s.Config.ImplicitTLS {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("mail: TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.Config.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("mail: greeting from %s: %w", addr, err)
	}
	return c, nil
}

// secure starts TLS when offered and authenticates. net/smtp's PLAIN
// auth itself refuses to send credentials unencrypted except to loopback.
func (s *Sender) secure(c *smtp.Client) error {
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("mail: EHLO: %w", err)
	}
	if !s.Config.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("mail: STARTTLS: %w", err)
			}
		}
	}
	if s.Config.Username == "" {
		return nil
	}
	if err := c.Auth(smtp.PlainAuth("", s.Config.Username, s.Config.Password, s.Config.Host)); err != nil {
		return fmt.Errorf("mail: authentication: %w", err)
	}
	return nil
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.Config.Host, MinVersion: tls.VersionTLS12}
}

// format builds the RFC 5322 message: UTF-8 text, quoted-printable, the
// subject encoded, no header taken unchecked from input.
func (s *Sender) format(to string, m Message) []byte {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	var b strings.Builder
	b.WriteString("From: " + (&mail.Address{Name: "Gatehouse", Address: s.Config.From}).String() + "\r\n")
	b.WriteString("To: " + (&mail.Address{Address: to}).String() + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", strings.ReplaceAll(strings.ReplaceAll(m.Subject, "\r", " "), "\n", " ")) + "\r\n")
	b.WriteString("Date: " + now().UTC().Format(time.RFC1123Z) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	_ = qp.Close()
	return []byte(b.String())
}
