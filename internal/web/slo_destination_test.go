package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// A signed LogoutRequest addressed to another SP's logout endpoint (another
// config trusting the same IdP) must not end sessions here: SAML bindings
// §3.4.5.2 / §3.5.5.2 require the Destination of a signed message to be
// the endpoint that received it.
func TestIdPSignedLogoutForAnotherDestinationIsRefused(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.signIn(e.client, "ray@example.com", "").Body.Close()
	elsewhere := strings.Replace(e.logoutXML("nameid-ray@example.com", "", time.Now()),
		`Destination="`+e.acs()+`/slo"`, `Destination="https://other.example.test/api/sso/saml/other-config/slo"`, 1)
	if !strings.Contains(elsewhere, "other-config") {
		t.Fatal("test setup: the Destination was not replaced")
	}
	resp := e.get(e.newClient(), "/api/sso/saml/"+e.cfg.ID+"/slo?"+signedRedirectQuery(t, e.idp.Key, elsewhere, "abc"))
	body(t, resp)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("signed Redirect LogoutRequest for another Destination: %d, want 400", resp.StatusCode)
	}
	if !e.signedIn(e.client) {
		t.Fatal("a signed Redirect LogoutRequest for another Destination ended the session")
	}
	if resp := e.postSLO(e.newClient(), e.signedPOSTValue(elsewhere)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("signed POST LogoutRequest for another Destination: %d, want 400", resp.StatusCode)
	}
	if !e.signedIn(e.client) {
		t.Error("a signed POST LogoutRequest for another Destination ended the session")
	}
}
