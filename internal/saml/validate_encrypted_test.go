package saml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// layoutEncrypted builds a response for o, signs the assertion if
// signAssertion, encrypts it for the SP, then signs the Response if
// signResponse: the order a real IdP uses.
func layoutEncrypted(t testing.TB, o samltest.ResponseOptions, signAssertion, signResponse bool, eo samltest.EncryptOptions) []byte {
	t.Helper()
	idp, _ := idps(t)
	cert, _ := spEncryption(t)
	doc := idp.BuildResponse(o)
	if signAssertion {
		a := el(t, doc.Root(), "./Assertion")
		signed, err := idp.SignElement(a, "")
		if err != nil {
			t.Fatal(err)
		}
		samltest.ReplaceChild(doc.Root(), a, signed)
	}
	if err := samltest.EncryptAssertionInDoc(doc, cert, eo); err != nil {
		t.Fatal(err)
	}
	if signResponse {
		signed, err := idp.SignElement(doc.Root(), "")
		if err != nil {
			t.Fatal(err)
		}
		doc.SetRoot(signed)
	}
	raw, err := samltest.Serialize(doc)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestEncryptedAssertionAccepted(t *testing.T) {
	for _, c := range []struct {
		name                    string
		signAssertion, signResp bool
		want                    string
		eo                      samltest.EncryptOptions
	}{
		{"assertion signed, GCM", true, false, "Assertion", samltest.EncryptOptions{}},
		{"assertion signed, CBC, key by reference", true, false, "Assertion", samltest.EncryptOptions{Algorithm: samltest.AES128CBC, Placement: samltest.KeyRetrievalMethod}},
		{"response signed only", false, true, "Response", samltest.EncryptOptions{}},
		{"both signed", true, true, "Response+Assertion", samltest.EncryptOptions{KeyTransport: samltest.RSAOAEP, Digest: samltest.DigestSHA256, MGF: samltest.MGF1SHA256}},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := layoutEncrypted(t, baseOpts(), c.signAssertion, c.signResp, c.eo)
			a, err := ValidateResponse(raw, encTrustOnly(t), baseExp(), testNow)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Encrypted || a.NameID != testNameID || a.SignedElement != c.want || len(a.Attributes) != 2 {
				t.Fatalf("got %+v", a)
			}
		})
	}
}

func TestEncryptedAssertionRejections(t *testing.T) {
	t.Run("nothing signed", func(t *testing.T) {
		raw := layoutEncrypted(t, baseOpts(), false, false, samltest.EncryptOptions{})
		_, err := ValidateResponse(raw, encTrustOnly(t), baseExp(), testNow)
		wantReason(t, err, ReasonSignatureMissing)
	})
	t.Run("no SP key", func(t *testing.T) {
		raw := layoutEncrypted(t, baseOpts(), true, false, samltest.EncryptOptions{})
		wantRejected(t, raw, ReasonNoDecryptionKey)
	})
	t.Run("decrypted assertion goes through the same checks", func(t *testing.T) {
		o := baseOpts()
		o.SPEntityID = "https://other.example.com"
		raw := layoutEncrypted(t, o, true, false, samltest.EncryptOptions{})
		exp := baseExp()
		_, err := ValidateResponse(raw, encTrustOnly(t), exp, testNow)
		wantReason(t, err, ReasonSPNameQualifierMismatch)
	})
	t.Run("response signature covers the ciphertext", func(t *testing.T) {
		raw := layoutEncrypted(t, baseOpts(), false, true, samltest.EncryptOptions{})
		tampered := tamper(t, raw, func(root *etree.Element) {
			cv := el(t, root, "./EncryptedAssertion/EncryptedData/CipherData/CipherValue")
			cv.SetText("AAAA" + cv.Text()[4:])
		})
		_, err := ValidateResponse(tampered, encTrustOnly(t), baseExp(), testNow)
		wantReason(t, err, ReasonDigestMismatch)
	})
	t.Run("signed assertion wrapped next to the encrypted one", func(t *testing.T) {
		raw := layoutEncrypted(t, baseOpts(), true, false, samltest.EncryptOptions{})
		plain := signedResponse(t, baseOpts())
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(plain); err != nil {
			t.Fatal(err)
		}
		extra := el(t, doc.Root(), "./Assertion")
		wrapped := tamper(t, raw, func(root *etree.Element) { root.AddChild(extra.Copy()) })
		_, err := ValidateResponse(wrapped, encTrustOnly(t), baseExp(), testNow)
		wantReason(t, err, ReasonMultipleAssertions)
	})
}

func encTrustOnly(t testing.TB) *TrustConfig {
	_, trust := spEncryption(t)
	return trust
}
