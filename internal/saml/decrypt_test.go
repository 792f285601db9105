package saml

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// spEncryption is the SP encryption key pair of the decryption tests.
func spEncryption(t testing.TB) (*x509.Certificate, *TrustConfig) {
	t.Helper()
	key := mdKey(t, 0)
	cert := mdCert(t, key, "gatehouse encryption", testNow.AddDate(1, 0, 0))
	trust := baseTrust(t)
	trust.DecryptionKey = key
	return cert, trust
}

// spEncryptedResponse is the usual signed test response with its Assertion
// encrypted for cert.
func spEncryptedResponse(t testing.TB, cert *x509.Certificate, o samltest.EncryptOptions) []byte {
	t.Helper()
	raw, err := samltest.EncryptAssertionWith(signedResponse(t, baseOpts()), cert, o)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), testNameID) {
		t.Fatal("the NameID is still readable: nothing was encrypted")
	}
	return raw
}

func wantDecryptReason(t *testing.T, err error, r Reason) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Reason != r {
		t.Fatalf("want %s, got %v", r, err)
	}
}

func TestDecryptAlgorithms(t *testing.T) {
	cert, trust := spEncryption(t)
	cases := map[string]samltest.EncryptOptions{
		"AES-128-GCM":                   {Algorithm: samltest.AES128GCM},
		"AES-192-GCM":                   {Algorithm: samltest.AES192GCM},
		"AES-256-GCM":                   {Algorithm: samltest.AES256GCM},
		"AES-128-CBC":                   {Algorithm: samltest.AES128CBC},
		"AES-192-CBC":                   {Algorithm: samltest.AES192CBC},
		"AES-256-CBC":                   {Algorithm: samltest.AES256CBC},
		"OAEP mgf1p, SHA-1 digest":      {KeyTransport: samltest.RSAOAEPMGF1P, Digest: samltest.DigestSHA1},
		"OAEP mgf1p, SHA-256 digest":    {KeyTransport: samltest.RSAOAEPMGF1P, Digest: samltest.DigestSHA256},
		"xmlenc11 OAEP, defaults":       {KeyTransport: samltest.RSAOAEP},
		"xmlenc11 OAEP, SHA-256 + MGF1": {KeyTransport: samltest.RSAOAEP, Digest: samltest.DigestSHA256, MGF: samltest.MGF1SHA256},
		"xmlenc11 OAEP, SHA-256, MGF1-SHA1": {Algorithm: samltest.AES128CBC, KeyTransport: samltest.RSAOAEP,
			Digest: samltest.DigestSHA256, MGF: samltest.MGF1SHA1},
		"key by RetrievalMethod":   {Algorithm: samltest.AES128GCM, Placement: samltest.KeyRetrievalMethod},
		"key beside, unreferenced": {Algorithm: samltest.AES256CBC, Placement: samltest.KeySibling},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := ValidateResponse(spEncryptedResponse(t, cert, o), trust, baseExp(), testNow)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Encrypted || a.NameID != testNameID || a.Email() != testNameID || a.SignedElement != "Assertion" {
				t.Errorf("identity %+v", a)
			}
		})
	}
}

func TestDecryptRefusals(t *testing.T) {
	cert, trust := spEncryption(t)
	good := spEncryptedResponse(t, cert, samltest.EncryptOptions{Algorithm: samltest.AES128GCM, Placement: samltest.KeyRetrievalMethod})
	setAttr := func(path, attr, v string) []byte {
		return tamper(t, good, func(r *etree.Element) { el(t, r, path).CreateAttr(attr, v) })
	}
	rsa15, err := samltest.EncryptAssertion(signedResponse(t, baseOpts()), cert, samltest.AES256GCM, samltest.RSA15)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		raw  []byte
		want Reason
	}{
		{"RSA-1_5 key transport", rsa15, ReasonEncryptionAlgorithmForbidden},
		{"3DES content", setAttr(".//EncryptedData/EncryptionMethod", "Algorithm", "http://www.w3.org/2001/04/xmlenc#tripledes-cbc"), ReasonEncryptionAlgorithmForbidden},
		{"unknown key transport", setAttr(".//EncryptedKey/EncryptionMethod", "Algorithm", "http://www.w3.org/2001/04/xmlenc#kw-aes128"), ReasonEncryptionAlgorithmForbidden},
		{"MD5 OAEP digest", tamper(t, good, func(r *etree.Element) {
			d := el(t, r, ".//EncryptedKey/EncryptionMethod").CreateElement("ds:DigestMethod")
			d.CreateAttr("xmlns:ds", nsDSig)
			d.CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#md5")
		}), ReasonEncryptionAlgorithmForbidden},
		{"Type Content", setAttr(".//EncryptedData", "Type", "http://www.w3.org/2001/04/xmlenc#Content"), ReasonEncryptionAlgorithmForbidden},
		{"wrong OAEP digest declared", tamper(t, good, func(r *etree.Element) {
			d := el(t, r, ".//EncryptedKey/EncryptionMethod").CreateElement("ds:DigestMethod")
			d.CreateAttr("xmlns:ds", nsDSig)
			d.CreateAttr("Algorithm", digestSHA256)
		}), ReasonDecryptionFailed},
		{"declared AES-256 for a 128-bit key", setAttr(".//EncryptedData/EncryptionMethod", "Algorithm", EncAES256GCM), ReasonDecryptionFailed},
		{"declared CBC for GCM content", setAttr(".//EncryptedData/EncryptionMethod", "Algorithm", EncAES128CBC), ReasonDecryptionFailed},
		{"ciphertext bit flip", flipCipherValue(t, good, "EncryptedData", 40), ReasonDecryptionFailed},
		{"GCM tag bit flip", flipCipherValue(t, good, "EncryptedData", -1), ReasonDecryptionFailed},
		{"wrapped key bit flip", flipCipherValue(t, good, "EncryptedKey", 10), ReasonDecryptionFailed},
		{"RetrievalMethod to nothing", setAttr(".//RetrievalMethod", "URI", "#nope"), ReasonMalformedXML},
		{"RetrievalMethod outside the document", setAttr(".//RetrievalMethod", "URI", "https://evil.example/key"), ReasonXMLForbidden},
		{"no EncryptedKey", tamper(t, good, func(r *etree.Element) {
			ek := el(t, r, ".//EncryptedKey")
			ek.Parent().RemoveChild(ek)
		}), ReasonMalformedXML},
		{"CipherReference", tamper(t, good, func(r *etree.Element) {
			cd := el(t, r, ".//EncryptedData/CipherData")
			cd.RemoveChild(el(t, cd, "CipherValue"))
			cd.CreateElement("xenc:CipherReference").CreateAttr("URI", "https://evil.example/data")
		}), ReasonXMLForbidden},
		{"CipherValue not base64", tamper(t, good, func(r *etree.Element) { el(t, r, ".//EncryptedData/CipherData/CipherValue").SetText("!!!") }), ReasonBadBase64},
		{"stray element", tamper(t, good, func(r *etree.Element) { el(t, r, ".//EncryptedAssertion").CreateElement("saml:Extra") }), ReasonMalformedXML},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ValidateResponse(c.raw, trust, baseExp(), testNow)
			wantDecryptReason(t, err, c.want)
		})
	}
	t.Run("wrong SP key", func(t *testing.T) {
		other := *trust
		other.DecryptionKey = mdKey(t, 1)
		_, err := ValidateResponse(good, &other, baseExp(), testNow)
		wantDecryptReason(t, err, ReasonDecryptionFailed)
	})
	t.Run("no SP key", func(t *testing.T) {
		_, err := ValidateResponse(good, baseTrust(t), baseExp(), testNow)
		wantDecryptReason(t, err, ReasonNoDecryptionKey)
	})
}

// flipCipherValue flips one bit of byte i (negative: from the end) of the
// CipherValue of the first element named where.
func flipCipherValue(t *testing.T, raw []byte, where string, i int) []byte {
	return tamper(t, raw, func(r *etree.Element) {
		cv := el(t, r, ".//"+where+"/CipherData/CipherValue")
		b, err := base64.StdEncoding.DecodeString(cv.Text())
		if err != nil {
			t.Fatal(err)
		}
		if i < 0 {
			i += len(b)
		}
		b[i] ^= 0x01
		cv.SetText(base64.StdEncoding.EncodeToString(b))
	})
}

// encryptedElement wraps an EncryptedAssertion for plain into a Response
// that declares the saml prefix, and returns the EncryptedAssertion.
func encryptedElement(t *testing.T, cert *x509.Certificate, plain string, o samltest.EncryptOptions) *etree.Element {
	t.Helper()
	ea, err := samltest.EncryptedAssertionElement([]byte(plain), cert, o)
	if err != nil {
		t.Fatal(err)
	}
	ea.RemoveAttr("xmlns:saml")
	resp := etree.NewElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", nsProtocol)
	resp.CreateAttr("xmlns:saml", nsAssertion)
	resp.CreateAttr("xmlns:xs", "http://www.w3.org/2001/XMLSchema")
	resp.AddChild(ea)
	return ea
}

func TestDecryptPlaintextChecks(t *testing.T) {
	cert, trust := spEncryption(t)
	// The IdP relied on the Response's saml prefix when encrypting.
	ea := encryptedElement(t, cert, `<saml:Assertion ID="_a"><saml:Issuer>x</saml:Issuer></saml:Assertion>`, samltest.EncryptOptions{Algorithm: samltest.AES128CBC})
	out, err := decryptAssertion(ea, trust.DecryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkXMLSafety(out); err != nil {
		t.Fatalf("decrypted assertion does not stand alone: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), `<saml:Assertion xmlns:saml="`+nsAssertion+`" xmlns:samlp="`+nsProtocol+`" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_a">`) {
		t.Errorf("declarations not inherited: %s", out)
	}
	// A self-contained assertion is returned byte for byte.
	const own = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:samlp="x" xmlns:xs="y" ID="_b"/>`
	if out, err := decryptAssertion(encryptedElement(t, cert, own, samltest.EncryptOptions{}), trust.DecryptionKey); err != nil || string(out) != own {
		t.Errorf("got %s %v", out, err)
	}
	withDecl := `<?xml version="1.0" encoding="UTF-8"?>` + own
	if out, err := decryptAssertion(encryptedElement(t, cert, withDecl, samltest.EncryptOptions{}), trust.DecryptionKey); err != nil || string(out) != withDecl {
		t.Errorf("XML declaration: got %s %v", out, err)
	}
	bad := map[string]string{
		"late XML declaration":   " " + withDecl,
		"processing instruction": `<?php echo 1; ?>` + own,
		"two assertions":         own + own,
		"not an assertion":       `<saml:Response xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>`,
		"assertion elsewhere":    `<Assertion xmlns="urn:example:other"/>`,
		"undeclared prefix":      `<foo:Assertion/>`,
		"DOCTYPE":                `<!DOCTYPE x>` + own,
		"text around":            "junk" + own,
		"not XML":                "\x00\x01\x02",
		"truncated":              own[:20],
		"too deep":               `<saml:Assertion>` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</saml:Assertion>`,
	}
	for name, plain := range bad {
		_, err := decryptAssertion(encryptedElement(t, cert, plain, samltest.EncryptOptions{}), trust.DecryptionKey)
		var e *Error
		if !errors.As(err, &e) || e.Reason != ReasonDecryptionFailed {
			t.Errorf("%s: want decryption_failed, got %v", name, err)
		}
	}
	if _, err := decryptAssertion(ea, nil); err == nil {
		t.Error("decrypted without a key")
	}
}

// TestDecryptInheritedNamespaceEndToEnd: an Assertion signed inside the
// Response (prefix declared on the Response only), then encrypted without
// adding the declaration, still validates.
func TestDecryptInheritedNamespaceEndToEnd(t *testing.T) {
	cert, trust := spEncryption(t)
	signed := signedResponse(t, baseOpts())
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(signed); err != nil {
		t.Fatal(err)
	}
	a := el(t, doc.Root(), "Assertion")
	a.RemoveAttr("xmlns:saml") // the Response declares it too
	d := etree.NewDocument()
	d.SetRoot(a.Copy())
	plain, err := d.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(plain[:60]), "xmlns:saml") {
		t.Fatal("declaration still on the assertion")
	}
	ea, err := samltest.EncryptedAssertionElement(plain, cert, samltest.EncryptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ea.RemoveAttr("xmlns:saml")
	samltest.ReplaceChild(doc.Root(), a, ea)
	raw, err := samltest.Serialize(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ValidateResponse(raw, trust, baseExp(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Encrypted || got.NameID != testNameID {
		t.Errorf("identity %+v", got)
	}
}
