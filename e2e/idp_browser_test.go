package e2e

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// acsRecorder is a stand-in service provider endpoint that only records
// what the browser posts; it lets the IdP harness be tested in a real
// browser before (and independently of) Gatehouse's own ACS.
type acsRecorder struct {
	mu    sync.Mutex
	posts int
}

func (a *acsRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	_, _ = io.Copy(io.Discard, r.Body)
	a.mu.Lock()
	a.posts++
	a.mu.Unlock()
	_, _ = io.WriteString(w, "<!doctype html><title>ACS</title><p>captured</p>")
}

// count is how many POSTs arrived.
func (a *acsRecorder) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.posts
}

// attributes decodes a base64 SAMLResponse and returns its attribute
// statement (name -> values) and the NameID.
func attributes(t *testing.T, b64 string) (map[string][]string, string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("SAMLResponse is not base64: %v", err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatalf("SAMLResponse is not XML: %v", err)
	}
	if doc.FindElement("//Assertion/Signature") == nil && doc.FindElement("/Response/Signature") == nil {
		t.Errorf("SAMLResponse carries no signature")
	}
	out := map[string][]string{}
	for _, a := range doc.FindElements("//Attribute") {
		for _, v := range a.SelectElements("AttributeValue") {
			out[a.SelectAttrValue("Name", "")] = append(out[a.SelectAttrValue("Name", "")], v.Text())
		}
	}
	nameID := ""
	if n := doc.FindElement("//Assertion/Subject/NameID"); n != nil {
		nameID = n.Text()
	}
	return out, nameID
}

// The IdP harness in a real browser: IdP-initiated login at SimpleSAMLphp,
// the signed response posted to the SP carries the user's attributes with
// multi-valued groups; after SetUsers the next login carries the new
// groups (the IdP re-reads its users per request, no restart).
func TestIdPHarnessInBrowser(t *testing.T) {
	requireDeps(t)
	rec := &acsRecorder{}
	sp := httptest.NewServer(rec)
	t.Cleanup(sp.Close)
	acs := sp.URL + "/api/sso/saml/harness"
	alice := idp.User{Username: "alice", Password: "alice-pw", Email: "alice@example.com",
		GivenName: "Alice", Surname: "Liddell", Groups: []string{"engineering", "8a5d3f0e-1c2b-4d6e-9f70-112233445566"}}
	p := startIdP(t, []idp.User{alice})
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"IDP_START_URL": p.InitiatedURL(acs, "/w/demo"), "ACS_URL": acs,
		"IDP_USER": alice.Username, "IDP_PASSWORD": alice.Password}

	login := func(wantGroups []string) {
		t.Helper()
		r := runJourney(t, "idp_login.mjs", env)
		validateWithGatehouse(t, p, acs, str(t, r, "samlResponse"), wantGroups)
		attrs, nameID := attributes(t, str(t, r, "samlResponse"))
		if got := attrs["email"]; !slices.Equal(got, []string{alice.Email}) {
			t.Errorf("email = %v, want [%s]", got, alice.Email)
		}
		if got := attrs["groups"]; !slices.Equal(got, wantGroups) {
			t.Errorf("groups = %v, want %v", got, wantGroups)
		}
		if nameID == "" {
			t.Errorf("no NameID in the assertion")
		}
		if rs, _ := r["relayState"].(string); rs != "/w/demo" {
			t.Errorf("RelayState = %q, want /w/demo", rs)
		}
	}
	login(alice.Groups)

	alice.Groups = []string{"support"}
	if err := p.SetUsers([]idp.User{alice}); err != nil {
		t.Fatal(err)
	}
	login([]string{"support"})
	if n := rec.count(); n != 2 {
		t.Errorf("ACS saw %d posts, want 2", n)
	}
}

// validateWithGatehouse runs Gatehouse's own validator (internal/saml)
// over the real IdP's response, trusting only the IdP's published
// metadata: the interop check of the two, before any HTTP is involved.
// The same bytes against another audience must be refused.
func validateWithGatehouse(t *testing.T, p *idp.IdP, acs, b64 string, wantGroups []string) {
	t.Helper()
	md, err := p.Metadata(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	meta, err := saml.ParseIdPMetadata([]byte(md), "")
	if err != nil {
		t.Fatalf("Gatehouse cannot parse SimpleSAMLphp's metadata: %v", err)
	}
	raw, err := saml.DecodeResponse(b64, saml.DefaultMaxResponseSize)
	if err != nil {
		t.Fatal(err)
	}
	trust := &saml.TrustConfig{IdPEntityID: meta.EntityID, Certs: meta.SigningCerts}
	exp := &saml.Expectations{SPEntityID: acs, ACSURL: acs, AllowUnsolicited: true}
	a, err := saml.ValidateResponse(raw, trust, exp, time.Now())
	if err != nil {
		t.Fatalf("Gatehouse rejects SimpleSAMLphp's response: %v", err)
	}
	var groups []string
	for _, at := range a.Attributes {
		if at.Name == "groups" {
			groups = at.Values
		}
	}
	if !slices.Equal(groups, wantGroups) || a.NameID == "" || a.Issuer != p.EntityID() {
		t.Errorf("validated assertion: issuer %q NameID %q groups %v; want issuer %q, a NameID, groups %v",
			a.Issuer, a.NameID, groups, p.EntityID(), wantGroups)
	}
	other := *exp
	other.SPEntityID = acs + "-other"
	var se *saml.Error
	if _, err := saml.ValidateResponse(raw, trust, &other, time.Now()); !errors.As(err, &se) {
		t.Errorf("response accepted for another audience (err %v)", err)
	}
}
