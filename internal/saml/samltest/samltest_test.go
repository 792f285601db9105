package samltest

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

func verify(t *testing.T, el *etree.Element, cert *x509.Certificate) error {
	t.Helper()
	ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{cert}})
	ctx.Clock = dsig.NewFakeClockAt(cert.NotBefore.Add(time.Minute))
	_, err := ctx.Validate(el)
	return err
}

func TestResponseSignaturesVerify(t *testing.T) {
	idp, err := NewIdP("https://idp.example.com/metadata")
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewIdP("https://idp.example.com/metadata")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := idp.Response(ResponseOptions{SPEntityID: "sp", ACSURL: "https://sp/acs", NameID: "alice",
		SignAssertion: true, SignResponse: true, Attributes: map[string][]string{"b": {"2"}, "a": {"1"}}})
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	root := doc.Root()
	if err := verify(t, root, idp.Cert); err != nil {
		t.Fatalf("response signature: %v", err)
	}
	if err := verify(t, root, other.Cert); err == nil {
		t.Fatal("response verified with another IdP's certificate")
	}
	a := FindChild(root, "Assertion")
	if FindChild(a, "Signature").Index() != FindChild(a, "Issuer").Index()+1 {
		t.Fatal("assertion Signature is not right after Issuer")
	}
	if err := verify(t, a, idp.Cert); err != nil {
		t.Fatalf("assertion signature: %v", err)
	}
	names := a.FindElements("./AttributeStatement/Attribute")
	if len(names) != 2 || names[0].SelectAttrValue("Name", "") != "a" {
		t.Fatalf("attributes not in sorted order")
	}
}

func TestMetadataCarriesCertificate(t *testing.T) {
	idp, err := NewIdP("urn:test:idp")
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(idp.MetadataXML()); err != nil {
		t.Fatal(err)
	}
	if got := doc.Root().SelectAttrValue("entityID", ""); got != "urn:test:idp" {
		t.Fatalf("entityID %q", got)
	}
	x := doc.FindElement("//X509Certificate")
	der, err := base64.StdEncoding.DecodeString(x.Text())
	if err != nil || !bytes.Equal(der, idp.Cert.Raw) {
		t.Fatalf("metadata certificate differs from the IdP's: %v", err)
	}
	if n := len(doc.FindElements("//SingleSignOnService")); n != 2 {
		t.Fatalf("%d SingleSignOnService, want 2", n)
	}
	if !bytes.Contains(idp.CertPEM(), []byte("BEGIN CERTIFICATE")) {
		t.Fatal("CertPEM is not PEM")
	}
}
