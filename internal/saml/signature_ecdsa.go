package saml

import (
	"crypto/ecdsa"
	"encoding/asn1"
	"encoding/base64"
	"math/big"
	"strings"
)

// ecdsaRawToASN1 converts an XML-DSig ECDSA SignatureValue (base64 of r||s,
// each the curve's byte length, RFC 4050 / XML-DSig 1.1) to the base64 of
// the ASN.1 form that crypto/x509 verifies. Any other length, including an
// ASN.1 value some libraries emit by mistake, is rejected (docs/saml.md, validation rule 8).
func ecdsaRawToASN1(text string, pub *ecdsa.PublicKey) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		return "", rejectf(ReasonSignatureInvalid, "expected a base64 SignatureValue, got invalid base64")
	}
	size := (pub.Curve.Params().BitSize + 7) / 8
	if len(raw) != 2*size {
		return "", rejectf(ReasonSignatureInvalid, "expected an ECDSA SignatureValue of %d bytes (r||s), got %d", 2*size, len(raw))
	}
	der, err := asn1.Marshal(struct{ R, S *big.Int }{
		new(big.Int).SetBytes(raw[:size]),
		new(big.Int).SetBytes(raw[size:]),
	})
	if err != nil {
		return "", rejectf(ReasonSignatureInvalid, "expected an encodable ECDSA signature, got %v", err)
	}
	return base64.StdEncoding.EncodeToString(der), nil
}
