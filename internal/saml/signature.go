package saml

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/beevik/etree"
)

// MinRSAKeyBits is the smallest RSA signing key accepted (docs/saml.md, validation rule 8).
const MinRSAKeyBits = 2048

// verifySignature verifies the enveloped Signature sig, a direct child of
// el, against the trusted certificates and returns el itself: the node
// whose canonical bytes were hashed, so all later reading happens on
// exactly what the signature covers (comments, which exclusive c14n
// leaves out, are ignored by every reader; see textOf). Certificate
// validity dates are deliberately not enforced (docs/saml.md, validation rule 2).
func verifySignature(el, sig *etree.Element, trust *TrustConfig) (*etree.Element, *x509.Certificate, error) {
	id, _ := attrValue(el, "ID")
	parts, err := checkSignaturePolicy(sig, id, trust.AllowSHA1)
	if err != nil {
		return nil, nil, err
	}
	if len(trust.Certs) == 0 {
		return nil, nil, rejectf(ReasonNoTrustedCertificates, "expected at least one trusted IdP signing certificate in the configuration, got none")
	}
	keyInfoDER, keyInfoNote := keyInfoCertificate(parts.keyInfo)
	cands, short := candidateCerts(trust.Certs, keyInfoDER, parts.keyType)
	if len(cands) == 0 {
		if short > 0 {
			return nil, nil, rejectf(ReasonKeyTooShort, "expected an RSA key of at least %d bits, got only shorter trusted keys", MinRSAKeyBits)
		}
		return nil, nil, rejectf(ReasonUntrustedCertificate, "expected a trusted %s key for %s, got no trusted certificate of that type", parts.keyType, parts.method)
	}
	sigText, err := textOf(parts.signatureValue)
	if err != nil {
		return nil, nil, err
	}
	check := &dsigCheck{el: el, sig: sig, parts: parts, sigText: sigText}
	cert, digestMismatch, err := check.verify(cands)
	if err != nil {
		return nil, nil, err
	}
	if cert != nil {
		return el, cert, nil
	}
	return nil, nil, signatureFailure(el.Tag, digestMismatch, keyInfoDER, keyInfoNote, trust.Certs)
}

// candidateCerts orders the trusted certificates to try: the one KeyInfo
// names first (the usual case, one verification), then the others (Entra
// lists several during rollover). Keys of the wrong type for the
// SignatureMethod and RSA keys under MinRSAKeyBits are left out.
func candidateCerts(trusted []*x509.Certificate, hint []byte, keyType string) ([]*x509.Certificate, int) {
	out := make([]*x509.Certificate, 0, len(trusted))
	short := 0
	for _, c := range trusted {
		switch k := c.PublicKey.(type) {
		case *rsa.PublicKey:
			if keyType != rvKeyRSA {
				continue
			}
			if k.N.BitLen() < MinRSAKeyBits {
				short++
				continue
			}
		case *ecdsa.PublicKey:
			if keyType != rvKeyECDSA {
				continue
			}
		default:
			continue
		}
		if hint != nil && bytes.Equal(hint, c.Raw) {
			out = append([]*x509.Certificate{c}, out...)
		} else {
			out = append(out, c)
		}
	}
	return out, short
}

// keyInfoCertificate decodes the first X509Certificate of KeyInfo (DER),
// only to order candidates and to explain failures: it is never trusted
// itself, and it is parsed only when a failure needs describing.
func keyInfoCertificate(keyInfo *etree.Element) ([]byte, string) {
	if keyInfo == nil {
		return nil, ""
	}
	// The first X509Certificate in document order, whichever X509Data
	// holds it (an empty X509Data before it is skipped).
	for xd := range eachChildElem(keyInfo, nsDSig, "X509Data") {
		if certs := childElems(xd, nsDSig, "X509Certificate"); len(certs) > 0 {
			return decodeKeyInfoCertificate(certs[0])
		}
	}
	return nil, ""
}

// decodeKeyInfoCertificate returns the DER bytes of one X509Certificate
// element, or why it has none.
func decodeKeyInfoCertificate(xc *etree.Element) ([]byte, string) {
	text, err := textOf(xc)
	if err != nil {
		return nil, "KeyInfo certificate is not text"
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		return nil, "KeyInfo certificate is not base64"
	}
	return der, ""
}

// signatureFailure builds the rejection once no trusted key verified.
func signatureFailure(tag string, digest bool, keyInfoDER []byte, note string, trusted []*x509.Certificate) error {
	n := len(trusted)
	var keyInfoCert *x509.Certificate
	if keyInfoDER != nil {
		var err error
		if keyInfoCert, err = x509.ParseCertificate(keyInfoDER); err != nil {
			note = "KeyInfo certificate does not parse"
		}
	}
	if digest {
		return rejectf(ReasonDigestMismatch, "expected the digest in the trusted signature to match <%s>, got different content: the signed element was changed after signing", tag)
	}
	if keyInfoCert != nil && !certIn(keyInfoCert, trusted) {
		return rejectf(ReasonUntrustedCertificate, "expected a signature by one of the %d trusted IdP certificates, got one whose KeyInfo names an untrusted certificate (subject %q, SHA-256 %s) and no trusted key verifies it",
			n, keyInfoCert.Subject.String(), CertSHA256(keyInfoCert))
	}
	if note != "" {
		note = " (" + note + ")"
	}
	return rejectf(ReasonSignatureInvalid, "expected a signature over <%s> that one of the %d trusted IdP certificates verifies, got none that does%s", tag, n, note)
}

func certIn(c *x509.Certificate, list []*x509.Certificate) bool {
	for _, t := range list {
		if t.Equal(c) {
			return true
		}
	}
	return false
}

// CertSHA256 is the lowercase hex SHA-256 of a certificate's DER, the
// fingerprint form Gatehouse shows and records.
func CertSHA256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}
