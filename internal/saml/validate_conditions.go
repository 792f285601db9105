package saml

import (
	"strings"
	"time"

	"github.com/beevik/etree"
)

// rvStamp formats times in messages.
func rvStamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// checkConditions: Conditions with both time bounds holding within the
// skew, and every AudienceRestriction naming the SP (docs/saml.md, validation rule 4). Both
// bounds are required: an assertion without NotOnOrAfter would have to sit
// in the replay cache forever.
func (c *rvCheck) checkConditions(_, a *etree.Element) error {
	cond, err := optionalChild(a, nsAssertion, "Conditions")
	if err != nil {
		return err
	}
	if cond == nil {
		return rejectf(ReasonConditionsMissing, "expected Conditions with NotBefore and NotOnOrAfter, got no Conditions")
	}
	nb, okNB, err := timeAttr(cond, "NotBefore")
	if err != nil {
		return err
	}
	noa, okNOA, err := timeAttr(cond, "NotOnOrAfter")
	if err != nil {
		return err
	}
	if !okNB || !okNOA {
		return rejectf(ReasonConditionsMissing, "expected Conditions with both NotBefore and NotOnOrAfter, got NotBefore=%v NotOnOrAfter=%v", okNB, okNOA)
	}
	if c.now.Add(c.skew).Before(nb) {
		return rejectf(ReasonNotYetValid, "expected Conditions NotBefore %s to be reached (now %s, skew %s), got it in the future", rvStamp(nb), rvStamp(c.now), c.skew)
	}
	if !c.now.Add(-c.skew).Before(noa) {
		return rejectf(ReasonExpired, "expected Conditions NotOnOrAfter %s to be in the future (now %s, skew %s), got it passed", rvStamp(noa), rvStamp(c.now), c.skew)
	}
	c.out.NotOnOrAfter = noa
	return c.checkAudiences(cond)
}

// checkAudiences: at least one AudienceRestriction; each must list the SP
// entity ID (restrictions are ANDed, audiences inside one are ORed).
func (c *rvCheck) checkAudiences(cond *etree.Element) error {
	restrictions := childElems(cond, nsAssertion, "AudienceRestriction")
	if len(restrictions) == 0 {
		return rejectf(ReasonAudienceMissing, "expected an AudienceRestriction naming %q, got none", c.exp.SPEntityID)
	}
	for _, r := range restrictions {
		var got []string
		found := false
		for au := range eachChildElem(r, nsAssertion, "Audience") {
			text, err := textOf(au)
			if err != nil {
				return err
			}
			v := strings.TrimSpace(text)
			got = append(got, v)
			found = found || v == c.exp.SPEntityID
		}
		if !found {
			return rejectf(ReasonAudienceMismatch, "expected Audience %q (the SP entity ID), got %q", c.exp.SPEntityID, got)
		}
	}
	return nil
}

// checkBearer: a bearer SubjectConfirmation whose data has Recipient = ACS
// and a future NotOnOrAfter, then the InResponseTo rule. When several
// bearer confirmations exist one valid one suffices; the first failure is
// reported otherwise.
func (c *rvCheck) checkBearer(resp, a *etree.Element) error {
	subj, _ := optionalChild(a, nsAssertion, "Subject") // checkSubject proved it is there
	var firstErr error
	for sc := range eachChildElem(subj, nsAssertion, "SubjectConfirmation") {
		if m, _ := attrValue(sc, "Method"); m != cmBearer {
			continue
		}
		irt, err := c.checkConfirmationData(sc)
		if err == nil {
			return c.checkInResponseTo(resp, irt)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return firstErr
	}
	return rejectf(ReasonBearerMissing, "expected a SubjectConfirmation with Method %s, got none", cmBearer)
}

// checkConfirmationData returns the data's InResponseTo once it holds.
func (c *rvCheck) checkConfirmationData(sc *etree.Element) (string, error) {
	scd, err := optionalChild(sc, nsAssertion, "SubjectConfirmationData")
	if err != nil {
		return "", err
	}
	if scd == nil {
		return "", rejectf(ReasonBearerMissing, "expected the bearer SubjectConfirmation to carry SubjectConfirmationData, got none")
	}
	if r, _ := attrValue(scd, "Recipient"); r != c.exp.ACSURL {
		return "", rejectf(ReasonRecipientMismatch, "expected Recipient %q (the ACS URL), got %q", c.exp.ACSURL, r)
	}
	noa, ok, err := timeAttr(scd, "NotOnOrAfter")
	if err != nil {
		return "", err
	}
	if !ok {
		return "", rejectf(ReasonBearerMissing, "expected NotOnOrAfter on the bearer SubjectConfirmationData, got none")
	}
	if !c.now.Add(-c.skew).Before(noa) {
		return "", rejectf(ReasonSubjectConfirmationExpired, "expected SubjectConfirmationData NotOnOrAfter %s to be in the future (now %s, skew %s), got it passed", rvStamp(noa), rvStamp(c.now), c.skew)
	}
	if nb, ok, err := timeAttr(scd, "NotBefore"); err != nil {
		return "", err
	} else if ok && c.now.Add(c.skew).Before(nb) {
		return "", rejectf(ReasonNotYetValid, "expected SubjectConfirmationData NotBefore %s to be reached (now %s), got it in the future", rvStamp(nb), rvStamp(c.now))
	}
	if noa.Before(c.out.NotOnOrAfter) {
		c.out.NotOnOrAfter = noa
	}
	irt, _ := attrValue(scd, "InResponseTo")
	return irt, nil
}

// checkInResponseTo: the Response's and the confirmation's InResponseTo
// must agree (absent on both for an unsolicited response), and a present
// one must be an outstanding request (docs/saml.md, validation rules 4 and 5).
func (c *rvCheck) checkInResponseTo(resp *etree.Element, scdIRT string) error {
	respIRT, _ := attrValue(resp, "InResponseTo")
	if respIRT != scdIRT {
		return rejectf(ReasonInResponseToMismatch, "expected the Response and SubjectConfirmationData InResponseTo to agree, got %q and %q", respIRT, scdIRT)
	}
	c.out.InResponseTo = scdIRT
	if scdIRT == "" {
		if !c.exp.AllowUnsolicited {
			return rejectf(ReasonUnsolicitedNotAllowed, "expected a response to an AuthnRequest (InResponseTo), got an unsolicited (IdP-initiated) response")
		}
		return nil
	}
	if c.exp.Requests == nil {
		return rejectf(ReasonInResponseToUnknown, "expected InResponseTo to name an outstanding request, got %q and no requests are outstanding", scdIRT)
	}
	if err := c.exp.Requests.CheckRequest(scdIRT); err != nil {
		return rejectf(ReasonInResponseToUnknown, "expected InResponseTo to name an outstanding request of this configuration, got %q (%v)", scdIRT, err)
	}
	return nil
}

// checkIssueInstant bounds the assertion's age and records the clock
// difference against the Response's IssueInstant (the assertion's when the
// Response has none).
func (c *rvCheck) checkIssueInstant(resp, a *etree.Element) error {
	ii, ok, err := timeAttr(a, "IssueInstant")
	if err != nil {
		return err
	}
	if !ok {
		return rejectf(ReasonMalformedXML, "expected an IssueInstant on the Assertion, got none")
	}
	c.out.IssueInstant = ii
	maxAge := c.exp.MaxAssertionAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAssertionAge
	}
	if age := c.now.Sub(ii); age > maxAge+c.skew {
		return rejectf(ReasonIssueInstantTooOld, "expected an IssueInstant within %s (+%s skew) of now %s, got %s (%s old)", maxAge, c.skew, rvStamp(c.now), rvStamp(ii), age)
	}
	if ii.Sub(c.now) > c.skew {
		return rejectf(ReasonIssueInstantInFuture, "expected an IssueInstant no later than now %s + %s skew, got %s", rvStamp(c.now), c.skew, rvStamp(ii))
	}
	rii, ok, err := timeAttr(resp, "IssueInstant")
	if err != nil {
		return err
	}
	if !ok {
		rii = ii
	}
	c.out.ClockDifference = c.now.Sub(rii)
	return nil
}
