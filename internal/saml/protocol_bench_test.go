package saml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// BenchmarkParseIdPMetadataEntra parses Entra's tenant federation metadata
// (about 22 KiB, three certificates), as the web layer does when a config's
// cached runtime is rebuilt.
func BenchmarkParseIdPMetadataEntra(b *testing.B) {
	raw := readMDFixture(b, "entra/tenant-8b966979-2017-FederationMetadata.xml")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ParseIdPMetadata(raw, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptAssertion measures decrypting one AES-256-GCM /
// RSA-OAEP EncryptedAssertion with an RSA-2048 key (dominated by the RSA
// private-key operation).
func BenchmarkDecryptAssertion(b *testing.B) {
	key := mdKey(b, 0)
	cert := mdCert(b, key, "bench", testNow.AddDate(1, 0, 0))
	plain := []byte(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"><saml:Issuer>https://idp.example.com</saml:Issuer></saml:Assertion>`)
	ea, err := samltest.EncryptedAssertionElement(plain, cert, samltest.EncryptOptions{})
	if err != nil {
		b.Fatal(err)
	}
	doc := etree.NewDocument()
	doc.SetRoot(ea)
	for b.Loop() {
		if _, err := decryptAssertion(doc.Root(), key); err != nil {
			b.Fatal(err)
		}
	}
}
