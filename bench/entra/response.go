package entra

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Entra's lifetimes: Conditions start five minutes before IssueInstant and
// the assertion (and the bearer confirmation) lives for an hour after it.
const (
	notBeforeLead = 5 * time.Minute
	lifetime      = time.Hour
)

// ResponseOptions describe one login response.
type ResponseOptions struct {
	ResponseID   string // "_" + GUID, as Entra does
	AssertionID  string
	TenantID     string
	SPEntityID   string // Audience
	ACSURL       string // Destination and Recipient
	InResponseTo string // "" for an unsolicited (IdP-initiated) response
	IssueInstant time.Time
	User         User
}

// samlTime is Entra's timestamp form: UTC with milliseconds.
func samlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// esc escapes text and attribute values alike.
func esc(s string) string { return html.EscapeString(s) }

// Response returns the XML of an Entra-shaped samlp:Response: the Response
// unsigned, the Assertion signed (enveloped, exc-c14n, RSA-SHA256) with the
// Signature right after the Assertion's Issuer, where Entra puts it.
func (p *IdP) Response(o ResponseOptions) ([]byte, error) {
	assertion, err := p.signedAssertion(o)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(assertion) + 1024)
	fmt.Fprintf(&b, `<samlp:Response ID="%s" Version="2.0" IssueInstant="%s" Destination="%s"`,
		esc(o.ResponseID), samlTime(o.IssueInstant), esc(o.ACSURL))
	if o.InResponseTo != "" {
		fmt.Fprintf(&b, ` InResponseTo="%s"`, esc(o.InResponseTo))
	}
	b.WriteString(` xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">`)
	fmt.Fprintf(&b, `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">%s</Issuer>`, esc(p.EntityID))
	b.WriteString(`<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`)
	b.WriteString(assertion)
	b.WriteString(`</samlp:Response>`)
	return []byte(b.String()), nil
}

// signedAssertion builds the Assertion alone, signs it and serializes it.
// Exclusive c14n makes the signature independent of the enclosing Response
// (the Assertion declares its own namespace), so the serialized element can
// be embedded as text.
func (p *IdP) signedAssertion(o ResponseOptions) (string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(assertionXML(p.EntityID, o)); err != nil {
		return "", fmt.Errorf("entra: parse assertion: %w", err)
	}
	signed, err := p.signer.SignEnveloped(doc.Root())
	if err != nil {
		return "", fmt.Errorf("entra: sign: %w", err)
	}
	moveSignatureAfterIssuer(signed)
	out := etree.NewDocument()
	out.SetRoot(signed)
	return out.WriteToString()
}

// moveSignatureAfterIssuer puts the Signature (appended last by goxmldsig)
// in second place, as the SAML schema and Entra have it. The enveloped
// transform removes it wherever it is, so the digest is unaffected.
func moveSignatureAfterIssuer(el *etree.Element) {
	n := len(el.Child)
	sig := el.Child[n-1]
	copy(el.Child[2:], el.Child[1:n-1])
	el.Child[1] = sig
}

// assertionXML renders the unsigned Assertion.
func assertionXML(issuer string, o ResponseOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<Assertion ID="%s" IssueInstant="%s" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">`,
		esc(o.AssertionID), samlTime(o.IssueInstant))
	fmt.Fprintf(&b, `<Issuer>%s</Issuer>`, esc(issuer))
	writeSubject(&b, o)
	fmt.Fprintf(&b, `<Conditions NotBefore="%s" NotOnOrAfter="%s"><AudienceRestriction><Audience>%s</Audience></AudienceRestriction></Conditions>`,
		samlTime(o.IssueInstant.Add(-notBeforeLead)), samlTime(o.IssueInstant.Add(lifetime)), esc(o.SPEntityID))
	b.WriteString(`<AttributeStatement>`)
	for _, c := range claims(o.TenantID, issuer, o.User) {
		fmt.Fprintf(&b, `<Attribute Name="%s">`, esc(c.name))
		for _, v := range c.values {
			fmt.Fprintf(&b, `<AttributeValue>%s</AttributeValue>`, esc(v))
		}
		b.WriteString(`</Attribute>`)
	}
	b.WriteString(`</AttributeStatement>`)
	fmt.Fprintf(&b, `<AuthnStatement AuthnInstant="%s" SessionIndex="%s"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext></AuthnStatement>`,
		samlTime(o.IssueInstant.Add(-time.Minute)), esc(o.AssertionID))
	b.WriteString(`</Assertion>`)
	return b.String()
}

// writeSubject renders the Subject with its Bearer confirmation.
func writeSubject(b *strings.Builder, o ResponseOptions) {
	fmt.Fprintf(b, `<Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s</NameID>`, esc(o.User.UPN))
	b.WriteString(`<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData`)
	if o.InResponseTo != "" {
		fmt.Fprintf(b, ` InResponseTo="%s"`, esc(o.InResponseTo))
	}
	fmt.Fprintf(b, ` NotOnOrAfter="%s" Recipient="%s"/></SubjectConfirmation></Subject>`,
		samlTime(o.IssueInstant.Add(lifetime)), esc(o.ACSURL))
}
