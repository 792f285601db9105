package samltest

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// ECDSASHA256 is the XML-DSig ECDSA-SHA256 SignatureMethod.
const ECDSASHA256 = dsig.ECDSASHA256SignatureMethod

// SignElementECDSA signs el with an ECDSA key like SignElement does with
// RSA. goxmldsig writes the ASN.1 signature Go produces; XML-DSig wants
// r||s, so the SignatureValue is rewritten unless asn1Form is true (tests
// of validators that must refuse the ASN.1 form use that).
func SignElementECDSA(key *ecdsa.PrivateKey, cert *x509.Certificate, el *etree.Element, method string, asn1Form bool) (*etree.Element, error) {
	if method == "" {
		method = ECDSASHA256
	}
	signed, err := signElement(key, cert, el, method)
	if err != nil || asn1Form {
		return signed, err
	}
	sv := signed.FindElement("./Signature/SignatureValue")
	if sv == nil {
		return nil, fmt.Errorf("samltest: no SignatureValue")
	}
	der, err := base64.StdEncoding.DecodeString(sv.Text())
	if err != nil {
		return nil, fmt.Errorf("samltest: SignatureValue: %w", err)
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &rs); err != nil {
		return nil, fmt.Errorf("samltest: ECDSA signature: %w", err)
	}
	size := (key.Curve.Params().BitSize + 7) / 8
	raw := make([]byte, 2*size)
	rs.R.FillBytes(raw[:size])
	rs.S.FillBytes(raw[size:])
	sv.SetText(base64.StdEncoding.EncodeToString(raw))
	return signed, nil
}

// SelfSignedECDSACert makes a self-signed certificate for an ECDSA key.
func SelfSignedECDSACert(key *ecdsa.PrivateKey, commonName string) (*x509.Certificate, error) {
	return selfSigned(key, &key.PublicKey, commonName)
}
