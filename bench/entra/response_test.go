package entra

import (
	"bytes"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

var testNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func testResponse(t *testing.T) (*IdP, []byte) {
	t.Helper()
	idp, err := NewIdP("https://sts.windows.net/"+TenantID+"/", "https://login.microsoftonline.com/"+TenantID+"/saml2")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := idp.Response(ResponseOptions{
		ResponseID: NewID(), AssertionID: NewID(), TenantID: TenantID,
		SPEntityID: "https://sso.example.com/api/sso/saml/x", ACSURL: "https://sso.example.com/api/sso/saml/x",
		IssueInstant: testNow, User: SampleUser(1, GroupIDs(20)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return idp, raw
}

// verify checks the assertion signature with goxmldsig, independently of
// how it was produced, and returns the verified assertion.
func verify(t *testing.T, idp *IdP, raw []byte) (*etree.Element, error) {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	a := doc.Root().FindElement("./Assertion")
	if a == nil {
		t.Fatal("no Assertion")
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{idp.Cert}})
	vc.Clock = dsig.NewFakeClockAt(testNow)
	return vc.Validate(a)
}

func TestResponseSignatureVerifies(t *testing.T) {
	idp, raw := testResponse(t)
	got, err := verify(t, idp, raw)
	if err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	if n := got.FindElement("./Subject/NameID"); n == nil || n.Text() != "adele.vance1@contoso.onmicrosoft.com" {
		t.Fatalf("NameID = %v", n)
	}
	if n := len(got.FindElements("./AttributeStatement/Attribute")); n != 13 {
		t.Fatalf("%d attributes, want 11 Entra claims + email + groups", n)
	}
	if n := len(got.FindElements("./AttributeStatement/Attribute[@Name='groups']/AttributeValue")); n != 20 {
		t.Fatalf("%d groups, want 20", n)
	}
	t.Logf("response: %d bytes of XML", len(raw))
}

func TestSignatureSitsAfterIssuer(t *testing.T) {
	_, raw := testResponse(t)
	i := bytes.Index(raw, []byte("<Assertion "))
	rest := string(raw[i:])
	if !strings.Contains(rest, `</Issuer><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>`) {
		t.Fatalf("Signature is not the Assertion's second child:\n%s", rest[:400])
	}
	if !strings.Contains(rest, `<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>`) {
		t.Fatal("not exclusive c14n")
	}
}

func TestTamperedResponseFailsVerification(t *testing.T) {
	idp, raw := testResponse(t)
	bad := bytes.Replace(raw, []byte("Adele Vance 1"), []byte("Adele Vance 2"), 1)
	if bytes.Equal(bad, raw) {
		t.Fatal("tamper did not change the response")
	}
	if _, err := verify(t, idp, bad); err == nil {
		t.Fatal("a tampered assertion verified")
	}
}

func TestMetadataCarriesSigningCert(t *testing.T) {
	idp, _ := testResponse(t)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(idp.Metadata()); err != nil {
		t.Fatal(err)
	}
	c := doc.FindElement("//IDPSSODescriptor/KeyDescriptor[@use='signing']/KeyInfo/X509Data/X509Certificate")
	if c == nil {
		t.Fatal("no signing certificate")
	}
	if got := doc.Root().SelectAttrValue("entityID", ""); got != idp.EntityID {
		t.Fatalf("entityID = %q", got)
	}
}

func TestNoGroupsClaimForUserWithoutGroups(t *testing.T) {
	idp, _ := testResponse(t)
	raw, err := idp.Response(ResponseOptions{
		ResponseID: NewID(), AssertionID: NewID(), TenantID: TenantID,
		SPEntityID: "https://sp", ACSURL: "https://sp", IssueInstant: testNow, User: SampleUser(2, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := verify(t, idp, raw)
	if err != nil {
		t.Fatal(err)
	}
	if g := got.FindElement("./AttributeStatement/Attribute[@Name='groups']"); g != nil {
		t.Fatal("groups claim present for a user in no group")
	}
	if n := len(got.FindElements("./AttributeStatement/Attribute")); n != 12 {
		t.Fatalf("%d attributes, want 12", n)
	}
}
