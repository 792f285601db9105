package saml

import (
	"crypto/x509"
	"time"

	"github.com/beevik/etree"
)

// ValidateResponse is the whole of validation rules 1-8 (docs/saml.md) as one pure function
// of the raw response XML, the trusted IdP configuration, the SP-side
// expectations and the current time. It returns the verified identity or
// an *Error with a stable Reason. Everything returned is read from the
// element that a trusted signature covers: the very node whose exclusive
// canonical form was hashed and verified (one parse, one tree).
func ValidateResponse(raw []byte, trust *TrustConfig, exp *Expectations, now time.Time) (*Assertion, error) {
	if trust == nil || exp == nil {
		return nil, rejectf(ReasonNoTrustedCertificates, "expected a trust configuration and expectations, got nil")
	}
	root, err := parseResponseXML(raw, exp.MaxResponseSize)
	if err != nil {
		return nil, err
	}
	if err := checkResponseRoot(root); err != nil {
		return nil, err
	}
	if err := checkStatus(root); err != nil {
		return nil, err
	}
	layout, err := scanLayout(root)
	if err != nil {
		return nil, err
	}
	v, err := verifyLayout(root, layout, trust)
	if err != nil {
		return nil, err
	}
	return checkVerified(v, trust, exp, now)
}

// parseResponseXML applies the size cap, then the safety checks, which
// build the tree in the same single pass over the input.
func parseResponseXML(raw []byte, maxSize int) (*etree.Element, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxResponseSize
	}
	if len(raw) > maxSize {
		return nil, rejectf(ReasonResponseTooLarge, "expected at most %d bytes of XML, got %d", maxSize, len(raw))
	}
	return parseSafeXML(raw)
}

// rvVerified is the outcome of signature verification: the elements to
// read from, and which signature vouches for them.
type rvVerified struct {
	response  *etree.Element // the Response (covered by a signature only when respSig was present)
	assertion *etree.Element // always covered by a verified signature
	signed    string         // "Response", "Assertion" or "Response+Assertion"
	cert      *x509.Certificate
	encrypted bool
}

// verifyLayout verifies the Response signature (if any), then the
// assertion's own signature (if any) on the assertion inside the verified
// Response, decrypting an EncryptedAssertion first. At least one of the two
// must be present and both must verify.
func verifyLayout(root *etree.Element, l *rvLayout, trust *TrustConfig) (*rvVerified, error) {
	v := &rvVerified{response: root, encrypted: l.encrypted}
	assertion := l.assertion
	if l.respSig != nil {
		resp, cert, err := verifySignature(root, l.respSig, trust)
		if err != nil {
			return nil, err
		}
		// The assertion is a child of resp: the same tree, and the
		// Response's canonical bytes, hashed above, contain it.
		v.response, v.cert, v.signed = resp, cert, "Response"
	}
	asrtSig := l.asrtSig
	if l.encrypted {
		var err error
		if assertion, asrtSig, err = decryptLayout(root, assertion, trust); err != nil {
			return nil, err
		}
	}
	if asrtSig == nil {
		if l.respSig == nil {
			return nil, rejectf(ReasonSignatureMissing, "expected the Response or the Assertion to be signed, got neither")
		}
		v.assertion = assertion
		return v, nil
	}
	verified, cert, err := verifySignature(assertion, asrtSig, trust)
	if err != nil {
		return nil, err
	}
	v.assertion, v.cert = verified, cert
	if v.signed == "" {
		v.signed = "Assertion"
	} else {
		v.signed = "Response+Assertion"
	}
	return v, nil
}

// decryptLayout decrypts the EncryptedAssertion (docs/saml.md, "Encrypted assertions") and returns
// the Assertion and its Signature, after the same safety and structure
// checks as the outer document.
func decryptLayout(root, enc *etree.Element, trust *TrustConfig) (*etree.Element, *etree.Element, error) {
	if trust.DecryptionKey == nil {
		return nil, nil, rejectf(ReasonNoDecryptionKey, "expected a plain Assertion (no SP encryption key is configured), got an EncryptedAssertion")
	}
	plain, err := decryptAssertion(enc, trust.DecryptionKey)
	if err != nil {
		return nil, nil, err
	}
	a, err := parseSafeXML(plain)
	if err != nil {
		return nil, nil, err
	}
	ids := make(map[string]bool, 4)
	if id, ok := attrValue(root, "ID"); ok {
		ids[id] = true
	}
	sig, err := scanDecrypted(a, ids)
	if err != nil {
		return nil, nil, err
	}
	return a, sig, nil
}
