package idp

import (
	"context"
	"encoding/xml"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// requireIdP skips (locally) or fails (CI=true) when SimpleSAMLphp cannot
// run here, and otherwise starts one with the given users.
func requireIdP(t *testing.T, users []User) *IdP {
	t.Helper()
	if why := Missing(DefaultSimpleSAMLphpDir); why != "" {
		testenv.Missing(t, "the SimpleSAMLphp IdP tests: "+why+" (run e2e/setup.sh)")
	}
	p, err := Start(Options{Dir: t.TempDir(), Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(p.LogTail(40))
		}
		p.Stop()
	})
	return p
}

// entityDescriptor is the part of the metadata the test checks.
type entityDescriptor struct {
	EntityID string `xml:"entityID,attr"`
	IDP      struct {
		Protocols string `xml:"protocolSupportEnumeration,attr"`
		Keys      []struct {
			Use  string `xml:"use,attr"`
			Cert string `xml:"KeyInfo>X509Data>X509Certificate"`
		} `xml:"KeyDescriptor"`
		SSO []struct {
			Binding  string `xml:"Binding,attr"`
			Location string `xml:"Location,attr"`
		} `xml:"SingleSignOnService"`
	} `xml:"IDPSSODescriptor"`
}

func TestIdPServesMetadataWithFreshSigningKey(t *testing.T) {
	p := requireIdP(t, []User{{Username: "alice", Password: "pw", Email: "alice@example.com"}})
	body, err := p.Metadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var md entityDescriptor
	if err := xml.Unmarshal([]byte(body), &md); err != nil {
		t.Fatalf("metadata does not parse: %v\n%s", err, body)
	}
	if md.EntityID != p.EntityID() {
		t.Errorf("entityID = %q, want %q", md.EntityID, p.EntityID())
	}
	if !strings.Contains(md.IDP.Protocols, "urn:oasis:names:tc:SAML:2.0:protocol") {
		t.Errorf("IDPSSODescriptor protocols = %q, want SAML 2.0", md.IDP.Protocols)
	}
	crt, err := os.ReadFile(p.Dir + "/" + certFile)
	if err != nil {
		t.Fatal(err)
	}
	pemBody := strings.Join(strings.Split(strings.TrimSpace(string(crt)), "\n")[1:], "")
	pemBody = strings.TrimSuffix(pemBody, "-----END CERTIFICATE-----")
	found := false
	for _, k := range md.IDP.Keys {
		if strings.Join(strings.Fields(k.Cert), "") == pemBody && k.Use != "encryption" {
			found = true
		}
	}
	if !found {
		t.Errorf("metadata does not carry the generated signing certificate")
	}
	redirect := false
	for _, s := range md.IDP.SSO {
		if s.Binding == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" && s.Location == p.BaseURL+SSOServicePath {
			redirect = true
		}
	}
	if !redirect {
		t.Errorf("no HTTP-Redirect SingleSignOnService at %s: %+v", p.BaseURL+SSOServicePath, md.IDP.SSO)
	}
}

// An IdP-initiated start for an SP the IdP does not know must fail, and the
// same URL must lead to the login form once the SP is registered: proof
// that sps.json is re-read per request.
func TestRegisterSPTakesEffectWithoutRestart(t *testing.T) {
	p := requireIdP(t, []User{{Username: "alice", Password: "pw", Email: "alice@example.com"}})
	const acs = "http://127.0.0.1:9/api/sso/saml/test"
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func() *http.Response {
		resp, err := client.Get(p.InitiatedURL(acs, "/w/x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// SimpleSAMLphp answers an unknown SP with its error page (status 200),
	// never with a redirect to the login form.
	if resp := get(); resp.StatusCode == http.StatusFound {
		t.Fatalf("unknown SP: redirected to %q, want the error page", resp.Header.Get("Location"))
	}
	if err := p.RegisterSP(SP{EntityID: acs, ACS: acs}); err != nil {
		t.Fatal(err)
	}
	resp := get()
	if resp.StatusCode != http.StatusFound || !strings.Contains(resp.Header.Get("Location"), "loginuserpass") {
		t.Fatalf("registered SP: status %s location %q, want a redirect to the login form",
			resp.Status, resp.Header.Get("Location"))
	}
}

func TestSetUsersRejectsBadNames(t *testing.T) {
	if err := writeUsers(t.TempDir(), []User{{Username: "a:b", Password: "x"}}); err == nil {
		t.Error("username with ':' accepted")
	}
	if err := writeUsers(t.TempDir(), []User{{Username: "a"}}); err == nil {
		t.Error("user without password accepted")
	}
}

func TestPHPStringEscapes(t *testing.T) {
	for in, want := range map[string]string{`a`: `'a'`, `it's`: `'it\'s'`, `c:\x`: `'c:\\x'`} {
		if got := phpString(in); got != want {
			t.Errorf("phpString(%q) = %s, want %s", in, got, want)
		}
	}
}

// The SSO service is published with both bindings (Redirect first), so a
// test can give Gatehouse metadata that offers only HTTP-POST.
func TestMetadataOffersRedirectAndPostSSO(t *testing.T) {
	p := requireIdP(t, []User{{Username: "alice", Password: "pw", Email: "alice@example.com"}})
	body, err := p.Metadata(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var md entityDescriptor
	if err := xml.Unmarshal([]byte(body), &md); err != nil {
		t.Fatal(err)
	}
	var bindings []string
	for _, s := range md.IDP.SSO {
		bindings = append(bindings, s.Binding)
	}
	want := []string{"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"}
	if strings.Join(bindings, " ") != strings.Join(want, " ") {
		t.Errorf("SSO bindings = %v, want %v", bindings, want)
	}
}
