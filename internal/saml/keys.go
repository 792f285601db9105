package saml

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// spKeyBits is the size of generated SP keys: RSA-3072 is the size NIST
// recommends beyond 2030, and every IdP we target accepts it.
const spKeyBits = 3072

// spCertValidity is how long a generated SP certificate is valid. SAML
// metadata consumers do not enforce certificate dates, so a long validity
// avoids a pointless rollover; keys are rotated on purpose, not by expiry.
const spCertValidity = 10

// GenerateSPKeyPair makes an RSA-3072 key and a self-signed certificate
// for it, valid from now for ten years, both PEM encoded (PKCS#8 key).
// They sign AuthnRequests or receive encrypted assertions.
func GenerateSPKeyPair(commonName string, now time.Time) (keyPEM, certPEM string, err error) {
	key, err := rsa.GenerateKey(rand.Reader, spKeyBits)
	if err != nil {
		return "", "", fmt.Errorf("generate SP key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return "", "", fmt.Errorf("generate SP certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             now.Add(-5 * time.Minute), // tolerate small clock differences at the IdP
		NotAfter:              now.AddDate(spCertValidity, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", fmt.Errorf("create SP certificate: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("encode SP key: %w", err)
	}
	keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return keyPEM, certPEM, nil
}

// ParseKeyPair decodes an RSA private key (PKCS#8 or PKCS#1 PEM) and its
// certificate (PEM), and checks that they belong together and that the
// key has at least 2048 bits.
func ParseKeyPair(keyPEM, certPEM string) (*rsa.PrivateKey, *x509.Certificate, error) {
	key, err := parseRSAKeyPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, nil, errors.New("certificate: expected a PEM block of type CERTIFICATE")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate: %w", err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || !pub.Equal(&key.PublicKey) {
		return nil, nil, errors.New("the certificate does not belong to the private key")
	}
	return key, cert, nil
}

// parseRSAKeyPEM accepts the two common encodings of an RSA key.
func parseRSAKeyPEM(keyPEM string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(keyPEM))
	if block == nil {
		return nil, errors.New("private key: expected a PEM block")
	}
	var key *rsa.PrivateKey
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("private key: %w", err)
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("private key: expected RSA, got %T", k)
		}
		key = rk
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("private key: %w", err)
		}
		key = k
	default:
		return nil, fmt.Errorf("private key: expected PEM type PRIVATE KEY or RSA PRIVATE KEY, got %s", block.Type)
	}
	if bits := key.N.BitLen(); bits < MinRSAKeyBits {
		return nil, fmt.Errorf("private key: expected RSA of at least %d bits, got %d", MinRSAKeyBits, bits)
	}
	return key, nil
}
