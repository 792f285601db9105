package saml

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/beevik/etree"
)

// XML-Enc algorithms Gatehouse decrypts (docs/saml.md, "Encrypted assertions"), advertised in SP
// metadata in order of preference so that IdPs that read it pick GCM.
var spEncryptionMethods = []string{
	EncAES256GCM, EncAES128GCM, EncAES256CBC, EncAES128CBC,
	KeyTransportRSAOAEP11, KeyTransportRSAOAEPMGF1P,
}

// Metadata is the SP metadata document (docs/endpoints.md): an EntityDescriptor with
// an SPSSODescriptor declaring SAML 2.0, AuthnRequestsSigned (true when the
// SP signs requests), WantAssertionsSigned="true", the signing and
// encryption certificates when configured (the latter with the encryption
// methods Gatehouse accepts), SingleLogoutService (Redirect and POST) when
// SLOURL is set, the NameID format, and the ACS (HTTP-POST, index 0,
// default). validUntil is written when not zero.
func (sp *ServiceProvider) Metadata(validUntil time.Time) ([]byte, error) {
	if sp.EntityID == "" || sp.ACSURL == "" {
		return nil, errors.New("SP metadata needs the entity ID and the ACS URL")
	}
	ed := etree.NewElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", nsMetadata)
	ed.CreateAttr("xmlns:ds", nsDSig)
	ed.CreateAttr("entityID", sp.EntityID)
	if !validUntil.IsZero() {
		ed.CreateAttr("validUntil", validUntil.UTC().Format(samlTime))
	}
	d := ed.CreateElement("md:SPSSODescriptor")
	d.CreateAttr("AuthnRequestsSigned", strconv.FormatBool(sp.SignRequests && sp.SigningKey != nil))
	d.CreateAttr("WantAssertionsSigned", "true")
	d.CreateAttr("protocolSupportEnumeration", nsProtocol)
	for _, c := range []*x509.Certificate{sp.SigningCert, sp.PreviousSigningCert} {
		if c != nil {
			addKeyDescriptor(d, "signing", c)
		}
	}
	for _, c := range []*x509.Certificate{sp.EncryptionCert, sp.PreviousEncryptionCert} {
		if c == nil {
			continue
		}
		kd := addKeyDescriptor(d, "encryption", c)
		for _, alg := range spEncryptionMethods {
			kd.CreateElement("md:EncryptionMethod").CreateAttr("Algorithm", alg)
		}
	}
	if sp.SLOURL != "" {
		for _, b := range []string{BindingHTTPRedirect, BindingHTTPPost} {
			s := d.CreateElement("md:SingleLogoutService")
			s.CreateAttr("Binding", b)
			s.CreateAttr("Location", sp.SLOURL)
		}
	}
	d.CreateElement("md:NameIDFormat").SetText(sp.nameIDFormat())
	acs := d.CreateElement("md:AssertionConsumerService")
	acs.CreateAttr("Binding", BindingHTTPPost)
	acs.CreateAttr("Location", sp.ACSURL)
	acs.CreateAttr("index", "0")
	acs.CreateAttr("isDefault", "true")
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(ed)
	doc.Indent(2)
	return doc.WriteToBytes()
}

// addKeyDescriptor appends a KeyDescriptor for cert with the given use.
func addKeyDescriptor(parent *etree.Element, use string, cert *x509.Certificate) *etree.Element {
	kd := parent.CreateElement("md:KeyDescriptor")
	kd.CreateAttr("use", use)
	kd.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
		SetText(base64.StdEncoding.EncodeToString(cert.Raw))
	return kd
}
