package web

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// signInWithIndex signs email in with a response carrying sessionIndex.
func (e *testEnv) signInWithIndex(c *http.Client, email, sessionIndex string) {
	e.t.Helper()
	id := e.startLogin(c, "")
	v, err := e.idp.ResponseBase64(samltest.ResponseOptions{SPEntityID: e.acs(), ACSURL: e.acs(), InResponseTo: id,
		NameID: "nameid-" + email, Attributes: emailAttrs(email), SessionIndex: sessionIndex})
	must(e.t, err)
	resp := e.postACS(c, v, "")
	body(e.t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign-in of %s: %d", email, resp.StatusCode)
	}
}

// logoutXML is an IdP LogoutRequest issued at issued; sessionIndex "" = none.
func (e *testEnv) logoutXML(nameID, sessionIndex string, issued time.Time) string {
	idx := ""
	if sessionIndex != "" {
		idx = "<samlp:SessionIndex>" + sessionIndex + "</samlp:SessionIndex>"
	}
	return fmt.Sprintf(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="%s" Destination="%s/slo"><saml:Issuer>%s</saml:Issuer><saml:NameID>%s</saml:NameID>%s</samlp:LogoutRequest>`,
		issued.UTC().Format(time.RFC3339), e.acs(), e.idp.EntityID, nameID, idx)
}

// signedRedirectQuery is the HTTP-Redirect query of msg signed with key
// (RSA-SHA256 over "SAMLRequest=..&RelayState=..&SigAlg=..", bindings
// §3.4.4.1), as an IdP sends it.
func signedRedirectQuery(t *testing.T, key *rsa.PrivateKey, msg, relayState string) string {
	t.Helper()
	q := "SAMLRequest=" + url.QueryEscape(redirectValue(t, msg)) + "&RelayState=" + url.QueryEscape(relayState) +
		"&SigAlg=" + url.QueryEscape(dsig.RSASHA256SignatureMethod)
	sum := sha256.Sum256([]byte(q))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	must(t, err)
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
}

// signedPOSTValue is msg with an enveloped signature by the test IdP,
// base64 for the HTTP-POST binding.
func (e *testEnv) signedPOSTValue(msg string) string {
	e.t.Helper()
	doc := etree.NewDocument()
	must(e.t, doc.ReadFromString(msg))
	el, err := e.idp.SignElement(doc.Root(), "")
	must(e.t, err)
	doc.SetRoot(el)
	raw, err := samltest.Serialize(doc)
	must(e.t, err)
	return base64.StdEncoding.EncodeToString(raw)
}

// postSLO posts a SAMLRequest cross-site, as an IdP's form does.
func (e *testEnv) postSLO(c *http.Client, samlRequest string) *http.Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.acs()+"/slo", strings.NewReader(url.Values{"SAMLRequest": {samlRequest}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://idp.example.test")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	must(e.t, err)
	body(e.t, resp)
	return resp
}

// signedIn reports whether browser c still has a session.
func (e *testEnv) signedIn(c *http.Client) bool {
	e.t.Helper()
	resp := e.get(c, "/w/acme")
	body(e.t, resp)
	return resp.StatusCode == http.StatusOK
}

// A signed HTTP-Redirect LogoutRequest ends the NameID's sessions in every
// browser (not only the one that carries it) and no one else's.
func TestIdPInitiatedSignedRedirectLogoutEndsAllSessions(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	second, other, carrier := e.newClient(), e.newClient(), e.newClient()
	e.signIn(e.client, "ray@example.com", "").Body.Close()
	e.signIn(second, "ray@example.com", "").Body.Close()
	e.signIn(other, "sue@example.com", "").Body.Close()

	q := signedRedirectQuery(t, e.idp.Key, e.logoutXML("nameid-ray@example.com", "", time.Now()), "abc")
	resp := e.get(carrier, "/api/sso/saml/"+e.cfg.ID+"/slo?"+q)
	body(t, resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(t, err)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), e.idp.SLOURL+"?") || loc.Query().Get("RelayState") != "abc" {
		t.Fatalf("signed logout answer: %d to %q", resp.StatusCode, loc)
	}
	if e.signedIn(e.client) || e.signedIn(second) {
		t.Error("a signed LogoutRequest left a session of its NameID")
	}
	if !e.signedIn(other) {
		t.Error("a signed LogoutRequest ended another user's session")
	}
	found := false
	for _, ev := range e.audit("logout") {
		found = found || (ev.Message == "signed out by the identity provider" && strings.Contains(string(ev.Details), `"sessions":2`))
	}
	if !found {
		t.Error("no audit event for the two sessions the IdP ended")
	}
}

// Signed with another key, tampered with after signing, or stale: the
// request is refused and no session ends (a bad signature never falls
// back to the unsigned behaviour).
func TestIdPInitiatedSignedLogoutRefusals(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.signIn(e.client, "ray@example.com", "").Body.Close()
	stranger, err := samltest.NewIdP(e.idp.EntityID)
	must(t, err)
	fresh := e.logoutXML("nameid-ray@example.com", "", time.Now())
	good := signedRedirectQuery(t, e.idp.Key, fresh, "abc")
	for name, q := range map[string]string{
		"other key":    signedRedirectQuery(t, stranger.Key, fresh, "abc"),
		"tampered":     strings.Replace(good, "RelayState=abc", "RelayState=abd", 1),
		"stale":        signedRedirectQuery(t, e.idp.Key, e.logoutXML("nameid-ray@example.com", "", time.Now().Add(-time.Hour)), "abc"),
		"no signature": strings.Split(good, "&Signature=")[0],
	} {
		resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/slo?"+q)
		body(t, resp)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
		if !e.signedIn(e.client) {
			t.Fatalf("%s: the session ended", name)
		}
	}
	post := e.signedPOSTValue(fresh)
	raw, _ := base64.StdEncoding.DecodeString(post)
	tampered := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), "nameid-ray@", "nameid-sue@", 1)))
	if resp := e.postSLO(e.newClient(), tampered); resp.StatusCode != http.StatusBadRequest || !e.signedIn(e.client) {
		t.Errorf("tampered POST: %d", resp.StatusCode)
	}
}

// A signed HTTP-POST LogoutRequest with a SessionIndex ends only the
// session of that index; an unsigned POST one (where the config accepts
// them) ends nothing it does not carry the cookie of.
func TestIdPInitiatedSignedPOSTLogoutBySessionIndex(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.cfg.AllowUnsignedLogout = true
	must(t, e.st.SaveSAMLConfig(t.Context(), e.cfg))
	second := e.newClient()
	e.signInWithIndex(e.client, "ray@example.com", "_idx-first")
	e.signInWithIndex(second, "ray@example.com", "_idx-second")

	unsigned := base64.StdEncoding.EncodeToString([]byte(e.logoutXML("nameid-ray@example.com", "_idx-first", time.Now())))
	if resp := e.postSLO(e.newClient(), unsigned); resp.StatusCode != http.StatusFound || !e.signedIn(e.client) {
		t.Fatalf("unsigned POST from another browser: %d, first session signed in: %v", resp.StatusCode, e.signedIn(e.client))
	}
	signed := e.signedPOSTValue(e.logoutXML("nameid-ray@example.com", "_idx-first", time.Now()))
	if resp := e.postSLO(e.newClient(), signed); resp.StatusCode != http.StatusFound {
		t.Fatalf("signed POST: %d", resp.StatusCode)
	}
	if e.signedIn(e.client) {
		t.Error("the session of the SessionIndex is still signed in")
	}
	if !e.signedIn(second) {
		t.Error("the session of another SessionIndex ended")
	}
}
