package saml

import (
	"crypto/rsa"
	"errors"
	"strings"
	"time"
)

// LogoutRequest is a SAML LogoutRequest: one Gatehouse sends
// (NewLogoutRequest) or one the IdP sent (ParseLogoutRequest).
type LogoutRequest struct {
	ID, Issuer, Destination string
	NameID, NameIDFormat    string
	// SessionIndex is the first SessionIndex ("" when none: all sessions
	// of the NameID at this SP).
	SessionIndex string
	IssueInstant time.Time
	// NotOnOrAfter is zero when the request has none.
	NotOnOrAfter time.Time
	XML          []byte
}

// NewLogoutRequest builds an SP-initiated LogoutRequest for the session
// (nameID, nameIDFormat, sessionIndex as the IdP asserted them) to the
// IdP's HTTP-Redirect SingleLogoutService. Send it with RedirectURL.
func (sp *ServiceProvider) NewLogoutRequest(idp *IdPMetadata, nameID, nameIDFormat, sessionIndex string, now time.Time) (*LogoutRequest, error) {
	dest, ok := firstEndpoint(idp.SLO, BindingHTTPRedirect)
	if !ok {
		return nil, errors.New("the IdP metadata has no SingleLogoutService with the HTTP-Redirect binding")
	}
	if strings.TrimSpace(nameID) == "" {
		return nil, errors.New("a LogoutRequest needs the session's NameID")
	}
	now = now.UTC()
	el, id, err := sp.newMessage("samlp:LogoutRequest", dest.Location, now)
	if err != nil {
		return nil, err
	}
	n := el.CreateElement("saml:NameID")
	if nameIDFormat != "" {
		n.CreateAttr("Format", nameIDFormat)
	}
	n.SetText(nameID)
	if sessionIndex != "" {
		el.CreateElement("samlp:SessionIndex").SetText(sessionIndex)
	}
	xml, err := sp.serialize(el, false) // Redirect: signed in the query string
	if err != nil {
		return nil, err
	}
	return &LogoutRequest{ID: id, Issuer: sp.EntityID, Destination: dest.Location, NameID: nameID,
		NameIDFormat: nameIDFormat, SessionIndex: sessionIndex, IssueInstant: now, XML: xml}, nil
}

// RedirectURL is the IdP URL carrying the request in the HTTP-Redirect
// binding, signed with key when key is not nil.
func (r *LogoutRequest) RedirectURL(relayState string, key *rsa.PrivateKey) (string, error) {
	if r.Destination == "" || len(r.XML) == 0 {
		return "", errors.New("LogoutRequest has no destination or content")
	}
	return redirectURL(r.Destination, "SAMLRequest", r.XML, relayState, key)
}
