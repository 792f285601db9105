package saml

import (
	"strings"

	"github.com/beevik/etree"
)

// maxLogoutMessage bounds a logout message; real ones are about 1 KiB.
const maxLogoutMessage = 64 << 10

// ParseLogoutRequest reads a LogoutRequest the IdP sent (IdP-initiated
// single logout): ID, Issuer, NameID (with Format), SessionIndex, times.
// The XML goes through the same safety checks as responses (no DTDs or
// entities, bounded depth). The signature is NOT verified: the web layer
// must only act on it for sessions of the SAML config whose IdP entity ID
// equals Issuer, and only for what the browser itself holds (its own
// session), so an unsigned message cannot sign out arbitrary users. See
// VerifyRedirectSignature and ParseSignedLogoutRequest for signed ones.
// Every error is a *Error.
func ParseLogoutRequest(raw []byte) (*LogoutRequest, error) {
	root, err := parseLogoutXML(raw, "LogoutRequest")
	if err != nil {
		return nil, err
	}
	lr, err := readLogoutRequest(root)
	if err != nil {
		return nil, err
	}
	lr.XML = raw
	return lr, nil
}

// readLogoutRequest reads the fields of a LogoutRequest element.
func readLogoutRequest(root *etree.Element) (*LogoutRequest, error) {
	var err error
	lr := &LogoutRequest{}
	lr.Destination, _ = attrValue(root, "Destination")
	if lr.ID, lr.Issuer, err = messageHeader(root); err != nil {
		return nil, err
	}
	if lr.IssueInstant, _, err = timeAttr(root, "IssueInstant"); err != nil {
		return nil, err
	}
	if lr.NotOnOrAfter, _, err = timeAttr(root, "NotOnOrAfter"); err != nil {
		return nil, err
	}
	if len(childElems(root, nsAssertion, "EncryptedID")) > 0 {
		return nil, rejectf(ReasonNameIDMissing, "expected a plain NameID in the LogoutRequest, got an EncryptedID (not supported)")
	}
	name, err := optionalChild(root, nsAssertion, "NameID")
	if err != nil {
		return nil, err
	}
	if name == nil {
		return nil, rejectf(ReasonNameIDMissing, "expected a NameID in the LogoutRequest, got none")
	}
	if lr.NameID, err = trimmedText(name); err != nil {
		return nil, err
	}
	lr.NameIDFormat, _ = attrValue(name, "Format")
	if lr.NameID == "" {
		return nil, rejectf(ReasonNameIDMissing, "expected a NameID in the LogoutRequest, got an empty one")
	}
	if idx := childElems(root, nsProtocol, "SessionIndex"); len(idx) > 0 {
		if lr.SessionIndex, err = trimmedText(idx[0]); err != nil {
			return nil, err
		}
	}
	return lr, nil
}

// ParseLogoutResponse reads the IdP's answer to an SP-initiated logout:
// ID, InResponseTo, Issuer and the top-level status code. Like
// ParseLogoutRequest it does not verify a signature; the answer only
// informs what the user is shown (the local session is already gone).
// Every error is a *Error.
func ParseLogoutResponse(raw []byte) (*LogoutResponseInfo, error) {
	root, err := parseLogoutXML(raw, "LogoutResponse")
	if err != nil {
		return nil, err
	}
	info := &LogoutResponseInfo{}
	info.InResponseTo, _ = attrValue(root, "InResponseTo")
	if info.ID, info.Issuer, err = messageHeader(root); err != nil {
		return nil, err
	}
	for st := range eachChildElem(root, nsProtocol, "Status") {
		for code := range eachChildElem(st, nsProtocol, "StatusCode") {
			info.Status, _ = attrValue(code, "Value")
		}
	}
	if info.Status == "" {
		return nil, rejectf(ReasonMalformedXML, "expected a Status with a StatusCode in the LogoutResponse, got none")
	}
	return info, nil
}

// parseLogoutXML parses a logout message with the same safe parser as
// responses (parseSafeXML: no DTDs or entities, bounded depth and
// namespaces) and checks that its root is samlp:<local>, version 2.0.
func parseLogoutXML(raw []byte, local string) (*etree.Element, error) {
	if len(raw) > maxLogoutMessage {
		return nil, rejectf(ReasonResponseTooLarge, "expected a %s of at most %d bytes, got %d", local, maxLogoutMessage, len(raw))
	}
	root, err := parseSafeXML(raw)
	if err != nil {
		return nil, err
	}
	if !isElem(root, nsProtocol, local) {
		return nil, rejectf(ReasonUnexpectedMessage, "expected a samlp:%s, got <%s>", local, root.Tag)
	}
	if v, _ := attrValue(root, "Version"); v != "2.0" {
		return nil, rejectf(ReasonUnsupportedVersion, "expected Version 2.0 on the %s, got %q", local, v)
	}
	return root, nil
}

// messageHeader reads the required ID and the Issuer of a message.
func messageHeader(root *etree.Element) (id, issuer string, err error) {
	if id, _ = attrValue(root, "ID"); id == "" {
		return "", "", rejectf(ReasonMissingID, "expected an ID on the %s, got none", root.Tag)
	}
	iss, err := optionalChild(root, nsAssertion, "Issuer")
	if err != nil {
		return "", "", err
	}
	if iss == nil {
		return "", "", rejectf(ReasonIssuerMissing, "expected an Issuer in the %s, got none", root.Tag)
	}
	issuer, err = trimmedText(iss)
	return id, issuer, err
}

// trimmedText is the element's whole text without surrounding space.
func trimmedText(el *etree.Element) (string, error) {
	text, err := textOf(el)
	return strings.TrimSpace(text), err
}
