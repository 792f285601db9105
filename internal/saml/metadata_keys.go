package saml

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// readSigningCerts collects the certificates of the IDPSSODescriptor's
// KeyDescriptors with use="signing" or no use, every X509Certificate of
// each, in document order, without duplicates. Encryption-only keys are
// never signing keys.
func readSigningCerts(idp *etree.Element) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, kd := range childElems(idp, nsMetadata, "KeyDescriptor") {
		if use := strings.TrimSpace(attrOr(kd, "use", "")); use != "" && use != "signing" {
			continue
		}
		for _, ki := range childElems(kd, nsDSig, "KeyInfo") {
			for _, xd := range childElems(ki, nsDSig, "X509Data") {
				for _, xc := range childElems(xd, nsDSig, "X509Certificate") {
					text, err := metadataText(xc)
					if err != nil {
						return nil, err
					}
					cert, err := parseMetadataCert(text, len(out)+1)
					if err != nil {
						return nil, err
					}
					if !certIn(cert, out) {
						out = append(out, cert)
					}
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, metadataErrorf("the IDPSSODescriptor has no signing certificate (a KeyDescriptor with use=\"signing\" holding a ds:X509Certificate): Gatehouse cannot verify any response without one")
	}
	return out, nil
}

// parseMetadataCert decodes one X509Certificate element's text (base64,
// possibly wrapped over lines) and checks its key.
func parseMetadataCert(text string, n int) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		return nil, metadataErrorf("signing certificate %d is not valid base64: %v", n, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, metadataErrorf("signing certificate %d does not parse as an X.509 certificate: %v", n, err)
	}
	if err := checkSigningKey(cert); err != nil {
		return nil, err
	}
	return cert, nil
}

// checkSigningKey refuses keys that response signatures may not use:
// RSA below 2048 bits, ECDSA on curves below P-256, other key types.
func checkSigningKey(cert *x509.Certificate) error {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < MinRSAKeyBits {
			return metadataErrorf("the signing certificate %q has a %d-bit RSA key; Gatehouse requires at least %d bits: have the IdP issue a new signing certificate", cert.Subject.String(), bits, MinRSAKeyBits)
		}
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P224() {
			return metadataErrorf("the signing certificate %q uses the P-224 curve; Gatehouse requires P-256 or stronger", cert.Subject.String())
		}
	default:
		return metadataErrorf("the signing certificate %q has a %s key; Gatehouse verifies RSA and ECDSA signatures only", cert.Subject.String(), cert.PublicKeyAlgorithm)
	}
	return nil
}
