package saml

import (
	"crypto/rsa"
	"errors"
	"time"
)

// LogoutResponse is Gatehouse's answer to an IdP-initiated LogoutRequest.
type LogoutResponse struct {
	ID, Destination, InResponseTo, Status string
	IssueInstant                          time.Time
	XML                                   []byte
}

// LogoutResponseInfo is what Gatehouse reads from a LogoutResponse the IdP
// sent back after SP-initiated logout.
type LogoutResponseInfo struct {
	ID, InResponseTo, Issuer string
	// Status is the top-level StatusCode value (StatusSuccess when the
	// IdP ended its session).
	Status string
}

// NewLogoutResponse answers the LogoutRequest inResponseTo with status
// (e.g. StatusSuccess), addressed to the IdP's HTTP-Redirect
// SingleLogoutService. Send it with RedirectURL.
func (sp *ServiceProvider) NewLogoutResponse(idp *IdPMetadata, inResponseTo, status string, now time.Time) (*LogoutResponse, error) {
	dest, ok := firstEndpoint(idp.SLO, BindingHTTPRedirect)
	if !ok {
		return nil, errors.New("the IdP metadata has no SingleLogoutService with the HTTP-Redirect binding")
	}
	if status == "" {
		status = StatusSuccess
	}
	now = now.UTC()
	el, id, err := sp.newMessage("samlp:LogoutResponse", dest.Location, now)
	if err != nil {
		return nil, err
	}
	if inResponseTo != "" {
		el.CreateAttr("InResponseTo", inResponseTo)
	}
	el.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", status)
	xml, err := sp.serialize(el, false) // Redirect: signed in the query string
	if err != nil {
		return nil, err
	}
	return &LogoutResponse{ID: id, Destination: dest.Location, InResponseTo: inResponseTo, Status: status, IssueInstant: now, XML: xml}, nil
}

// RedirectURL is the IdP URL carrying the response in the HTTP-Redirect
// binding, signed with key when key is not nil.
func (r *LogoutResponse) RedirectURL(relayState string, key *rsa.PrivateKey) (string, error) {
	return redirectURL(r.Destination, "SAMLResponse", r.XML, relayState, key)
}
