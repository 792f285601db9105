package saml

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"
)

// keyCert is a self-signed certificate for any key type.
func keyCert(t *testing.T, signer crypto.Signer, cn string) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signer.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMetadataSigningKeyTypes(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	md, err := ParseIdPMetadata([]byte(idpEntity("https://ec", keyDescriptor("signing", keyCert(t, p256, "EC IdP"))+ssoPost)), "")
	if err != nil || len(md.SigningCerts) != 1 {
		t.Fatalf("P-256 signing key refused: %v", err)
	}
	for name, c := range map[string]struct {
		cert *x509.Certificate
		want string
	}{
		"P-224":   {keyCert(t, p224, "small EC"), "P-224"},
		"Ed25519": {keyCert(t, ed, "ed IdP"), "RSA and ECDSA"},
	} {
		_, err := ParseIdPMetadata([]byte(idpEntity("https://x", keyDescriptor("signing", c.cert)+ssoPost)), "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
