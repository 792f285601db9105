package saml

import (
	"strings"
	"testing"
)

func TestLogoutRequestRoundTrip(t *testing.T) {
	sp := testSP(t)
	idp := testIdPMetadata(redirectSSO)
	lr, err := sp.NewLogoutRequest(idp, "alice@example.com", NameIDFormatEmail, "_sess-1", reqNow)
	if err != nil {
		t.Fatal(err)
	}
	if lr.Destination != "https://idp.example.com/slo" {
		t.Errorf("destination %q, want the Redirect SLO endpoint", lr.Destination)
	}
	for _, key := range []bool{false, true} {
		k, pub := sp.SigningKey, &sp.SigningKey.PublicKey
		if !key {
			k, pub = nil, nil
		}
		u, err := lr.RedirectURL("rs", k)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := verifyRedirect(t, u, pub, "SAMLRequest")
		got, err := ParseLogoutRequest(msg)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != lr.ID || got.Issuer != sp.EntityID || got.NameID != "alice@example.com" || got.NameIDFormat != NameIDFormatEmail ||
			got.SessionIndex != "_sess-1" || !got.IssueInstant.Equal(reqNow) || got.Destination != lr.Destination {
			t.Errorf("parsed %+v", got)
		}
	}
	lr, err = sp.NewLogoutRequest(idp, "opaque", "", "", reqNow)
	if err != nil || strings.Contains(string(lr.XML), "SessionIndex") || strings.Contains(string(lr.XML), "Format") {
		t.Errorf("optional parts written: %v\n%s", err, lr.XML)
	}
	if _, err := sp.NewLogoutRequest(idp, " ", "", "", reqNow); err == nil {
		t.Error("LogoutRequest without NameID")
	}
	idp.SLO = idp.SLO[:1] // POST only
	if _, err := sp.NewLogoutRequest(idp, "a", "", "", reqNow); err == nil {
		t.Error("LogoutRequest without a Redirect SLO endpoint")
	}
	if _, err := sp.NewLogoutResponse(idp, "_x", StatusSuccess, reqNow); err == nil {
		t.Error("LogoutResponse without a Redirect SLO endpoint")
	}
}

func TestLogoutResponseRoundTrip(t *testing.T) {
	sp := testSP(t)
	resp, err := sp.NewLogoutResponse(testIdPMetadata(redirectSSO), "_req-9", "", reqNow)
	if err != nil {
		t.Fatal(err)
	}
	u, err := resp.RedirectURL("back", sp.SigningKey)
	if err != nil {
		t.Fatal(err)
	}
	msg, q := verifyRedirect(t, u, &sp.SigningKey.PublicKey, "SAMLResponse")
	if q.Get("RelayState") != "back" {
		t.Errorf("RelayState %q", q.Get("RelayState"))
	}
	info, err := ParseLogoutResponse(msg)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != resp.ID || info.InResponseTo != "_req-9" || info.Status != StatusSuccess || info.Issuer != sp.EntityID {
		t.Errorf("parsed %+v", info)
	}
}

const idpLogoutRequest = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-04-01T09:30:00Z" Destination="https://sso.example.com/slo">
  <saml:Issuer>https://sts.windows.net/tenant/</saml:Issuer>
  <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">NAMEID</saml:NameID>
  <samlp:SessionIndex>_s1</samlp:SessionIndex>
  <samlp:SessionIndex>_s2</samlp:SessionIndex>
</samlp:LogoutRequest>`

func TestParseLogoutRequestFromIdP(t *testing.T) {
	lr, err := ParseLogoutRequest([]byte(strings.Replace(idpLogoutRequest, "NAMEID", "alice@<!-- c -->example.com", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if lr.NameID != "alice@example.com" || lr.Issuer != "https://sts.windows.net/tenant/" || lr.ID != "_lr1" || lr.SessionIndex != "_s1" || lr.NameIDFormat != NameIDFormatPersistent {
		t.Errorf("parsed %+v", lr)
	}
	bad := map[string]string{
		"DOCTYPE":          `<!DOCTYPE x [<!ENTITY e "a">]>` + idpLogoutRequest,
		"no NameID":        strings.Replace(idpLogoutRequest, `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">NAMEID</saml:NameID>`, "", 1),
		"empty NameID":     strings.Replace(idpLogoutRequest, "NAMEID", "  ", 1),
		"encrypted NameID": strings.Replace(idpLogoutRequest, `<samlp:SessionIndex>_s1`, `<saml:EncryptedID/><samlp:SessionIndex>_s1`, 1),
		"two NameIDs":      strings.Replace(idpLogoutRequest, "</saml:NameID>", "</saml:NameID><saml:NameID>b</saml:NameID>", 1),
		"no ID":            strings.Replace(idpLogoutRequest, ` ID="_lr1"`, "", 1),
		"no Issuer":        strings.Replace(idpLogoutRequest, `<saml:Issuer>https://sts.windows.net/tenant/</saml:Issuer>`, "", 1),
		"wrong version":    strings.Replace(idpLogoutRequest, `Version="2.0"`, `Version="1.1"`, 1),
		"a Response":       strings.ReplaceAll(idpLogoutRequest, "LogoutRequest", "Response"),
		"bad time":         strings.Replace(idpLogoutRequest, "2026-04-01T09:30:00Z", "yesterday", 1),
		"not XML":          "LogoutRequest",
		"huge":             idpLogoutRequest + strings.Repeat(" ", 64<<10),
	}
	for name, doc := range bad {
		if lr, err := ParseLogoutRequest([]byte(doc)); err == nil {
			t.Errorf("%s accepted: %+v", name, lr)
		}
	}
	if _, err := ParseLogoutResponse([]byte(idpLogoutRequest)); err == nil {
		t.Error("a LogoutRequest parsed as LogoutResponse")
	}
	noStatus := `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0"><saml:Issuer>i</saml:Issuer></samlp:LogoutResponse>`
	if _, err := ParseLogoutResponse([]byte(noStatus)); err == nil {
		t.Error("LogoutResponse without status accepted")
	}
	partial := strings.Replace(noStatus, "</saml:Issuer>", `</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status>`, 1)
	if info, err := ParseLogoutResponse([]byte(partial)); err != nil || info.Status != "urn:oasis:names:tc:SAML:2.0:status:Responder" || info.InResponseTo != "" {
		t.Errorf("status not read: %+v %v", info, err)
	}
}
