package saml

import (
	"errors"
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
	// Every refusal is a *Error with the reason an operator can look up.
	bad := map[string]struct {
		doc    string
		reason Reason
	}{
		"DOCTYPE":                     {`<!DOCTYPE x [<!ENTITY e "a">]>` + idpLogoutRequest, ReasonXMLForbidden},
		"no NameID":                   {strings.Replace(idpLogoutRequest, `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">NAMEID</saml:NameID>`, "", 1), ReasonNameIDMissing},
		"empty NameID":                {strings.Replace(idpLogoutRequest, "NAMEID", "  ", 1), ReasonNameIDMissing},
		"encrypted NameID":            {strings.Replace(idpLogoutRequest, `<samlp:SessionIndex>_s1`, `<saml:EncryptedID/><samlp:SessionIndex>_s1`, 1), ReasonNameIDMissing},
		"two NameIDs":                 {strings.Replace(idpLogoutRequest, "</saml:NameID>", "</saml:NameID><saml:NameID>b</saml:NameID>", 1), ReasonMalformedXML},
		"NameID with a child element": {strings.Replace(idpLogoutRequest, "NAMEID", "a<x/>b", 1), ReasonMalformedXML},
		"no ID":                       {strings.Replace(idpLogoutRequest, ` ID="_lr1"`, "", 1), ReasonMissingID},
		"no Issuer":                   {strings.Replace(idpLogoutRequest, `<saml:Issuer>https://sts.windows.net/tenant/</saml:Issuer>`, "", 1), ReasonIssuerMissing},
		"wrong version":               {strings.Replace(idpLogoutRequest, `Version="2.0"`, `Version="1.1"`, 1), ReasonUnsupportedVersion},
		"a Response":                  {strings.ReplaceAll(idpLogoutRequest, "LogoutRequest", "Response"), ReasonUnexpectedMessage},
		"bad time":                    {strings.Replace(idpLogoutRequest, "2026-04-01T09:30:00Z", "yesterday", 1), ReasonMalformedXML},
		"not XML":                     {"LogoutRequest", ReasonMalformedXML},
		"huge":                        {idpLogoutRequest + strings.Repeat(" ", 64<<10), ReasonResponseTooLarge},
	}
	for name, c := range bad {
		lr, err := ParseLogoutRequest([]byte(c.doc))
		if err == nil {
			t.Errorf("%s accepted: %+v", name, lr)
			continue
		}
		var se *Error
		if !errors.As(err, &se) || se.Reason != c.reason {
			t.Errorf("%s: %v, want a *Error with reason %s", name, err, c.reason)
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

// TestLogoutAttributesAreUnprefixed: the logout parser reads attributes
// the way the response validator does, by their unprefixed name only. A
// prefixed x:ID (or x:Version, x:Format) is another attribute, not the ID
// (etree's lenient SelectAttrValue used to read x:ID as ID).
func TestLogoutAttributesAreUnprefixed(t *testing.T) {
	prefixed := strings.Replace(idpLogoutRequest, ` ID="_lr1"`, ` xmlns:x="urn:x" x:ID="_lr1"`, 1)
	_, err := ParseLogoutRequest([]byte(prefixed))
	var se *Error
	if !errors.As(err, &se) || se.Reason != ReasonMissingID {
		t.Errorf("x:ID read as the ID: %v", err)
	}
	prefixed = strings.Replace(idpLogoutRequest, ` Version="2.0"`, ` xmlns:x="urn:x" x:Version="2.0"`, 1)
	if _, err := ParseLogoutRequest([]byte(prefixed)); !errors.As(err, &se) || se.Reason != ReasonUnsupportedVersion {
		t.Errorf("x:Version read as the Version: %v", err)
	}
	prefixed = strings.Replace(idpLogoutRequest, `<saml:NameID Format=`, `<saml:NameID xmlns:x="urn:x" x:Format=`, 1)
	prefixed = strings.Replace(prefixed, "NAMEID", "alice", 1)
	lr, err := ParseLogoutRequest([]byte(prefixed))
	if err != nil || lr.NameIDFormat != "" || lr.NameID != "alice" {
		t.Errorf("x:Format read as the Format: %+v %v", lr, err)
	}
	both := strings.Replace(idpLogoutRequest, ` ID="_lr1"`, ` xmlns:x="urn:x" x:ID="_evil" ID="_lr1"`, 1)
	both = strings.Replace(both, "NAMEID", "alice", 1)
	if lr, err := ParseLogoutRequest([]byte(both)); err != nil || lr.ID != "_lr1" {
		t.Errorf("with x:ID before ID: %+v %v", lr, err)
	}
}
