package samltest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"time"

	"github.com/beevik/etree"
)

// ResponseOptions describe one response. Zero values get defaults noted on
// each field.
type ResponseOptions struct {
	SPEntityID   string // Audience and SPNameQualifier (omitted when empty)
	ACSURL       string // Destination and Recipient
	InResponseTo string // "" makes an unsolicited response
	NameID       string
	NameIDFormat string // default persistent
	SessionIndex string // default random
	// Attributes are emitted in sorted name order, values in slice order.
	Attributes map[string][]string
	Now        time.Time     // IssueInstant and NotBefore; default time.Now()
	Lifetime   time.Duration // NotOnOrAfter = Now + Lifetime; default 5m
	// AssertionID and ResponseID default to random IDs.
	AssertionID, ResponseID string
	// SignAssertion and SignResponse choose the signed elements; if both
	// are false the assertion is signed.
	SignAssertion, SignResponse bool
	// Status is the top-level StatusCode; default Success.
	Status string
	// SignatureMethod is the XML-DSig SignatureMethod URI; default
	// RSA-SHA256 (the digest follows the same hash).
	SignatureMethod string
}

const statusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"

// xsdTime is the SAML dateTime form Entra and most IdPs emit.
const xsdTime = "2006-01-02T15:04:05.000Z"

func (o *ResponseOptions) applyDefaults() {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	if o.Lifetime == 0 {
		o.Lifetime = 5 * time.Minute
	}
	if o.NameIDFormat == "" {
		o.NameIDFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	}
	if o.SessionIndex == "" {
		o.SessionIndex = NewID()
	}
	if o.AssertionID == "" {
		o.AssertionID = NewID()
	}
	if o.ResponseID == "" {
		o.ResponseID = NewID()
	}
	if o.Status == "" {
		o.Status = statusSuccess
	}
	if !o.SignAssertion && !o.SignResponse {
		o.SignAssertion = true
	}
}

// NewID returns a random XML ID ("_" and 32 hex digits).
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("samltest: random: " + err.Error())
	}
	return "_" + hex.EncodeToString(b[:])
}

// Response is a complete signed response (XML bytes).
func (idp *IdP) Response(o ResponseOptions) ([]byte, error) {
	o.applyDefaults()
	doc := idp.BuildResponse(o)
	return idp.SignDocument(doc, o.SignAssertion, o.SignResponse, o.SignatureMethod)
}

// ResponseBase64 is Response encoded as the SAMLResponse form value.
func (idp *IdP) ResponseBase64(o ResponseOptions) (string, error) {
	raw, err := idp.Response(o)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// BuildResponse makes the unsigned document (defaults applied), for tests
// that change it before signing with SignDocument. The Assertion declares
// its own namespace so that it can be signed and moved on its own.
func (idp *IdP) BuildResponse(o ResponseOptions) *etree.Document {
	o.applyDefaults()
	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", nsProtocol)
	resp.CreateAttr("xmlns:saml", nsAssert)
	resp.CreateAttr("ID", o.ResponseID)
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", o.Now.Format(xsdTime))
	if o.ACSURL != "" {
		resp.CreateAttr("Destination", o.ACSURL)
	}
	if o.InResponseTo != "" {
		resp.CreateAttr("InResponseTo", o.InResponseTo)
	}
	resp.CreateElement("saml:Issuer").SetText(idp.EntityID)
	resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", o.Status)
	resp.AddChild(idp.buildAssertion(&o))
	return doc
}

func (idp *IdP) buildAssertion(o *ResponseOptions) *etree.Element {
	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", nsAssert)
	a.CreateAttr("ID", o.AssertionID)
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", o.Now.Format(xsdTime))
	a.CreateElement("saml:Issuer").SetText(idp.EntityID)
	idp.buildSubject(a, o)
	cond := a.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", o.Now.Format(xsdTime))
	cond.CreateAttr("NotOnOrAfter", o.Now.Add(o.Lifetime).Format(xsdTime))
	if o.SPEntityID != "" {
		cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(o.SPEntityID)
	}
	buildAttributes(a, o.Attributes)
	as := a.CreateElement("saml:AuthnStatement")
	as.CreateAttr("AuthnInstant", o.Now.Format(xsdTime))
	as.CreateAttr("SessionIndex", o.SessionIndex)
	as.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	return a
}

func (idp *IdP) buildSubject(a *etree.Element, o *ResponseOptions) {
	subj := a.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", o.NameIDFormat)
	if o.SPEntityID != "" {
		nid.CreateAttr("SPNameQualifier", o.SPEntityID)
	}
	nid.SetText(o.NameID)
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	if o.InResponseTo != "" {
		scd.CreateAttr("InResponseTo", o.InResponseTo)
	}
	scd.CreateAttr("NotOnOrAfter", o.Now.Add(o.Lifetime).Format(xsdTime))
	if o.ACSURL != "" {
		scd.CreateAttr("Recipient", o.ACSURL)
	}
}

// buildAttributes writes an AttributeStatement in sorted name order so
// that responses are reproducible.
func buildAttributes(a *etree.Element, attrs map[string][]string) {
	if len(attrs) == 0 {
		return
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	st := a.CreateElement("saml:AttributeStatement")
	for _, n := range names {
		at := st.CreateElement("saml:Attribute")
		at.CreateAttr("Name", n)
		for _, v := range attrs[n] {
			at.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
}
