package web

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"
	"time"

	dsig "github.com/russellhaering/goxmldsig"
)

// The signed HTTP-Redirect query must carry the very LogoutRequest that is
// acted on. An attacker who holds any message the IdP signed for the
// Redirect binding (a LogoutRequest for themselves, or a LogoutResponse)
// must not be able to add an unsigned SAMLRequest naming someone else:
// through a percent-encoded parameter name (which the form parser decodes
// but the signature check keeps apart) or next to a signed SAMLResponse.
func TestIdPSignedRedirectLogoutRejectsSmuggledRequest(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	victim := e.newClient()
	e.signIn(victim, "ray@example.com", "").Body.Close()

	now := time.Now()
	forged := url.QueryEscape(redirectValue(t, e.logoutXML("nameid-ray@example.com", "", now)))
	ownSigned := signedRedirectQuery(t, e.idp.Key, e.logoutXML("nameid-mallory@example.com", "", now), "abc")
	// A signed LogoutResponse-shaped query: the same bytes, under SAMLResponse.
	respSigned := signedRedirectQueryParam(t, e.idp.Key, "SAMLResponse", e.logoutXML("nameid-mallory@example.com", "", now), "abc")
	for name, q := range map[string]string{
		"encoded name first": "SAML%52equest=" + forged + "&" + ownSigned,
		"beside a response":  "SAMLRequest=" + forged + "&" + respSigned,
	} {
		resp := e.get(e.newClient(), "/api/sso/saml/"+e.cfg.ID+"/slo?"+q)
		body(t, resp)
		if resp.StatusCode == http.StatusFound && !e.signedIn(victim) {
			t.Fatalf("%s: an unsigned SAMLRequest beside a signed message ended the victim's session", name)
		}
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
	}
	if !e.signedIn(victim) {
		t.Error("the victim's session ended")
	}
}

// signedRedirectQueryParam is signedRedirectQuery with the message under
// param (SAMLRequest or SAMLResponse).
func signedRedirectQueryParam(t *testing.T, key *rsa.PrivateKey, param, msg, relayState string) string {
	t.Helper()
	q := param + "=" + url.QueryEscape(redirectValue(t, msg)) + "&RelayState=" + url.QueryEscape(relayState) +
		"&SigAlg=" + url.QueryEscape(dsig.RSASHA256SignatureMethod)
	sum := sha256.Sum256([]byte(q))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	must(t, err)
	return q + "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
}
