package ssoconfig

import (
	"crypto/x509"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// Preview is what the admin sees after a successful save (docs/saml.md, setup
// step 2), and what the JSON API returns as "preview".
type Preview struct {
	EntityID string         `json:"entityID"`
	SSO      []EndpointView `json:"sso"`
	Certs    []CertView     `json:"signingCertificates"`
	Warnings []string       `json:"warnings"`
}

// EndpointView is one SingleSignOnService.
type EndpointView struct {
	Binding  string `json:"binding"`
	Location string `json:"location"`
}

// CertView describes one signing certificate of the metadata.
type CertView struct {
	Subject  string    `json:"subject"`
	SHA256   string    `json:"sha256"`
	NotAfter time.Time `json:"notAfter"`
	Expired  bool      `json:"expired"`
}

// NewPreview summarizes parsed metadata at now (expiry is judged against
// the injected clock, not the wall clock).
func NewPreview(md *saml.IdPMetadata, now time.Time) *Preview {
	p := &Preview{EntityID: md.EntityID, Warnings: md.Warnings(now)}
	for _, e := range md.SSO {
		p.SSO = append(p.SSO, EndpointView{Binding: bindingName(e.Binding), Location: e.Location})
	}
	for _, c := range md.SigningCerts {
		p.Certs = append(p.Certs, newCertView(c, now))
	}
	if p.Warnings == nil {
		p.Warnings = []string{} // JSON clients get [] rather than null
	}
	return p
}

// newCertView describes one certificate; expiry is judged at now.
func newCertView(c *x509.Certificate, now time.Time) CertView {
	return CertView{
		Subject:  c.Subject.String(),
		SHA256:   saml.CertSHA256(c),
		NotAfter: c.NotAfter.UTC(),
		Expired:  now.After(c.NotAfter),
	}
}

// bindingName shortens the binding URIs admins recognise by their last word.
func bindingName(uri string) string {
	switch uri {
	case saml.BindingHTTPRedirect:
		return "HTTP-Redirect"
	case saml.BindingHTTPPost:
		return "HTTP-POST"
	}
	return uri
}
