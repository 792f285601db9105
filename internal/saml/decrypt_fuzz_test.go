package saml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// FuzzDecryptAssertion feeds mutated EncryptedAssertion documents to the
// decrypter with the right key. Invariants: no panic, every failure is an
// *Error, and whatever decrypts is one Assertion that stands alone.
func FuzzDecryptAssertion(f *testing.F) {
	key := mdKey(f, 0) // not spEncryption: that also makes the IdP keys
	cert := mdCert(f, key, "fuzz", testNow.AddDate(1, 0, 0))
	for _, o := range []samltest.EncryptOptions{
		{Algorithm: samltest.AES128GCM},
		{Algorithm: samltest.AES128CBC, Placement: samltest.KeyRetrievalMethod, KeyTransport: samltest.RSAOAEP, Digest: samltest.DigestSHA256},
	} {
		ea, err := samltest.EncryptedAssertionElement([]byte(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"/>`), cert, o)
		if err != nil {
			f.Fatal(err)
		}
		doc := etree.NewDocument()
		doc.SetRoot(ea)
		b, err := doc.WriteToBytes()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc := etree.NewDocument()
		doc.ReadSettings.MaxDepth = MaxXMLDepth
		if len(raw) > 1<<16 || doc.ReadFromBytes(raw) != nil || doc.Root() == nil {
			return
		}
		out, err := decryptAssertion(doc.Root(), key)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if err := checkXMLSafety(out); err != nil {
			t.Fatalf("decrypted output does not stand alone: %v", err)
		}
	})
}
