package saml

import (
	"strings"
	"testing"
	"time"
)

func TestSPMetadataMinimal(t *testing.T) {
	sp := &ServiceProvider{EntityID: "https://sso.example.com/api/sso/saml/c1", ACSURL: "https://sso.example.com/api/sso/saml/c1"}
	doc, err := sp.Metadata(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	root := parseXMLRoot(t, doc)
	if root.SelectAttrValue("entityID", "") != sp.EntityID || root.SelectAttr("validUntil") != nil {
		t.Errorf("root attrs: %s", doc)
	}
	d := childElems(root, nsMetadata, "SPSSODescriptor")
	if len(d) != 1 || d[0].SelectAttrValue("AuthnRequestsSigned", "") != "false" || d[0].SelectAttrValue("WantAssertionsSigned", "") != "true" ||
		d[0].SelectAttrValue("protocolSupportEnumeration", "") != nsProtocol {
		t.Fatalf("SPSSODescriptor: %s", doc)
	}
	if len(childElems(d[0], nsMetadata, "KeyDescriptor")) != 0 || len(childElems(d[0], nsMetadata, "SingleLogoutService")) != 0 {
		t.Errorf("keys or SLO without configuration: %s", doc)
	}
	acs := childElems(d[0], nsMetadata, "AssertionConsumerService")
	if len(acs) != 1 || acs[0].SelectAttrValue("Binding", "") != BindingHTTPPost || acs[0].SelectAttrValue("Location", "") != sp.ACSURL ||
		acs[0].SelectAttrValue("index", "") != "0" || acs[0].SelectAttrValue("isDefault", "") != "true" {
		t.Errorf("ACS: %s", doc)
	}
	if f := childElems(d[0], nsMetadata, "NameIDFormat"); len(f) != 1 || f[0].Text() != NameIDFormatPersistent {
		t.Errorf("NameIDFormat: %s", doc)
	}
	if _, err := (&ServiceProvider{EntityID: "x"}).Metadata(time.Time{}); err == nil {
		t.Error("metadata without ACS")
	}
}

func TestSPMetadataFull(t *testing.T) {
	sp := testSP(t)
	sp.SignRequests = true
	sp.EncryptionKey = mdKey(t, 0)
	sp.EncryptionCert = mdCert(t, sp.EncryptionKey, "gatehouse enc", reqNow.AddDate(2, 0, 0))
	doc, err := sp.Metadata(reqNow.Add(48 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	root := parseXMLRoot(t, doc)
	if root.SelectAttrValue("validUntil", "") != "2026-04-03T09:30:00.123Z" {
		t.Errorf("validUntil %q", root.SelectAttrValue("validUntil", ""))
	}
	d := childElems(root, nsMetadata, "SPSSODescriptor")[0]
	if d.SelectAttrValue("AuthnRequestsSigned", "") != "true" {
		t.Error("AuthnRequestsSigned not true")
	}
	uses := map[string]string{}
	var methods []string
	for _, kd := range childElems(d, nsMetadata, "KeyDescriptor") {
		uses[kd.SelectAttrValue("use", "")] = strings.TrimSpace(kd.FindElement(".//X509Certificate").Text())
		for _, m := range childElems(kd, nsMetadata, "EncryptionMethod") {
			methods = append(methods, m.SelectAttrValue("Algorithm", ""))
		}
	}
	if uses["signing"] != b64Cert(sp.SigningCert) || uses["encryption"] != b64Cert(sp.EncryptionCert) {
		t.Errorf("key descriptors %v", uses)
	}
	joined := strings.Join(methods, " ")
	for _, want := range []string{EncAES128GCM, EncAES256GCM, EncAES128CBC, EncAES256CBC, KeyTransportRSAOAEPMGF1P, KeyTransportRSAOAEP11} {
		if !strings.Contains(joined, want) {
			t.Errorf("EncryptionMethod %s missing", want)
		}
	}
	if strings.Contains(joined, "rsa-1_5") {
		t.Error("RSA-1_5 advertised")
	}
	var bindings []string
	for _, s := range childElems(d, nsMetadata, "SingleLogoutService") {
		if s.SelectAttrValue("Location", "") != sp.SLOURL {
			t.Errorf("SLO location %q", s.SelectAttrValue("Location", ""))
		}
		bindings = append(bindings, s.SelectAttrValue("Binding", ""))
	}
	if strings.Join(bindings, " ") != BindingHTTPRedirect+" "+BindingHTTPPost {
		t.Errorf("SLO bindings %q", bindings)
	}
	// Schema order: KeyDescriptor, SingleLogoutService, NameIDFormat, ACS.
	var order []string
	for _, c := range d.ChildElements() {
		if len(order) == 0 || order[len(order)-1] != c.Tag {
			order = append(order, c.Tag)
		}
	}
	if strings.Join(order, ",") != "KeyDescriptor,SingleLogoutService,NameIDFormat,AssertionConsumerService" {
		t.Errorf("element order %v", order)
	}
	// Pasting our own metadata as IdP metadata gets the helpful message.
	_, err = ParseIdPMetadata(doc, "")
	wantMetadataError(t, err, 0, "looks like SP metadata")
}
