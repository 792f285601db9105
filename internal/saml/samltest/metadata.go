package samltest

import (
	"encoding/base64"

	"github.com/beevik/etree"
)

const (
	nsMetadata = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsDSig     = "http://www.w3.org/2000/09/xmldsig#"
	nsProtocol = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssert   = "urn:oasis:names:tc:SAML:2.0:assertion"

	bindingRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	bindingPost     = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
)

// MetadataXML is an EntityDescriptor with one IDPSSODescriptor: a signing
// KeyDescriptor with the IdP certificate, SingleLogoutService (Redirect)
// and SingleSignOnService (Redirect and POST).
func (idp *IdP) MetadataXML() []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	ed := doc.CreateElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", nsMetadata)
	ed.CreateAttr("xmlns:ds", nsDSig)
	ed.CreateAttr("entityID", idp.EntityID)
	sso := ed.CreateElement("md:IDPSSODescriptor")
	sso.CreateAttr("protocolSupportEnumeration", nsProtocol)
	kd := sso.CreateElement("md:KeyDescriptor")
	kd.CreateAttr("use", "signing")
	x := kd.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate")
	x.SetText(base64.StdEncoding.EncodeToString(idp.Cert.Raw))
	slo := sso.CreateElement("md:SingleLogoutService")
	slo.CreateAttr("Binding", bindingRedirect)
	slo.CreateAttr("Location", idp.SLOURL)
	for _, f := range []string{
		"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
		"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
	} {
		sso.CreateElement("md:NameIDFormat").SetText(f)
	}
	for _, b := range []string{bindingRedirect, bindingPost} {
		s := sso.CreateElement("md:SingleSignOnService")
		s.CreateAttr("Binding", b)
		s.CreateAttr("Location", idp.SSOURL)
	}
	doc.Indent(2)
	out, err := doc.WriteToBytes()
	if err != nil {
		// Writing an in-memory tree to a byte slice cannot fail.
		panic("samltest: serialize metadata: " + err.Error())
	}
	return out
}
