package saml

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // SHA-1 is the OAEP default digest and MGF of XML-Enc
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/beevik/etree"
)

// keyTransport is a parsed EncryptedKey: RSA-OAEP parameters and the
// encrypted session key.
type keyTransport struct {
	hash, mgf  crypto.Hash
	label      []byte
	ciphertext []byte
}

var oaepDigests = map[string]crypto.Hash{
	digestSHA1: crypto.SHA1, digestSHA256: crypto.SHA256, digestSHA384: crypto.SHA384, digestSHA512: crypto.SHA512,
}

var oaepMGFs = map[string]crypto.Hash{
	mgf1SHA1: crypto.SHA1, mgf1SHA256: crypto.SHA256, mgf1SHA384: crypto.SHA384, mgf1SHA512: crypto.SHA512,
}

// readKeyTransport reads an EncryptedKey's algorithm and parameters and
// its ciphertext. Only RSA-OAEP is accepted.
func readKeyTransport(ek *etree.Element) (keyTransport, error) {
	em := childElems(ek, nsXMLEnc, "EncryptionMethod")
	if len(em) != 1 {
		return keyTransport{}, rejectf(ReasonMalformedXML, "expected one EncryptionMethod in the EncryptedKey, got %d", len(em))
	}
	kt := keyTransport{hash: crypto.SHA1, mgf: crypto.SHA1}
	switch alg := attrOr(em[0], "Algorithm", ""); alg {
	case KeyTransportRSAOAEPMGF1P:
		// MGF1 with SHA-1 is fixed by this algorithm; only the digest varies.
	case KeyTransportRSAOAEP11:
		if m := childElems(em[0], nsXMLEnc11, "MGF"); len(m) > 0 {
			h, ok := oaepMGFs[attrOr(m[0], "Algorithm", "")]
			if !ok {
				return keyTransport{}, rejectf(ReasonEncryptionAlgorithmForbidden, "expected an MGF1 with SHA-1 or SHA-2, got %q", attrOr(m[0], "Algorithm", ""))
			}
			kt.mgf = h
		}
	case KeyTransportRSA15:
		return keyTransport{}, rejectf(ReasonEncryptionAlgorithmForbidden, "expected RSA-OAEP key transport, got RSA-1_5 (PKCS#1 v1.5), which is refused: it allows padding-oracle attacks")
	default:
		return keyTransport{}, rejectf(ReasonEncryptionAlgorithmForbidden, "expected RSA-OAEP key transport (%s or %s), got %q", KeyTransportRSAOAEPMGF1P, KeyTransportRSAOAEP11, alg)
	}
	if d := childElems(em[0], nsDSig, "DigestMethod"); len(d) > 0 {
		h, ok := oaepDigests[attrOr(d[0], "Algorithm", "")]
		if !ok {
			return keyTransport{}, rejectf(ReasonEncryptionAlgorithmForbidden, "expected an OAEP DigestMethod of SHA-1 or SHA-2, got %q", attrOr(d[0], "Algorithm", ""))
		}
		kt.hash = h
	}
	if p := childElems(em[0], nsXMLEnc, "OAEPparams"); len(p) > 0 {
		text, err := textOf(p[0])
		if err != nil {
			return keyTransport{}, err
		}
		label, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
		if err != nil {
			return keyTransport{}, rejectf(ReasonBadBase64, "expected base64 OAEPparams, got invalid base64")
		}
		kt.label = label
	}
	var err error
	kt.ciphertext, err = cipherValue(ek, maxEncryptedKeyBytes)
	return kt, err
}

// unwrap decrypts the session key and checks it has the size the content
// algorithm needs. It reports only success or failure (no oracle).
func (kt keyTransport) unwrap(key *rsa.PrivateKey, size int) ([]byte, bool) {
	sk, err := key.Decrypt(rand.Reader, kt.ciphertext, &rsa.OAEPOptions{Hash: kt.hash, MGFHash: kt.mgf, Label: kt.label})
	if err != nil {
		return nil, false
	}
	return sk, subtle.ConstantTimeEq(int32(len(sk)), int32(size)) == 1
}
