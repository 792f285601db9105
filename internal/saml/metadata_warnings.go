package saml

import (
	"fmt"
	"strings"
	"time"
)

// certExpiryWarning is how far ahead Warnings announces a certificate
// expiry: long enough for an admin to arrange a rollover with the IdP.
const certExpiryWarning = 30 * 24 * time.Hour

// CertPreview is what the admin page shows of one signing certificate
// (docs/saml.md, setup step 2).
type CertPreview struct {
	Subject  string
	SHA256   string // CertSHA256: lowercase hex of the DER, no colons
	NotAfter time.Time
}

// CertPreviews describes every signing certificate, in metadata order.
func (m *IdPMetadata) CertPreviews() []CertPreview {
	out := make([]CertPreview, 0, len(m.SigningCerts))
	for _, c := range m.SigningCerts {
		out = append(out, CertPreview{Subject: c.Subject.String(), SHA256: CertSHA256(c), NotAfter: c.NotAfter.UTC()})
	}
	return out
}

// Warnings lists what an admin should know about the metadata at now but
// that does not prevent using it. Certificate dates are not enforced when
// verifying (SAML metadata interoperability profile, docs/saml.md, validation rule 2), so an
// expired certificate is a warning, not an error.
func (m *IdPMetadata) Warnings(now time.Time) []string {
	var out []string
	expired := 0
	for _, c := range m.SigningCerts {
		name := fmt.Sprintf("signing certificate %q (SHA-256 %s)", c.Subject.String(), CertSHA256(c))
		switch {
		case now.After(c.NotAfter):
			expired++
			out = append(out, fmt.Sprintf("The %s expired on %s. Gatehouse still accepts its signatures, but the IdP has probably replaced it: refresh the metadata.", name, c.NotAfter.UTC().Format("2006-01-02")))
		case c.NotAfter.Sub(now) <= certExpiryWarning:
			out = append(out, fmt.Sprintf("The %s expires on %s. Add the IdP's new certificate before then.", name, c.NotAfter.UTC().Format("2006-01-02")))
		}
	}
	if expired > 0 && expired == len(m.SigningCerts) {
		out = append(out, "Every signing certificate in this metadata has expired: it is probably outdated.")
	}
	if len(m.SigningMethods) > 0 && allSHA1(m.SigningMethods) {
		out = append(out, "The IdP advertises only SHA-1 signature algorithms, which Gatehouse rejects unless \"Allow SHA-1\" is on: configure the IdP to sign with SHA-256.")
	}
	if !m.ValidUntil.IsZero() && now.After(m.ValidUntil) {
		out = append(out, fmt.Sprintf("The metadata says it was valid until %s. Gatehouse still uses it, but fetch a current copy from the IdP.", m.ValidUntil.Format("2006-01-02")))
	}
	if m.WantAuthnRequestsSigned {
		out = append(out, "The IdP wants signed authentication requests (WantAuthnRequestsSigned): enable request signing with an SP signing key.")
	}
	return out
}

// allSHA1 reports whether every algorithm URI names SHA-1.
func allSHA1(algs []string) bool {
	for _, a := range algs {
		if !strings.HasSuffix(a, "sha1") {
			return false
		}
	}
	return true
}
