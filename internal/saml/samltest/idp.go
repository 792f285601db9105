// Package samltest is a test identity provider: it makes an RSA-2048 key
// and certificate, publishes IdP metadata and issues signed SAML responses
// that Gatehouse's validator accepts. Attack tests use its lower-level
// helpers (BuildResponse, SignElement, Serialize) to tamper with documents
// between building and signing. It is for tests, benchmarks and the e2e and
// load tools only: keys are generated fresh and never persisted.
package samltest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"time"
)

// IdP is an in-memory identity provider with one signing key.
type IdP struct {
	EntityID string
	SSOURL   string
	SLOURL   string
	Key      *rsa.PrivateKey
	Cert     *x509.Certificate
}

// NewIdP makes an IdP with a fresh RSA-2048 key and a self-signed
// certificate valid from one hour ago for ten years. Its SSO and SLO URLs
// are derived from entityID's scheme and host when it is a URL.
func NewIdP(entityID string) (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("samltest: generate key: %w", err)
	}
	cert, err := SelfSignedCert(key, "samltest IdP "+entityID)
	if err != nil {
		return nil, err
	}
	base := "https://idp.invalid"
	if u, err := url.Parse(entityID); err == nil && u.Scheme != "" && u.Host != "" {
		base = u.Scheme + "://" + u.Host
	}
	return &IdP{
		EntityID: entityID,
		SSOURL:   base + "/saml/sso",
		SLOURL:   base + "/saml/slo",
		Key:      key,
		Cert:     cert,
	}, nil
}

// SelfSignedCert makes a self-signed certificate for key. The validity
// starts an hour ago so that small clock differences between test
// processes do not matter.
func SelfSignedCert(key *rsa.PrivateKey, commonName string) (*x509.Certificate, error) {
	return selfSigned(key, &key.PublicKey, commonName)
}

func selfSigned(key crypto.Signer, pub any, commonName string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("samltest: serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		return nil, fmt.Errorf("samltest: create certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}

// CertPEM is the signing certificate in PEM form.
func (idp *IdP) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.Cert.Raw})
}
