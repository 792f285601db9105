package saml

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func FuzzParseLogoutMessages(f *testing.F) {
	f.Add([]byte(strings.Replace(idpLogoutRequest, "NAMEID", "a@b", 1)))
	f.Add([]byte(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" InResponseTo="_x"><saml:Issuer>i</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		lr, err := ParseLogoutRequest(raw)
		if err == nil && (lr.ID == "" || strings.TrimSpace(lr.NameID) == "" || lr.NameID != strings.TrimSpace(lr.NameID)) {
			t.Fatalf("accepted LogoutRequest without ID or NameID: %+v", lr)
		}
		mustBeReasoned(t, err)
		info, err := ParseLogoutResponse(raw)
		if err == nil && (info.ID == "" || info.Status == "") {
			t.Fatalf("accepted LogoutResponse without ID or status: %+v", info)
		}
		mustBeReasoned(t, err)
	})
}

// mustBeReasoned fails unless err is nil or a *Error with a reason code.
func mustBeReasoned(t *testing.T, err error) {
	t.Helper()
	var se *Error
	if err != nil && (!errors.As(err, &se) || se.Reason == "") {
		t.Fatalf("error without a reason code: %T %v", err, err)
	}
}

func FuzzDecodeRedirectValue(f *testing.F) {
	u, err := redirectURL("https://x", "M", []byte(idpLogoutRequest), "", nil)
	if err != nil {
		f.Fatal(err)
	}
	pu, err := url.Parse(u)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pu.Query().Get("M"), 1024)
	f.Add("", 0)
	f.Fuzz(func(t *testing.T, v string, max int) {
		if max > 1<<20 {
			max = 1 << 20
		}
		out, err := DecodeRedirectValue(v, max)
		limit := max
		if limit <= 0 {
			limit = DefaultMaxRedirectValue
		}
		if err == nil && len(out) > limit {
			t.Fatalf("inflated %d bytes, cap %d", len(out), limit)
		}
	})
}
