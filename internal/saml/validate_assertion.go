package saml

import (
	"strings"
	"time"

	"github.com/beevik/etree"
)

// rvCheck carries what the semantic checks share.
type rvCheck struct {
	trust *TrustConfig
	exp   *Expectations
	now   time.Time
	skew  time.Duration
	out   *Assertion
}

// checkVerified runs validation rules 3, 4, 6 and 7 (docs/saml.md) on the verified
// elements and fills the Assertion.
func checkVerified(v *rvVerified, trust *TrustConfig, exp *Expectations, now time.Time) (*Assertion, error) {
	c := &rvCheck{trust: trust, exp: exp, now: now, skew: exp.ClockSkew, out: &Assertion{
		SignedElement:     v.signed,
		SigningCertSHA256: CertSHA256(v.cert),
		Encrypted:         v.encrypted,
	}}
	if c.skew <= 0 {
		c.skew = DefaultClockSkew
	}
	steps := []func(*etree.Element, *etree.Element) error{
		c.checkResponse,
		c.checkAssertionIssuer,
		c.checkSubject,
		c.checkConditions,
		c.checkBearer,
		c.checkIssueInstant,
		c.readStatements,
		c.checkEmailUnambiguous,
		c.setReplayUntil,
	}
	for _, step := range steps {
		if err := step(v.response, v.assertion); err != nil {
			return nil, err
		}
	}
	return c.out, nil
}

// checkResponse: Destination and Issuer of the Response, if present.
func (c *rvCheck) checkResponse(resp, _ *etree.Element) error {
	c.out.ResponseID, _ = attrValue(resp, "ID")
	if d, ok := attrValue(resp, "Destination"); ok && d != c.exp.ACSURL {
		return rejectf(ReasonDestinationMismatch, "expected Destination %q (the ACS URL), got %q", c.exp.ACSURL, d)
	}
	iss, err := optionalChild(resp, nsAssertion, "Issuer")
	if err != nil || iss == nil {
		return err
	}
	_, err = c.issuerValue(iss, "Response")
	return err
}

// issuerValue checks one Issuer element: entity Format if any, and the
// exact IdP entity ID (surrounding XML whitespace aside; a trailing slash
// is a different entity).
func (c *rvCheck) issuerValue(iss *etree.Element, where string) (string, error) {
	if f, ok := attrValue(iss, "Format"); ok && f != NameIDFormatEntity {
		return "", rejectf(ReasonIssuerFormatInvalid, "expected the %s Issuer Format to be %s or absent, got %q", where, NameIDFormatEntity, f)
	}
	text, err := textOf(iss)
	if err != nil {
		return "", err
	}
	if v := strings.TrimSpace(text); v != c.trust.IdPEntityID {
		return "", rejectf(ReasonIssuerMismatch, "expected the %s Issuer %q (the IdP entity ID), got %q", where, c.trust.IdPEntityID, v)
	}
	return c.trust.IdPEntityID, nil
}

// checkAssertionIssuer: Version, ID and a required, matching Issuer.
func (c *rvCheck) checkAssertionIssuer(_, a *etree.Element) error {
	if !isElem(a, nsAssertion, "Assertion") {
		return rejectf(ReasonNoAssertion, "expected a saml:Assertion, got <%s>", a.Tag)
	}
	if err := checkVersionAndID(a); err != nil {
		return err
	}
	c.out.ID, _ = attrValue(a, "ID")
	iss, err := optionalChild(a, nsAssertion, "Issuer")
	if err != nil {
		return err
	}
	if iss == nil {
		return rejectf(ReasonIssuerMissing, "expected an Issuer in the Assertion, got none")
	}
	c.out.Issuer, err = c.issuerValue(iss, "Assertion")
	return err
}

// checkSubject: one NameID, trimmed non-empty, SPNameQualifier if present
// equal to the SP entity ID (docs/saml.md, validation rule 7).
func (c *rvCheck) checkSubject(_, a *etree.Element) error {
	subj, err := optionalChild(a, nsAssertion, "Subject")
	if err != nil {
		return err
	}
	if subj == nil {
		return rejectf(ReasonNameIDMissing, "expected a Subject with a NameID, got no Subject")
	}
	nid, err := optionalChild(subj, nsAssertion, "NameID")
	if err != nil {
		return err
	}
	if nid == nil {
		return rejectf(ReasonNameIDMissing, "expected a plain NameID in the Subject, got none (EncryptedID and BaseID are not supported)")
	}
	text, err := textOf(nid)
	if err != nil {
		return err
	}
	if c.out.NameID = strings.TrimSpace(text); c.out.NameID == "" {
		return rejectf(ReasonNameIDMissing, "expected a non-empty NameID, got only whitespace")
	}
	c.out.NameIDFormat, _ = attrValue(nid, "Format")
	if q, ok := attrValue(nid, "SPNameQualifier"); ok {
		c.out.SPNameQualifier = q
		if q != c.exp.SPEntityID {
			return rejectf(ReasonSPNameQualifierMismatch, "expected SPNameQualifier %q (the SP entity ID), got %q", c.exp.SPEntityID, q)
		}
	}
	return nil
}
