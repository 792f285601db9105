package saml

import "testing"

// scanLayout on a root that is itself assertion-like (the differential
// tests call it on decrypted and mutated documents) rejects instead of
// dereferencing the missing parent.
func TestScanLayoutAssertionAtRoot(t *testing.T) {
	for _, doc := range []string{
		`<Assertion xmlns="urn:other"/>`,
		`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>`,
	} {
		root, err := parseSafeXML([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		_, err = scanLayout(root)
		wantReason(t, err, ReasonAssertionMisplaced)
	}
}
