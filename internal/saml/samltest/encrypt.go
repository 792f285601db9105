package samltest

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"

	"github.com/beevik/etree"
)

// XML Encryption algorithms EncryptAssertion understands.
const (
	AES128CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
	AES192CBC = "http://www.w3.org/2001/04/xmlenc#aes192-cbc"
	AES256CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
	AES128GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm"
	AES192GCM = "http://www.w3.org/2009/xmlenc11#aes192-gcm"
	AES256GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
	// RSAOAEPMGF1P is RSA-OAEP with SHA-1 MGF (digest per EncryptOptions).
	RSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	// RSAOAEP is XML-Enc 1.1 RSA-OAEP (digest and MGF per EncryptOptions).
	RSAOAEP = "http://www.w3.org/2009/xmlenc11#rsa-oaep"
	// RSA15 is PKCS#1 v1.5 key transport, which SPs must refuse; it is
	// here so tests can check they do.
	RSA15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"

	DigestSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	DigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	MGF1SHA1     = "http://www.w3.org/2009/xmlenc11#mgf1sha1"
	MGF1SHA256   = "http://www.w3.org/2009/xmlenc11#mgf1sha256"

	nsXEnc   = "http://www.w3.org/2001/04/xmlenc#"
	nsXEnc11 = "http://www.w3.org/2009/xmlenc11#"
)

// Where EncryptOptions puts the EncryptedKey.
const (
	// KeyInline puts it in the EncryptedData's KeyInfo (Shibboleth, Entra).
	KeyInline = iota
	// KeyRetrievalMethod puts it beside the EncryptedData, referenced by a
	// RetrievalMethod (ADFS, OneLogin).
	KeyRetrievalMethod
	// KeySibling puts it beside the EncryptedData with no reference.
	KeySibling
)

// EncryptOptions choose the algorithms and layout. Zero values: AES-256-GCM,
// RSA-OAEP-MGF1P with SHA-1 digest, key inline.
type EncryptOptions struct {
	Algorithm    string // content encryption URI
	KeyTransport string // key transport URI
	// Digest is the OAEP DigestMethod ("" = none written, meaning SHA-1).
	Digest string
	// MGF is the xmlenc11 MGF ("" = none written, meaning MGF1-SHA1);
	// only used with RSAOAEP.
	MGF       string
	Placement int
}

// EncryptAssertion replaces the Assertion of a samltest response (already
// signed) by an EncryptedAssertion for cert, with content algorithm alg and
// key transport keyTransport ("" = defaults of EncryptOptions). A signed
// Response would no longer verify: use EncryptAssertionInDoc before
// signing the Response.
func EncryptAssertion(responseXML []byte, cert *x509.Certificate, alg string, keyTransport string) ([]byte, error) {
	return EncryptAssertionWith(responseXML, cert, EncryptOptions{Algorithm: alg, KeyTransport: keyTransport})
}

// EncryptAssertionWith is EncryptAssertion with every option.
func EncryptAssertionWith(responseXML []byte, cert *x509.Certificate, o EncryptOptions) ([]byte, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(responseXML); err != nil {
		return nil, fmt.Errorf("samltest: parse response: %w", err)
	}
	if err := EncryptAssertionInDoc(doc, cert, o); err != nil {
		return nil, err
	}
	return Serialize(doc)
}

// EncryptAssertionInDoc encrypts the root's Assertion child in place.
func EncryptAssertionInDoc(doc *etree.Document, cert *x509.Certificate, o EncryptOptions) error {
	root := doc.Root()
	a := FindChild(root, "Assertion")
	if a == nil {
		return fmt.Errorf("samltest: no Assertion to encrypt")
	}
	plain, err := standaloneXML(a)
	if err != nil {
		return err
	}
	ea, err := EncryptedAssertionElement(plain, cert, o)
	if err != nil {
		return err
	}
	ReplaceChild(root, a, ea)
	return nil
}

// standaloneXML serializes el with the namespace declarations it inherits
// added to it, as IdPs do before encrypting (the element must parse alone).
func standaloneXML(el *etree.Element) ([]byte, error) {
	c := el.Copy()
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, at := range p.Attr {
			if (at.Space == "xmlns" || (at.Space == "" && at.Key == "xmlns")) && c.SelectAttr(at.FullKey()) == nil {
				c.CreateAttr(at.FullKey(), at.Value)
			}
		}
	}
	d := etree.NewDocument()
	d.SetRoot(c)
	return d.WriteToBytes()
}

// EncryptedAssertionElement builds <saml:EncryptedAssertion> holding plain
// (the Assertion's bytes) encrypted for cert.
func EncryptedAssertionElement(plain []byte, cert *x509.Certificate, o EncryptOptions) (*etree.Element, error) {
	if o.Algorithm == "" {
		o.Algorithm = AES256GCM
	}
	if o.KeyTransport == "" {
		o.KeyTransport = RSAOAEPMGF1P
	}
	ciphertext, sessionKey, err := encryptContent(o.Algorithm, plain)
	if err != nil {
		return nil, err
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("samltest: encryption certificate has no RSA key")
	}
	wrapped, err := wrapKey(pub, sessionKey, o)
	if err != nil {
		return nil, err
	}
	ea := etree.NewElement("saml:EncryptedAssertion")
	ea.CreateAttr("xmlns:saml", nsAssert)
	ed := ea.CreateElement("xenc:EncryptedData")
	ed.CreateAttr("xmlns:xenc", nsXEnc)
	ed.CreateAttr("Id", NewID())
	ed.CreateAttr("Type", nsXEnc+"Element")
	ed.CreateElement("xenc:EncryptionMethod").CreateAttr("Algorithm", o.Algorithm)
	ek := encryptedKeyElement(cert, wrapped, o)
	switch o.Placement {
	case KeyInline:
		ki := ed.CreateElement("ds:KeyInfo")
		ki.CreateAttr("xmlns:ds", nsDSig)
		ki.AddChild(ek)
	case KeyRetrievalMethod:
		ki := ed.CreateElement("ds:KeyInfo")
		ki.CreateAttr("xmlns:ds", nsDSig)
		rm := ki.CreateElement("ds:RetrievalMethod")
		rm.CreateAttr("Type", nsXEnc+"EncryptedKey")
		rm.CreateAttr("URI", "#"+ek.SelectAttrValue("Id", ""))
	}
	ed.CreateElement("xenc:CipherData").CreateElement("xenc:CipherValue").SetText(base64.StdEncoding.EncodeToString(ciphertext))
	if o.Placement != KeyInline {
		ek.CreateAttr("xmlns:xenc", nsXEnc)
		ek.CreateAttr("xmlns:ds", nsDSig)
		dr := ek.CreateElement("xenc:ReferenceList").CreateElement("xenc:DataReference")
		dr.CreateAttr("URI", "#"+ed.SelectAttrValue("Id", ""))
		ea.AddChild(ek)
	}
	return ea, nil
}

// encryptedKeyElement describes the wrapped session key.
func encryptedKeyElement(cert *x509.Certificate, wrapped []byte, o EncryptOptions) *etree.Element {
	ek := etree.NewElement("xenc:EncryptedKey")
	ek.CreateAttr("Id", NewID())
	em := ek.CreateElement("xenc:EncryptionMethod")
	em.CreateAttr("Algorithm", o.KeyTransport)
	if o.Digest != "" {
		d := em.CreateElement("ds:DigestMethod")
		d.CreateAttr("xmlns:ds", nsDSig)
		d.CreateAttr("Algorithm", o.Digest)
	}
	if o.MGF != "" {
		m := em.CreateElement("xenc11:MGF")
		m.CreateAttr("xmlns:xenc11", nsXEnc11)
		m.CreateAttr("Algorithm", o.MGF)
	}
	ki := ek.CreateElement("ds:KeyInfo")
	ki.CreateAttr("xmlns:ds", nsDSig)
	ki.CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(cert.Raw))
	ek.CreateElement("xenc:CipherData").CreateElement("xenc:CipherValue").SetText(base64.StdEncoding.EncodeToString(wrapped))
	return ek
}

// encryptContent encrypts plain with a fresh key: IV || ciphertext (CBC,
// XML-Enc padding) or nonce || ciphertext || tag (GCM).
func encryptContent(alg string, plain []byte) (ciphertext, key []byte, err error) {
	sizes := map[string]int{AES128CBC: 16, AES192CBC: 24, AES256CBC: 32, AES128GCM: 16, AES192GCM: 24, AES256GCM: 32}
	n, ok := sizes[alg]
	if !ok {
		return nil, nil, fmt.Errorf("samltest: unknown content algorithm %q", alg)
	}
	key = randomBytes(n)
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	if alg == AES128GCM || alg == AES192GCM || alg == AES256GCM {
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, nil, err
		}
		nonce := randomBytes(aead.NonceSize())
		return aead.Seal(nonce, nonce, plain, nil), key, nil
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(append([]byte{}, plain...), randomBytes(pad)...)
	padded[len(padded)-1] = byte(pad)
	iv := randomBytes(aes.BlockSize)
	out := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, padded)
	return append(iv, out...), key, nil
}

// wrapKey encrypts the session key for pub with the key transport.
func wrapKey(pub *rsa.PublicKey, key []byte, o EncryptOptions) ([]byte, error) {
	hashes := map[string]crypto.Hash{"": crypto.SHA1, DigestSHA1: crypto.SHA1, DigestSHA256: crypto.SHA256,
		MGF1SHA1: crypto.SHA1, MGF1SHA256: crypto.SHA256}
	switch o.KeyTransport {
	case RSA15:
		// RSA-1_5 key transport exists here only so that tests can check
		// Gatehouse refuses it (encryption_algorithm_forbidden).
		//lint:ignore SA1019 deliberately builds the deprecated, refused algorithm
		return rsa.EncryptPKCS1v15(rand.Reader, pub, key)
	case RSAOAEPMGF1P, RSAOAEP:
		h, ok1 := hashes[o.Digest]
		mgf, ok2 := hashes[o.MGF]
		if !ok1 || !ok2 || (o.KeyTransport == RSAOAEPMGF1P && o.MGF != "") {
			return nil, fmt.Errorf("samltest: unsupported OAEP digest %q / MGF %q", o.Digest, o.MGF)
		}
		return rsa.EncryptOAEPWithOptions(rand.Reader, pub, key, &rsa.OAEPOptions{Hash: h, MGFHash: mgf})
	}
	return nil, fmt.Errorf("samltest: unknown key transport %q", o.KeyTransport)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("samltest: random: " + err.Error())
	}
	return b
}
