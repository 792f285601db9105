package saml

import (
	"github.com/beevik/etree"
)

// readStatements fills SessionIndex, AuthnInstant and every attribute with
// all its text values, in document order.
func (c *rvCheck) readStatements(_, a *etree.Element) error {
	authn, err := optionalChild(a, nsAssertion, "AuthnStatement")
	if err != nil {
		return err
	}
	if authn != nil {
		c.out.SessionIndex, _ = attrValue(authn, "SessionIndex")
		if c.out.AuthnInstant, _, err = timeAttr(authn, "AuthnInstant"); err != nil {
			return err
		}
	}
	for st := range eachChildElem(a, nsAssertion, "AttributeStatement") {
		for at := range eachChildElem(st, nsAssertion, "Attribute") {
			attr := Attribute{}
			attr.Name, _ = attrValue(at, "Name")
			attr.FriendlyName, _ = attrValue(at, "FriendlyName")
			attr.NameFormat, _ = attrValue(at, "NameFormat")
			for val := range eachChildElem(at, nsAssertion, "AttributeValue") {
				if hasChildElem(val) {
					// Structured values (Shibboleth's eduPersonTargetedID
					// holds a NameID) have no string form: they are left
					// out rather than flattened into a misleading string.
					continue
				}
				text, err := textOf(val)
				if err != nil {
					return err
				}
				attr.Values = append(attr.Values, text)
			}
			c.out.Attributes = append(c.out.Attributes, attr)
		}
	}
	return nil
}

// checkEmailUnambiguous refuses an assertion whose email attribute is
// ambiguous (Assertion.emailAmbiguity): it arrived twice, or with two
// different values.
func (c *rvCheck) checkEmailUnambiguous(_, _ *etree.Element) error {
	if why := c.out.emailAmbiguity(); why != "" {
		return rejectf(ReasonEmailAmbiguous, "%s", why)
	}
	return nil
}

// setReplayUntil tells the caller how long the assertion ID must be
// remembered: until NotOnOrAfter plus the skew (docs/saml.md, validation
// rule 6). The caller checks and records it with the sign-in.
func (c *rvCheck) setReplayUntil(_, _ *etree.Element) error {
	c.out.ReplayUntil = c.out.NotOnOrAfter.Add(c.skew)
	return nil
}
