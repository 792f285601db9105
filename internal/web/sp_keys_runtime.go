package web

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// previousSPKeys loads the certificates (and the encryption key) a key
// rollover keeps: published in the SP metadata, and the old encryption key
// still decrypts, until the admin removes them (docs/access-rules.md,
// "SP keys").
func previousSPKeys(cfg *store.SAMLConfig, sp *saml.ServiceProvider, rt *samlRuntime) error {
	if cfg.SPSigningPrevCertPEM != "" {
		c, err := parseCertPEM(cfg.SPSigningPrevCertPEM)
		if err != nil {
			return fmt.Errorf("saml config %s: previous SP signing certificate: %w", cfg.ID, err)
		}
		sp.PreviousSigningCert = c
	}
	if cfg.SPEncryptionPrevKeyPEM != "" {
		key, cert, err := saml.ParseKeyPair(cfg.SPEncryptionPrevKeyPEM, cfg.SPEncryptionPrevCertPEM)
		if err != nil {
			return fmt.Errorf("saml config %s: previous SP encryption key: %w", cfg.ID, err)
		}
		sp.PreviousEncryptionCert, rt.prevDecryptKey = cert, key
	}
	return nil
}

// parseCertPEM decodes one PEM certificate.
func parseCertPEM(s string) (*x509.Certificate, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil || b.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM certificate")
	}
	return x509.ParseCertificate(b.Bytes)
}

// validateWithRollover validates with the current decryption key and,
// when that cannot decrypt and a previous key is kept, with that one: an
// IdP that has not yet read the new SP metadata still encrypts to the old
// certificate.
func validateWithRollover(rt *samlRuntime, cfg *store.SAMLConfig, validate func(*saml.TrustConfig) (*saml.Assertion, error)) (*saml.Assertion, error) {
	a, err := validate(rt.trust(cfg))
	var se *saml.Error
	if err == nil || rt.prevDecryptKey == nil || !errors.As(err, &se) || se.Reason != saml.ReasonDecryptionFailed {
		return a, err
	}
	trust := rt.trust(cfg)
	trust.DecryptionKey = rt.prevDecryptKey
	return validate(trust)
}
