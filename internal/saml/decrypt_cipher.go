package saml

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"

	"github.com/beevik/etree"
)

// contentCipher is a block encryption algorithm of XML-Enc.
type contentCipher struct {
	keySize int
	gcm     bool
}

var contentCiphers = map[string]contentCipher{
	EncAES128CBC: {16, false}, EncAES192CBC: {24, false}, EncAES256CBC: {32, false},
	EncAES128GCM: {16, true}, EncAES192GCM: {24, true}, EncAES256GCM: {32, true},
}

// contentAlgorithm reads EncryptedData's EncryptionMethod.
func contentAlgorithm(data *etree.Element) (contentCipher, error) {
	em := childElems(data, nsXMLEnc, "EncryptionMethod")
	if len(em) != 1 {
		return contentCipher{}, rejectf(ReasonMalformedXML, "expected one EncryptionMethod in the EncryptedData, got %d", len(em))
	}
	alg := attrOr(em[0], "Algorithm", "")
	c, ok := contentCiphers[alg]
	if !ok {
		return contentCipher{}, rejectf(ReasonEncryptionAlgorithmForbidden, "expected AES-GCM or AES-CBC content encryption, got %q", alg)
	}
	return c, nil
}

// decrypt opens ciphertext (IV || data [|| tag]) with the session key.
func (c contentCipher) decrypt(key, ciphertext []byte) ([]byte, bool) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, false
	}
	if c.gcm {
		return openGCM(block, ciphertext)
	}
	return openCBC(block, ciphertext)
}

// openGCM: XML-Enc 1.1 puts a 96-bit nonce first and the 128-bit tag last.
func openGCM(block cipher.Block, ciphertext []byte) ([]byte, bool) {
	aead, err := cipher.NewGCM(block)
	if err != nil || len(ciphertext) < aead.NonceSize()+aead.Overhead() {
		return nil, false
	}
	n := aead.NonceSize()
	plain, err := aead.Open(nil, ciphertext[:n], ciphertext[n:], nil)
	return plain, err == nil
}

// openCBC: a 16-byte IV first; XML-Enc padding puts the pad length in the
// last byte and leaves the other pad bytes arbitrary, so only that length
// (1..16) can be checked, and it is checked without branching on it.
func openCBC(block cipher.Block, ciphertext []byte) ([]byte, bool) {
	bs := block.BlockSize()
	if len(ciphertext) < 2*bs || len(ciphertext)%bs != 0 {
		return nil, false
	}
	plain := make([]byte, len(ciphertext)-bs)
	cipher.NewCBCDecrypter(block, ciphertext[:bs]).CryptBlocks(plain, ciphertext[bs:])
	pad := int(plain[len(plain)-1])
	ok := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, bs)
	if ok != 1 {
		return nil, false
	}
	return plain[:len(plain)-pad], true
}
