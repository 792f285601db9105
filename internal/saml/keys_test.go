package saml

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

func TestGenerateSPKeyPairRoundTrip(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	keyPEM, certPEM, err := GenerateSPKeyPair("sp.example.com", now)
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := ParseKeyPair(keyPEM, certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if key.N.BitLen() != 3072 {
		t.Errorf("key size %d, want 3072", key.N.BitLen())
	}
	if cert.Subject.CommonName != "sp.example.com" {
		t.Errorf("subject %q", cert.Subject.CommonName)
	}
	if !cert.NotAfter.Equal(now.AddDate(10, 0, 0)) || cert.NotBefore.After(now) {
		t.Errorf("validity %v..%v, want from before %v for 10 years", cert.NotBefore, cert.NotAfter, now)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
}

func TestParseKeyPairRejects(t *testing.T) {
	now := time.Now()
	keyA, certA, err := GenerateSPKeyPair("a", now)
	if err != nil {
		t.Fatal(err)
	}
	_, certB, err := GenerateSPKeyPair("b", now)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallPEM := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(small)}))
	cases := []struct{ name, key, cert, want string }{
		{"mismatched pair", keyA, certB, "does not belong"},
		{"no key PEM", "nope", certA, "private key"},
		{"no cert PEM", keyA, "nope", "certificate"},
		{"cert in key slot", certA, certA, "CERTIFICATE"},
		{"1024-bit key", smallPEM, certA, "2048"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ParseKeyPair(c.key, c.cert)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want mention of %q", err, c.want)
			}
		})
	}
}

func TestParseKeyPairPKCS1(t *testing.T) {
	keyPEM, certPEM, err := GenerateSPKeyPair("a", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := ParseKeyPair(keyPEM, certPEM)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	if _, _, err := ParseKeyPair(pkcs1, certPEM); err != nil {
		t.Fatalf("PKCS#1 key refused: %v", err)
	}
}
