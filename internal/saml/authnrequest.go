package saml

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// samlTime is the xs:dateTime form Gatehouse writes (UTC, milliseconds).
const samlTime = "2006-01-02T15:04:05.000Z"

// ServiceProvider is Gatehouse's side of one SAML configuration.
type ServiceProvider struct {
	// EntityID, ACSURL and SLOURL are absolute URLs built from the public
	// base URL (docs/concepts.md), never from a request.
	EntityID, ACSURL, SLOURL string
	// SigningKey and SigningCert sign requests and appear in SP metadata;
	// optional.
	SigningKey  *rsa.PrivateKey
	SigningCert *x509.Certificate
	// EncryptionKey and EncryptionCert receive encrypted assertions; optional.
	EncryptionKey  *rsa.PrivateKey
	EncryptionCert *x509.Certificate
	// PreviousSigningCert and PreviousEncryptionCert are published in the
	// SP metadata next to the current ones during a key rollover.
	PreviousSigningCert, PreviousEncryptionCert *x509.Certificate
	// NameIDFormat is requested in NameIDPolicy; "" means persistent.
	NameIDFormat string
	// SignRequests signs AuthnRequests and logout messages with SigningKey.
	SignRequests bool
}

// AuthnRequest is an SP-initiated sign-in request ready to be sent.
type AuthnRequest struct {
	// ID is stored as an outstanding request (10-minute TTL, docs/saml.md, "Requests")
	// and must come back as InResponseTo.
	ID string
	// Destination is the IdP SSO URL; Binding is BindingHTTPRedirect or
	// BindingHTTPPost.
	Destination, Binding string
	IssueInstant         time.Time
	// XML is the serialized request (with an enveloped signature when the
	// binding is HTTP-POST and the SP signs requests).
	XML []byte
}

// errNoSigningKey is returned when signing is on but no key is configured.
var errNoSigningKey = errors.New("request signing is on but the SP has no signing key and certificate")

// NewAuthnRequest builds an AuthnRequest for idp (docs/saml.md, "Requests"): the
// HTTP-Redirect binding when the IdP offers it, else HTTP-POST; Issuer =
// SP entity ID, AssertionConsumerServiceURL = ACS, ProtocolBinding
// HTTP-POST, NameIDPolicy with the configured format (persistent by
// default) and AllowCreate, and no RequestedAuthnContext (Entra refuses
// passwordless and MFA users with AADSTS75011 when one is sent).
func (sp *ServiceProvider) NewAuthnRequest(idp *IdPMetadata, now time.Time) (*AuthnRequest, error) {
	// HTTP-Redirect first: a plain 302, no page of ours in between.
	dest, ok := firstEndpoint(idp.SSO, BindingHTTPRedirect, BindingHTTPPost)
	if !ok {
		return nil, errors.New("the IdP metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding")
	}
	if sp.SignRequests && (sp.SigningKey == nil || sp.SigningCert == nil) {
		return nil, errNoSigningKey
	}
	now = now.UTC()
	el, id, err := sp.newMessage("samlp:AuthnRequest", dest.Location, now)
	if err != nil {
		return nil, err
	}
	el.CreateAttr("ProtocolBinding", BindingHTTPPost)
	el.CreateAttr("AssertionConsumerServiceURL", sp.ACSURL)
	policy := el.CreateElement("samlp:NameIDPolicy")
	policy.CreateAttr("Format", sp.nameIDFormat())
	policy.CreateAttr("AllowCreate", "true")
	// Redirect requests are signed in the query string instead
	// (RedirectURL); an XML signature would only make the URL longer.
	xml, err := sp.serialize(el, sp.SignRequests && dest.Binding == BindingHTTPPost)
	if err != nil {
		return nil, err
	}
	return &AuthnRequest{ID: id, Destination: dest.Location, Binding: dest.Binding, IssueInstant: now, XML: xml}, nil
}

func (sp *ServiceProvider) nameIDFormat() string {
	if sp.NameIDFormat == "" {
		return NameIDFormatPersistent
	}
	return sp.NameIDFormat
}

// serialize writes a message element, signed (enveloped, exclusive c14n,
// RSA-SHA256, Signature right after Issuer as the schema wants) when sign.
func (sp *ServiceProvider) serialize(el *etree.Element, sign bool) ([]byte, error) {
	if sign {
		if sp.SigningKey == nil || sp.SigningCert == nil {
			return nil, errNoSigningKey
		}
		ctx, err := dsig.NewSigningContext(sp.SigningKey, [][]byte{sp.SigningCert.Raw})
		if err != nil {
			return nil, fmt.Errorf("signing context: %w", err)
		}
		if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
			return nil, err
		}
		ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
		signed, err := ctx.SignEnveloped(el)
		if err != nil {
			return nil, fmt.Errorf("sign %s: %w", el.Tag, err)
		}
		last := len(signed.Child) - 1
		sig := signed.Child[last]
		signed.RemoveChildAt(last)
		signed.InsertChildAt(1, sig) // child 0 is the Issuer
		el = signed
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	return doc.WriteToBytes()
}

// RedirectURL is the IdP URL carrying the request in the HTTP-Redirect
// binding, with relayState (may be "") and, when key is not nil, an
// RSA-SHA256 query signature.
func (r *AuthnRequest) RedirectURL(relayState string, key *rsa.PrivateKey) (string, error) {
	return redirectURL(r.Destination, "SAMLRequest", r.XML, relayState, key)
}

// PostValue is the SAMLRequest form field of the HTTP-POST binding: the
// base64 of the XML (signed inside when the SP signs requests).
func (r *AuthnRequest) PostValue() string {
	return base64.StdEncoding.EncodeToString(r.XML)
}
