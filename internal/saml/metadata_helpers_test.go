package saml

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"
)

// mdKeys are RSA keys shared by the metadata and protocol tests, each made
// on first use (key generation is the slow part; two cores are shared by
// everyone). Index -1 is a 1024-bit key for refusal tests.
var mdKeys [3]struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

func mdKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	bits := 2048
	if i < 0 {
		i, bits = len(mdKeys)-1, 1024
	}
	k := &mdKeys[i]
	k.once.Do(func() { k.key, k.err = rsa.GenerateKey(rand.Reader, bits) })
	if k.err != nil {
		t.Fatal(k.err)
	}
	return k.key
}

// mdCert makes a self-signed certificate valid until notAfter.
func mdCert(t testing.TB, key *rsa.PrivateKey, cn string, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    notAfter.AddDate(-3, 0, 0),
		NotAfter:     notAfter,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func b64Cert(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }

// keyDescriptor is a KeyDescriptor element (use "" = no use attribute)
// holding the given certificates.
func keyDescriptor(use string, certs ...*x509.Certificate) string {
	var b strings.Builder
	b.WriteString("<md:KeyDescriptor")
	if use != "" {
		fmt.Fprintf(&b, " use=%q", use)
	}
	b.WriteString("><ds:KeyInfo><ds:X509Data>")
	for _, c := range certs {
		fmt.Fprintf(&b, "<ds:X509Certificate>%s</ds:X509Certificate>", b64Cert(c))
	}
	b.WriteString("</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>")
	return b.String()
}

// idpEntity is an EntityDescriptor with an IDPSSODescriptor holding inner
// (key descriptors, endpoints) verbatim.
func idpEntity(entityID, inner string) string {
	return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="` + entityID + `">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + inner + `</md:IDPSSODescriptor>
</md:EntityDescriptor>`
}

const (
	ssoRedirect = `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/redirect"/>`
	ssoPost     = `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso/post"/>`
	sloRedirect = `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>`
)

// simpleMetadata is valid metadata for one IdP with one signing key.
func simpleMetadata(t testing.TB, entityID string) string {
	t.Helper()
	c := mdCert(t, mdKey(t, 0), "idp "+entityID, time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC))
	return idpEntity(entityID, keyDescriptor("signing", c)+sloRedirect+ssoRedirect+ssoPost)
}
