package saml

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

var reqNow = time.Date(2026, 4, 1, 9, 30, 0, 123e6, time.UTC)

// testSP is an SP with a signing key (RSA-2048, shared with the metadata
// tests) that does not sign by default.
func testSP(t testing.TB) *ServiceProvider {
	t.Helper()
	key := mdKey(t, 1)
	return &ServiceProvider{
		EntityID: "https://sso.example.com/api/sso/saml/cfg1", ACSURL: "https://sso.example.com/api/sso/saml/cfg1",
		SLOURL: "https://sso.example.com/api/sso/saml/cfg1/slo", SigningKey: key,
		SigningCert: mdCert(t, key, "gatehouse sp", reqNow.AddDate(2, 0, 0)),
	}
}

func testIdPMetadata(sso ...Endpoint) *IdPMetadata {
	return &IdPMetadata{EntityID: "https://idp.example.com", SSO: sso,
		SLO: []Endpoint{{BindingHTTPPost, "https://idp.example.com/slo-post"}, {BindingHTTPRedirect, "https://idp.example.com/slo"}}}
}

var (
	redirectSSO = Endpoint{BindingHTTPRedirect, "https://idp.example.com/sso?tenant=acme"}
	postSSO     = Endpoint{BindingHTTPPost, "https://idp.example.com/sso-post"}
)

func parseXMLRoot(t *testing.T, b []byte) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, b)
	}
	return doc.Root()
}

func TestNewAuthnRequestContent(t *testing.T) {
	sp := testSP(t)
	sp.NameIDFormat = NameIDFormatEmail
	r, err := sp.NewAuthnRequest(testIdPMetadata(postSSO, redirectSSO), reqNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Binding != BindingHTTPRedirect || r.Destination != redirectSSO.Location {
		t.Errorf("binding %s to %s, want Redirect preferred", r.Binding, r.Destination)
	}
	if !regexp.MustCompile(`^_[0-9a-f]{40}$`).MatchString(r.ID) {
		t.Errorf("ID %q", r.ID)
	}
	root := parseXMLRoot(t, r.XML)
	checks := map[string]string{
		"ID": r.ID, "Version": "2.0", "IssueInstant": "2026-04-01T09:30:00.123Z", "Destination": redirectSSO.Location,
		"ProtocolBinding": BindingHTTPPost, "AssertionConsumerServiceURL": sp.ACSURL,
	}
	if root.Tag != "AuthnRequest" || root.NamespaceURI() != nsProtocol {
		t.Fatalf("root %s", root.Tag)
	}
	for k, want := range checks {
		if got := root.SelectAttrValue(k, ""); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	iss := childElems(root, nsAssertion, "Issuer")
	if len(iss) != 1 || iss[0].Text() != sp.EntityID {
		t.Errorf("Issuer %v", iss)
	}
	pol := childElems(root, nsProtocol, "NameIDPolicy")
	if len(pol) != 1 || pol[0].SelectAttrValue("Format", "") != NameIDFormatEmail || pol[0].SelectAttrValue("AllowCreate", "") != "true" {
		t.Errorf("NameIDPolicy %v", pol)
	}
	if strings.Contains(string(r.XML), "RequestedAuthnContext") || strings.Contains(string(r.XML), "Signature") {
		t.Errorf("unexpected element:\n%s", r.XML)
	}
	r2, err := sp.NewAuthnRequest(testIdPMetadata(postSSO, redirectSSO), reqNow)
	if err != nil || r2.ID == r.ID {
		t.Errorf("IDs repeat: %q %q %v", r.ID, r2.ID, err)
	}
}

func TestNewAuthnRequestDefaultsAndErrors(t *testing.T) {
	sp := testSP(t)
	r, err := sp.NewAuthnRequest(testIdPMetadata(postSSO), reqNow)
	if err != nil {
		t.Fatal(err)
	}
	if r.Binding != BindingHTTPPost || r.Destination != postSSO.Location {
		t.Errorf("binding %s %s", r.Binding, r.Destination)
	}
	pol := childElems(parseXMLRoot(t, r.XML), nsProtocol, "NameIDPolicy")
	if pol[0].SelectAttrValue("Format", "") != NameIDFormatPersistent {
		t.Errorf("default format %q", pol[0].SelectAttrValue("Format", ""))
	}
	if _, err := sp.NewAuthnRequest(testIdPMetadata(Endpoint{"urn:oasis:names:tc:SAML:2.0:bindings:SOAP", "https://x"}), reqNow); err == nil {
		t.Error("request built without a usable SSO endpoint")
	}
	sp.SignRequests, sp.SigningKey = true, nil
	if _, err := sp.NewAuthnRequest(testIdPMetadata(postSSO), reqNow); err == nil {
		t.Error("signing on without key accepted")
	}
}

func TestAuthnRequestPostSigned(t *testing.T) {
	sp := testSP(t)
	sp.SignRequests = true
	r, err := sp.NewAuthnRequest(testIdPMetadata(postSSO), reqNow)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(r.PostValue())
	if err != nil || string(raw) != string(r.XML) {
		t.Fatalf("PostValue is not base64 of XML: %v", err)
	}
	root := parseXMLRoot(t, raw)
	kids := root.ChildElements()
	if len(kids) < 2 || kids[0].Tag != "Issuer" || kids[1].Tag != "Signature" {
		t.Fatalf("Signature must follow Issuer:\n%s", raw)
	}
	vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{sp.SigningCert}})
	vc.Clock = dsig.NewFakeClockAt(reqNow)
	if _, err := vc.Validate(root); err != nil {
		t.Fatalf("signature does not verify with the SP certificate: %v", err)
	}
	// The same request with one byte changed must not verify.
	tampered := parseXMLRoot(t, []byte(strings.Replace(string(raw), sp.ACSURL, sp.ACSURL+"x", 1)))
	if _, err := vc.Validate(tampered); err == nil {
		t.Fatal("tampered request verifies")
	}
	// Redirect requests are signed in the query, not in the XML.
	r, err = sp.NewAuthnRequest(testIdPMetadata(redirectSSO), reqNow)
	if err != nil || strings.Contains(string(r.XML), "Signature") {
		t.Fatalf("redirect XML signed or failed: %v", err)
	}
}

// verifyRedirect checks a Redirect-binding URL the way an IdP does: the
// signed octets are the raw (still URL-encoded) SAML parameters in the
// order SAMLRequest|SAMLResponse, RelayState, SigAlg.
func verifyRedirect(t *testing.T, u string, pub *rsa.PublicKey, param string) (msg []byte, q url.Values) {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]string{}
	for _, kv := range strings.Split(pu.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		raw[k] = v
	}
	q = pu.Query()
	if msg, err = DecodeRedirectValue(q.Get(param), 0); err != nil {
		t.Fatal(err)
	}
	if pub == nil {
		if q.Has("Signature") || q.Has("SigAlg") {
			t.Error("unsigned URL carries a signature")
		}
		return msg, q
	}
	signed := param + "=" + raw[param]
	if q.Has("RelayState") {
		signed += "&RelayState=" + raw["RelayState"]
	}
	signed += "&SigAlg=" + raw["SigAlg"]
	if q.Get("SigAlg") != SigAlgRSASHA256 {
		t.Errorf("SigAlg %q", q.Get("SigAlg"))
	}
	sig, err := base64.StdEncoding.DecodeString(q.Get("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(signed))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("query signature does not verify: %v", err)
	}
	tampered := sha256.Sum256([]byte(strings.Replace(signed, "SigAlg", "SigAlg=x&SigAlg", 1)))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, tampered[:], sig) == nil {
		t.Error("signature verifies over other octets")
	}
	return msg, q
}

func TestAuthnRequestRedirectURL(t *testing.T) {
	sp := testSP(t)
	r, err := sp.NewAuthnRequest(testIdPMetadata(redirectSSO), reqNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, signed := range []bool{false, true} {
		var key *rsa.PrivateKey
		var pub *rsa.PublicKey
		if signed {
			key, pub = sp.SigningKey, &sp.SigningKey.PublicKey
		}
		u, err := r.RedirectURL("/apps/1?x=a b&y=+", key)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u, "https://idp.example.com/sso?tenant=acme&SAMLRequest=") {
			t.Errorf("URL %s keeps neither the IdP query nor the parameter order", u)
		}
		msg, q := verifyRedirect(t, u, pub, "SAMLRequest")
		if string(msg) != string(r.XML) {
			t.Errorf("inflated request differs")
		}
		if q.Get("RelayState") != "/apps/1?x=a b&y=+" || q.Get("tenant") != "acme" {
			t.Errorf("query %v", q)
		}
	}
	u, err := r.RedirectURL("", nil)
	if err != nil || strings.Contains(u, "RelayState") {
		t.Errorf("empty RelayState sent: %s %v", u, err)
	}
}

func TestDecodeRedirectValue(t *testing.T) {
	deflated := func(b []byte) string {
		u, err := redirectURL("https://x", "M", b, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := url.Parse(u)
		return v.Query().Get("M")
	}
	msg := []byte("<samlp:LogoutRequest/>")
	good := deflated(msg)
	if got, err := DecodeRedirectValue(good, 100); err != nil || string(got) != string(msg) {
		t.Errorf("round trip: %q %v", got, err)
	}
	// '+' decoded to ' ' by a sloppy encoder, and wrapped lines.
	if got, err := DecodeRedirectValue(strings.ReplaceAll(good, "+", " ")[:10]+"\r\n"+good[10:], 100); err != nil || string(got) != string(msg) {
		t.Errorf("lenient decoding: %q %v", got, err)
	}
	bomb := deflated(make([]byte, 10<<20))
	if len(bomb) > 20<<10 {
		t.Fatalf("bomb too big to be a bomb: %d", len(bomb))
	}
	for name, v := range map[string]string{"bomb": bomb, "empty": "", "bad base64": "%%%", "not deflate": base64.StdEncoding.EncodeToString([]byte("plain text, not deflated")),
		"oversized input": strings.Repeat("A", 200<<10)} {
		if _, err := DecodeRedirectValue(v, 64<<10); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := DecodeRedirectValue(deflated(make([]byte, 101)), 100); err == nil {
		t.Error("one byte over the cap accepted")
	}
	if _, err := DecodeRedirectValue(deflated(make([]byte, 100)), 100); err != nil {
		t.Errorf("exactly the cap refused: %v", err)
	}
}

// TestAuthnRequestForRealIdPs builds requests from the fixtures' metadata:
// Entra offers HTTP-Redirect, Google and OneLogin only HTTP-POST.
func TestAuthnRequestForRealIdPs(t *testing.T) {
	cases := map[string]struct{ binding, dest string }{
		"entra/tenant-8b966979-2017-FederationMetadata.xml": {BindingHTTPRedirect, "https://login.microsoftonline.com/8b966979-910b-487c-a604-69229b1ac75c/saml2"},
		"google/crewjam-2016-idp-metadata.xml":              {BindingHTTPPost, "https://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1"},
		"onelogin/crewjam-2016-idp-metadata.xml":            {BindingHTTPPost, "https://app.onelogin.com/trust/saml2/http-post/sso/503983"},
	}
	sp := testSP(t)
	for file, want := range cases {
		md, err := ParseIdPMetadata(readMDFixture(t, file), "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := sp.NewAuthnRequest(md, reqNow)
		if err != nil {
			t.Fatal(err)
		}
		if r.Binding != want.binding || r.Destination != want.dest {
			t.Errorf("%s: %s to %s", file, r.Binding, r.Destination)
		}
		if r.Binding == BindingHTTPRedirect {
			u, err := r.RedirectURL("", nil)
			if err != nil || !strings.HasPrefix(u, want.dest+"?SAMLRequest=") {
				t.Errorf("%s: redirect URL %s %v", file, u, err)
			}
		}
	}
}
