package saml

import (
	"crypto/x509"
	"encoding/base64"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

const (
	testIdPEntity = "https://idp.example.com/metadata"
	testSPEntity  = "https://sso.example.com/api/sso/saml/5f0c"
	testACS       = "https://sso.example.com/api/sso/saml/5f0c"
	testRequestID = "_req-42"
	testNameID    = "alice@example.com"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// The IdPs are generated once per test binary: RSA key generation is slow.
var (
	idpOnce          sync.Once
	testIdP, evilIdP *samltest.IdP
	idpErr           error
)

func idps(t testing.TB) (*samltest.IdP, *samltest.IdP) {
	t.Helper()
	idpOnce.Do(func() {
		if testIdP, idpErr = samltest.NewIdP(testIdPEntity); idpErr == nil {
			evilIdP, idpErr = samltest.NewIdP(testIdPEntity)
		}
	})
	if idpErr != nil {
		t.Fatal(idpErr)
	}
	return testIdP, evilIdP
}

// baseOpts is a response that validates against baseTrust/baseExp at testNow.
func baseOpts() samltest.ResponseOptions {
	return samltest.ResponseOptions{
		SPEntityID: testSPEntity, ACSURL: testACS, InResponseTo: testRequestID,
		NameID: testNameID, NameIDFormat: NameIDFormatEmail, SessionIndex: "_sess-1",
		Attributes: map[string][]string{
			"email":  {testNameID},
			"groups": {"admins", "builders"},
		},
		Now: testNow.Add(-30 * time.Second),
	}
}

func baseTrust(t testing.TB) *TrustConfig {
	idp, _ := idps(t)
	return &TrustConfig{IdPEntityID: testIdPEntity, Certs: []*x509.Certificate{idp.Cert}}
}

func baseExp() *Expectations {
	return &Expectations{SPEntityID: testSPEntity, ACSURL: testACS, Requests: requests{testRequestID: true}}
}

// signedResponse is the IdP's signed response for o.
func signedResponse(t testing.TB, o samltest.ResponseOptions) []byte {
	t.Helper()
	idp, _ := idps(t)
	raw, err := idp.Response(o)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// built signs a document after edit changed it: the IdP really signed
// whatever edit produced.
func built(t testing.TB, o samltest.ResponseOptions, edit func(root *etree.Element)) []byte {
	t.Helper()
	idp, _ := idps(t)
	doc := idp.BuildResponse(o)
	edit(doc.Root())
	if !o.SignAssertion && !o.SignResponse {
		o.SignAssertion = true
	}
	raw, err := idp.SignDocument(doc, o.SignAssertion, o.SignResponse, o.SignatureMethod)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// tamper parses signed bytes, lets edit change the tree (after signing)
// and serializes it again.
func tamper(t testing.TB, raw []byte, edit func(root *etree.Element)) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	edit(doc.Root())
	out, err := samltest.Serialize(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// el finds the element at an etree path or fails the test.
func el(t testing.TB, root *etree.Element, path string) *etree.Element {
	t.Helper()
	e := root.FindElement(path)
	if e == nil {
		t.Fatalf("no element at %s", path)
	}
	return e
}

func validate(t testing.TB, raw []byte) (*Assertion, error) {
	t.Helper()
	return ValidateResponse(raw, baseTrust(t), baseExp(), testNow)
}

func mustAccept(t testing.TB, raw []byte) *Assertion {
	t.Helper()
	a, err := validate(t, raw)
	if err != nil {
		t.Fatalf("want accepted, got %v", err)
	}
	return a
}

func wantRejected(t testing.TB, raw []byte, r Reason) {
	t.Helper()
	_, err := validate(t, raw)
	wantReason(t, err, r)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func unixNano(n int64) time.Time { return time.Unix(0, n).UTC() }
