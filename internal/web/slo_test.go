package web

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// redirectValue encodes msg for the HTTP-Redirect binding (deflate + base64).
func redirectValue(t *testing.T, msg string) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	must(t, err)
	_, err = w.Write([]byte(msg))
	must(t, err)
	must(t, w.Close())
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// idpLogoutRequest is a LogoutRequest as the IdP would send it.
func (e *testEnv) idpLogoutRequest(issuer, nameID string) string {
	return fmt.Sprintf(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="%s" Destination="%s/slo"><saml:Issuer>%s</saml:Issuer><saml:NameID>%s</saml:NameID></samlp:LogoutRequest>`,
		time.Now().UTC().Format(time.RFC3339), e.acs(), issuer, nameID)
}

func TestSPInitiatedLogoutGoesToIdP(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.signIn(e.client, "pam@example.com", "").Body.Close()
	old := e.cookie(e.client, sessionCookie)
	resp := e.postForm(e.client, "/logout/acme", url.Values{"csrf": {e.csrfFrom(e.client, "/w/acme")}})
	body(t, resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(t, err)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), e.idp.SLOURL+"?") {
		t.Fatalf("logout: %d to %q, want the IdP's SLO endpoint", resp.StatusCode, loc)
	}
	raw, err := saml.DecodeRedirectValue(loc.Query().Get("SAMLRequest"), 64<<10)
	must(t, err)
	lr, err := saml.ParseLogoutRequest(raw)
	must(t, err)
	if lr.NameID != "nameid-pam@example.com" || lr.Issuer != e.acs() {
		t.Errorf("LogoutRequest NameID %q issuer %q", lr.NameID, lr.Issuer)
	}
	replay := e.newClient()
	u, _ := url.Parse(e.srv.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{old})
	if resp := e.get(replay, "/w/acme"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session still valid after logout: %d", resp.StatusCode)
	}
	// The IdP's answer lands on the sign-in page with a notice.
	answer := fmt.Sprintf(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_ans" Version="2.0" IssueInstant="%s" InResponseTo="%s"><saml:Issuer>%s</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`,
		time.Now().UTC().Format(time.RFC3339), lr.ID, e.idp.EntityID)
	resp = e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/slo?SAMLResponse="+url.QueryEscape(redirectValue(t, answer)))
	body(t, resp)
	if resp.Header.Get("Location") != "/login/acme?notice=signed_out" {
		t.Errorf("LogoutResponse went to %q", resp.Header.Get("Location"))
	}
	if page := body(t, e.get(e.client, "/login/acme?notice=signed_out")); !strings.Contains(page, "You have been signed out.") {
		t.Error("no signed-out notice")
	}
}

// TestUnsignedLogoutRequestRefusedByDefault: any page can make a browser
// fetch the SLO URL with an unsigned LogoutRequest for its user's NameID
// (logout CSRF), so a config refuses unsigned requests unless it allows
// them, and the session survives.
func TestUnsignedLogoutRequestRefusedByDefault(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.signIn(e.client, "ray@example.com", "").Body.Close()
	unsigned := redirectValue(t, e.idpLogoutRequest(e.idp.EntityID, "nameid-ray@example.com"))
	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/slo?SAMLRequest="+url.QueryEscape(unsigned))
	body(t, resp)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned LogoutRequest (Redirect binding): %d, want 403", resp.StatusCode)
	}
	post, err := e.client.PostForm(e.srv.URL+"/api/sso/saml/"+e.cfg.ID+"/slo",
		url.Values{"SAMLRequest": {base64.StdEncoding.EncodeToString([]byte(e.idpLogoutRequest(e.idp.EntityID, "nameid-ray@example.com")))}})
	must(t, err)
	body(t, post)
	if post.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned LogoutRequest (POST binding): %d, want 403", post.StatusCode)
	}
	if resp := e.get(e.client, "/w/acme"); resp.StatusCode != http.StatusOK {
		t.Fatalf("an unsigned LogoutRequest ended the session: %d", resp.StatusCode)
	}
}

func TestIdPInitiatedLogoutEndsOnlyThisBrowsersSession(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.cfg.AllowUnsignedLogout = true // an IdP that cannot sign
	must(t, e.st.SaveSAMLConfig(t.Context(), e.cfg))
	e.signIn(e.client, "ray@example.com", "").Body.Close()
	second := e.newClient() // the same user in another browser
	e.signIn(second, "ray@example.com", "").Body.Close()
	if resp := e.get(second, "/w/acme"); resp.StatusCode != http.StatusOK {
		t.Fatalf("second browser not signed in: %d", resp.StatusCode)
	}

	bad := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/slo?SAMLRequest="+
		url.QueryEscape(redirectValue(t, e.idpLogoutRequest("https://not-the-idp.example", "nameid-ray@example.com"))))
	body(t, bad)
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("LogoutRequest from another issuer: %d, want 400", bad.StatusCode)
	}
	if resp := e.get(e.client, "/w/acme"); resp.StatusCode != http.StatusOK {
		t.Fatalf("a foreign LogoutRequest ended the session: %d", resp.StatusCode)
	}

	fwd, fwdSecond := e.cookie(e.client, forwardCookieName("acme")), e.cookie(second, forwardCookieName("acme"))
	resp := e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/slo?SAMLRequest="+
		url.QueryEscape(redirectValue(t, e.idpLogoutRequest(e.idp.EntityID, "nameid-ray@example.com")))+"&RelayState=abc")
	body(t, resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(t, err)
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), e.idp.SLOURL+"?") ||
		loc.Query().Get("SAMLResponse") == "" || loc.Query().Get("RelayState") != "abc" {
		t.Fatalf("IdP-initiated logout answer: %d to %q", resp.StatusCode, loc)
	}
	raw, err := saml.DecodeRedirectValue(loc.Query().Get("SAMLResponse"), 64<<10)
	must(t, err)
	info, err := saml.ParseLogoutResponse(raw)
	must(t, err)
	if info.InResponseTo != "_lr1" || info.Status != saml.StatusSuccess {
		t.Errorf("LogoutResponse %+v", info)
	}
	if resp := e.get(e.client, "/w/acme"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("this browser is still signed in: %d", resp.StatusCode)
	}
	if resp := e.get(second, "/w/acme"); resp.StatusCode != http.StatusOK {
		t.Errorf("an unsigned LogoutRequest ended another browser's session: %d", resp.StatusCode)
	}
	// The forward-auth cookie ends with its session, and only with it.
	for _, c := range []struct {
		cookie *http.Cookie
		want   int
	}{{fwd, http.StatusUnauthorized}, {fwdSecond, http.StatusOK}} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/auth/forward/acme", nil)
		req.AddCookie(&http.Cookie{Name: c.cookie.Name, Value: c.cookie.Value})
		resp, err := e.newClient().Do(req)
		must(t, err)
		body(t, resp)
		if resp.StatusCode != c.want {
			t.Errorf("forward check after single logout: %d, want %d", resp.StatusCode, c.want)
		}
	}
}
