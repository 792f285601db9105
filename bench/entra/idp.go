package entra

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	dsig "github.com/russellhaering/goxmldsig"
)

// Certificate validity is fixed and wide so that peers which enforce the
// certificate's dates (crewjam does by default) accept it at the benchmark's
// frozen clock and at the load generator's real clock alike.
var (
	certNotBefore = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	certNotAfter  = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
)

// IdP is a test identity provider that signs assertions the way Entra ID
// does by default: the Assertion only, RSA-SHA256, exclusive c14n.
type IdP struct {
	EntityID string
	SSOURL   string
	Key      *rsa.PrivateKey
	Cert     *x509.Certificate
	signer   *dsig.SigningContext
}

// NewIdP generates a fresh RSA-2048 key and self-signed certificate for
// entityID. Key generation takes a noticeable fraction of a second, so
// callers build one IdP and reuse it.
func NewIdP(entityID, ssoURL string) (*IdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("entra: generate key: %w", err)
	}
	cert, err := selfSigned(key)
	if err != nil {
		return nil, err
	}
	ctx, err := dsig.NewSigningContext(key, [][]byte{cert.Raw})
	if err != nil {
		return nil, fmt.Errorf("entra: signing context: %w", err)
	}
	// Entra writes the Signature in the default namespace, not "ds:".
	ctx.Prefix = ""
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		return nil, fmt.Errorf("entra: signature method: %w", err)
	}
	return &IdP{EntityID: entityID, SSOURL: ssoURL, Key: key, Cert: cert, signer: ctx}, nil
}

// selfSigned mimics Entra's "Microsoft Azure Federated SSO Certificate".
func selfSigned(key *rsa.PrivateKey) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("entra: serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Microsoft Azure Federated SSO Certificate"},
		NotBefore:    certNotBefore,
		NotAfter:     certNotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("entra: certificate: %w", err)
	}
	return x509.ParseCertificate(der)
}
