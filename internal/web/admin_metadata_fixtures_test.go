package web

import (
	"crypto/rand"
	"crypto/rsa"
	"regexp"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// goodMetadata is the samltest IdP's metadata (RSA-2048, Redirect + POST).
func goodMetadata(t *testing.T) (*samltest.IdP, string) {
	t.Helper()
	idp, err := samltest.NewIdP("https://idp.example.com/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	return idp, string(idp.MetadataXML())
}

// badMetadata are pastes the page must refuse, with a fragment of the
// message the admin must see.
func badMetadata(t *testing.T) map[string]struct{ xml, want string } {
	t.Helper()
	_, good := goodMetadata(t)
	noKey := regexp.MustCompile(`(?s)<md:KeyDescriptor.*?</md:KeyDescriptor>`).ReplaceAllString(good, "")
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weak, err := samltest.NewIdP("https://weak.example.com/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	if weak.Cert, err = samltest.SelfSignedCert(key, "weak IdP"); err != nil {
		t.Fatal(err)
	}
	weak.Key = key
	return map[string]struct{ xml, want string }{
		"truncated":       {good[:len(good)/2], "line "},
		"sp metadata":     {spMetadata, "IDPSSODescriptor"},
		"no signing cert": {noKey, "certificate"},
		"1024-bit key":    {string(weak.MetadataXML()), "2048"},
		"not xml at all":  {"hello", "line "},
	}
}

// spMetadata is a service provider's metadata: what an admin pastes when
// they copy the wrong document.
const spMetadata = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com/saml">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs" index="0"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>`
