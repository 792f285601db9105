package saml

import (
	"fmt"
	"strings"
	"time"

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
	lr := &LogoutRequest{Destination: root.SelectAttrValue("Destination", "")}
	if lr.ID, lr.Issuer, err = messageHeader(root); err != nil {
		return nil, err
	}
	if lr.IssueInstant, err = optionalTime(root, "IssueInstant"); err != nil {
		return nil, err
	}
	if lr.NotOnOrAfter, err = optionalTime(root, "NotOnOrAfter"); err != nil {
		return nil, err
	}
	if len(childrenNS(root, nsAssertion, "EncryptedID")) > 0 {
		return nil, fmt.Errorf("LogoutRequest: an encrypted NameID is not supported")
	}
	names := childrenNS(root, nsAssertion, "NameID")
	if len(names) != 1 {
		return nil, fmt.Errorf("LogoutRequest: expected one NameID, got %d", len(names))
	}
	lr.NameID = strings.TrimSpace(textOf(names[0]))
	lr.NameIDFormat = names[0].SelectAttrValue("Format", "")
	if lr.NameID == "" {
		return nil, fmt.Errorf("LogoutRequest: empty NameID")
	}
	if idx := childrenNS(root, nsProtocol, "SessionIndex"); len(idx) > 0 {
		lr.SessionIndex = strings.TrimSpace(textOf(idx[0]))
	}
	return lr, nil
}

// ParseLogoutResponse reads the IdP's answer to an SP-initiated logout:
// ID, InResponseTo, Issuer and the top-level status code. Like
// ParseLogoutRequest it does not verify a signature; the answer only
// informs what the user is shown (the local session is already gone).
func ParseLogoutResponse(raw []byte) (*LogoutResponseInfo, error) {
	root, err := parseLogoutXML(raw, "LogoutResponse")
	if err != nil {
		return nil, err
	}
	info := &LogoutResponseInfo{InResponseTo: root.SelectAttrValue("InResponseTo", "")}
	if info.ID, info.Issuer, err = messageHeader(root); err != nil {
		return nil, err
	}
	for _, st := range childrenNS(root, nsProtocol, "Status") {
		for _, code := range childrenNS(st, nsProtocol, "StatusCode") {
			info.Status = code.SelectAttrValue("Value", "")
		}
	}
	if info.Status == "" {
		return nil, fmt.Errorf("LogoutResponse: no Status/StatusCode")
	}
	return info, nil
}

// parseLogoutXML checks and parses a logout message whose root must be
// samlp:<local>.
func parseLogoutXML(raw []byte, local string) (*etree.Element, error) {
	if len(raw) > maxLogoutMessage {
		return nil, fmt.Errorf("%s: larger than %d bytes", local, maxLogoutMessage)
	}
	if err := checkXMLSafety(raw); err != nil {
		return nil, fmt.Errorf("%s: %w", local, err)
	}
	doc := etree.NewDocument()
	doc.ReadSettings.MaxDepth = MaxXMLDepth + 1
	if err := doc.ReadFromBytes(raw); err != nil {
		return nil, fmt.Errorf("%s: %w", local, err)
	}
	root := doc.Root()
	if root == nil || root.Tag != local || root.NamespaceURI() != nsProtocol {
		return nil, fmt.Errorf("expected a samlp:%s, got another message", local)
	}
	if v := root.SelectAttrValue("Version", ""); v != "2.0" {
		return nil, fmt.Errorf("%s: expected Version 2.0, got %q", local, v)
	}
	return root, nil
}

// messageHeader reads the required ID and the Issuer of a message.
func messageHeader(root *etree.Element) (id, issuer string, err error) {
	id = root.SelectAttrValue("ID", "")
	if id == "" {
		return "", "", fmt.Errorf("%s: missing ID", root.Tag)
	}
	iss := childrenNS(root, nsAssertion, "Issuer")
	if len(iss) != 1 {
		return "", "", fmt.Errorf("%s: expected one Issuer, got %d", root.Tag, len(iss))
	}
	return id, strings.TrimSpace(textOf(iss[0])), nil
}

// optionalTime parses an xs:dateTime attribute; zero when absent.
func optionalTime(el *etree.Element, attr string) (time.Time, error) {
	v := el.SelectAttrValue(attr, "")
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: bad %s %q", el.Tag, attr, v)
	}
	return t.UTC(), nil
}

// childrenNS lists the child elements {ns}local of el.
func childrenNS(el *etree.Element, ns, local string) []*etree.Element {
	return mdChildren(el, ns, local)
}

// textOf joins every text and CDATA piece directly inside el, so that a
// comment inside a value never shortens it.
func textOf(el *etree.Element) string {
	var b strings.Builder
	for _, t := range el.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return b.String()
}
