package saml

import (
	"crypto/rsa"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// Bounds on encrypted content. A response is at most
// DefaultMaxResponseSize; an RSA-encrypted key is at most 1 KiB (RSA-8192).
const (
	maxEncryptedKeyBytes = 1024
	maxEncryptedKeys     = 4 // multi-recipient messages list a few
)

// errDecrypt is the one error for every failure that depends on secret
// data (wrong key, OAEP decoding, padding, GCM tag, garbage plaintext):
// distinguishing them would give an attacker a decryption oracle.
func errDecrypt() error {
	return rejectf(ReasonDecryptionFailed, "expected an EncryptedAssertion that the SP encryption key decrypts to one Assertion, got one that does not (wrong key, or tampered or corrupt content)")
}

// decryptAssertion decrypts an <EncryptedAssertion> (docs/saml.md, "Encrypted assertions", XML-Enc
// 1.1) with the SP key and returns the <saml:Assertion> XML, which the
// validator then checks like a plain one. Content: AES-CBC or AES-GCM
// (128/192/256). Key transport: RSA-OAEP (rsa-oaep-mgf1p, or xmlenc11
// rsa-oaep with its MGF and DigestMethod). The EncryptedKey may sit in the
// EncryptedData's KeyInfo, or beside it (found through a RetrievalMethod or
// as the only candidate). RSA-1_5 and every other algorithm are refused
// with ReasonEncryptionAlgorithmForbidden before any private-key operation.
func decryptAssertion(enc *etree.Element, key *rsa.PrivateKey) ([]byte, error) {
	if key == nil {
		return nil, rejectf(ReasonNoDecryptionKey, "expected an SP decryption key, got none for an EncryptedAssertion")
	}
	data, err := encryptedData(enc)
	if err != nil {
		return nil, err
	}
	alg, err := contentAlgorithm(data)
	if err != nil {
		return nil, err
	}
	ciphertext, err := cipherValue(data, DefaultMaxResponseSize)
	if err != nil {
		return nil, err
	}
	keys, err := encryptedKeys(enc, data)
	if err != nil {
		return nil, err
	}
	transports := make([]keyTransport, 0, len(keys))
	for _, ek := range keys {
		kt, err := readKeyTransport(ek)
		if err != nil {
			return nil, err
		}
		transports = append(transports, kt)
	}
	// Every candidate key is tried and every failure looks the same.
	for _, kt := range transports {
		sessionKey, ok := kt.unwrap(key, alg.keySize)
		if !ok {
			continue
		}
		plain, ok := alg.decrypt(sessionKey, ciphertext)
		if !ok {
			continue
		}
		if out, ok := assertionPlaintext(plain, enc); ok {
			return out, nil
		}
	}
	return nil, errDecrypt()
}

// encryptedData is the one xenc:EncryptedData child of the
// EncryptedAssertion; besides it only EncryptedKeys may appear.
func encryptedData(enc *etree.Element) (*etree.Element, error) {
	var data *etree.Element
	for _, c := range enc.ChildElements() {
		switch {
		case isElem(c, nsXMLEnc, "EncryptedData") && data == nil:
			data = c
		case isElem(c, nsXMLEnc, "EncryptedKey"):
		default:
			return nil, rejectf(ReasonMalformedXML, "expected an EncryptedAssertion with one xenc:EncryptedData and optional xenc:EncryptedKey elements, got <%s>", c.Tag)
		}
	}
	if data == nil {
		return nil, rejectf(ReasonMalformedXML, "expected an xenc:EncryptedData inside the EncryptedAssertion, got none")
	}
	if t := attrOr(data, "Type", typeElement); t != typeElement {
		return nil, rejectf(ReasonEncryptionAlgorithmForbidden, "expected EncryptedData of Type %s, got %q", typeElement, t)
	}
	return data, nil
}

// cipherValue decodes the CipherData/CipherValue of el (a CipherReference,
// which would fetch a URL, is refused).
func cipherValue(el *etree.Element, max int) ([]byte, error) {
	cd := childElems(el, nsXMLEnc, "CipherData")
	if len(cd) != 1 {
		return nil, rejectf(ReasonMalformedXML, "expected one xenc:CipherData in <%s>, got %d", el.Tag, len(cd))
	}
	if len(childElems(cd[0], nsXMLEnc, "CipherReference")) > 0 {
		return nil, rejectf(ReasonXMLForbidden, "expected an inline CipherValue, got a CipherReference (external reference)")
	}
	cv := childElems(cd[0], nsXMLEnc, "CipherValue")
	if len(cv) != 1 {
		return nil, rejectf(ReasonMalformedXML, "expected one xenc:CipherValue in <%s>, got %d", el.Tag, len(cv))
	}
	text, err := textOf(cv[0])
	if err != nil {
		return nil, err
	}
	text = strings.Join(strings.Fields(text), "")
	if base64.StdEncoding.DecodedLen(len(text)) > max {
		return nil, rejectf(ReasonResponseTooLarge, "expected a CipherValue of at most %d bytes in <%s>, got about %d", max, el.Tag, base64.StdEncoding.DecodedLen(len(text)))
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, rejectf(ReasonBadBase64, "expected a base64 CipherValue in <%s>, got invalid base64", el.Tag)
	}
	return raw, nil
}
