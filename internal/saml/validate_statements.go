package saml

import (
	"github.com/beevik/etree"
)

// readStatements fills SessionIndex, AuthnInstant and every attribute with
// all its text values, in document order.
func (c *rvCheck) readStatements(_, a *etree.Element) error {
	authn, err := rvOptionalChild(a, rvNSAssertion, "AuthnStatement")
	if err != nil {
		return err
	}
	if authn != nil {
		c.out.SessionIndex, _ = rvAttr(authn, "SessionIndex")
		if c.out.AuthnInstant, _, err = rvParseTime(authn, "AuthnInstant"); err != nil {
			return err
		}
	}
	for st := range rvEachChild(a, rvNSAssertion, "AttributeStatement") {
		for at := range rvEachChild(st, rvNSAssertion, "Attribute") {
			attr := Attribute{}
			attr.Name, _ = rvAttr(at, "Name")
			attr.FriendlyName, _ = rvAttr(at, "FriendlyName")
			attr.NameFormat, _ = rvAttr(at, "NameFormat")
			for val := range rvEachChild(at, rvNSAssertion, "AttributeValue") {
				if rvHasChildElement(val) {
					// Structured values (Shibboleth's eduPersonTargetedID
					// holds a NameID) have no string form: they are left
					// out rather than flattened into a misleading string.
					continue
				}
				text, err := rvText(val)
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
// different values. It runs before the replay check so that a refused
// assertion is not remembered as used.
func (c *rvCheck) checkEmailUnambiguous(_, _ *etree.Element) error {
	if why := c.out.emailAmbiguity(); why != "" {
		return rejectf(ReasonEmailAmbiguous, "%s", why)
	}
	return nil
}

// checkReplay asks the caller's cache whether the assertion ID is unused;
// it is remembered until NotOnOrAfter plus the skew (docs/saml.md, validation rule 6).
func (c *rvCheck) checkReplay(_, _ *etree.Element) error {
	if c.exp.Replay == nil {
		return nil
	}
	if err := c.exp.Replay.CheckAssertion(c.out.ID, c.out.NotOnOrAfter.Add(c.skew)); err != nil {
		return rejectf(ReasonReplayed, "expected an assertion ID not seen before, got %q again (%v)", c.out.ID, err)
	}
	return nil
}
