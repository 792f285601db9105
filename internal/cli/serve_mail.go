package cli

import (
	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/mail"
	"github.com/gatehouse-sso/gatehouse/internal/web"
)

// newMailer is the SMTP sender of GATEHOUSE_SMTP_URL, or nil (no mail:
// the settings pages show each link to the admin instead).
func newMailer(cfg *config.Config) (web.Mailer, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	c, err := mail.ParseURL(cfg.SMTPURL)
	if err != nil {
		return nil, err
	}
	return &mail.Sender{Config: *c}, nil
}
