package saml

import (
	"time"

	"github.com/beevik/etree"
)

// newMessage starts a protocol message Gatehouse sends (AuthnRequest,
// LogoutRequest, LogoutResponse): the root element tag with both SAML
// namespaces, a fresh ID, Version 2.0, IssueInstant (now, in UTC),
// Destination and the SP's Issuer. Callers add their own attributes and
// children; attributes added later still serialize after Destination, so
// every message keeps the order SAML examples (and IdP logs) show.
func (sp *ServiceProvider) newMessage(tag, destination string, now time.Time) (*etree.Element, string, error) {
	id, err := newMessageID()
	if err != nil {
		return nil, "", err
	}
	el := etree.NewElement(tag)
	el.CreateAttr("xmlns:samlp", nsProtocol)
	el.CreateAttr("xmlns:saml", nsAssertion)
	el.CreateAttr("ID", id)
	el.CreateAttr("Version", "2.0")
	el.CreateAttr("IssueInstant", now.UTC().Format(samlTime))
	el.CreateAttr("Destination", destination)
	el.CreateElement("saml:Issuer").SetText(sp.EntityID)
	return el, id, nil
}

// firstEndpoint is the first endpoint of the first binding in bindings
// (in order of preference) that eps offers.
func firstEndpoint(eps []Endpoint, bindings ...string) (Endpoint, bool) {
	for _, want := range bindings {
		for _, e := range eps {
			if e.Binding == want {
				return e, true
			}
		}
	}
	return Endpoint{}, false
}
