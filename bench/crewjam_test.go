package bench

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	crewjam "github.com/crewjam/saml"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// newCrewjam configures crewjam/saml v0.6.3 the way its docs say for an
// Entra IdP: metadata from the IdP, IdP-initiated logins allowed (the
// fixture is unsolicited), and the frozen clock.
func newCrewjam(tb testing.TB, idp *entra.IdP) validator {
	tb.Helper()
	var md crewjam.EntityDescriptor
	if err := xml.Unmarshal(idp.Metadata(), &md); err != nil {
		tb.Fatal(err)
	}
	acs, err := url.Parse(spURL)
	if err != nil {
		tb.Fatal(err)
	}
	sp := &crewjam.ServiceProvider{
		EntityID: spURL, AcsURL: *acs, IDPMetadata: &md,
		AllowIDPInitiated: true, Clock: dsig.NewFakeClockAt(benchNow),
	}
	// Requests are built once per form value, outside the timed loop: the
	// other contenders also receive the already-decoded form value.
	reqs := map[string]*http.Request{}
	return func(form string) (outcome, error) {
		req, ok := reqs[form]
		if !ok {
			req = postedForm(tb, form)
			reqs[form] = req
		}
		a, err := sp.ParseResponse(req, nil)
		if err != nil {
			return outcome{}, crewjamDetail(err)
		}
		return crewjamOutcome(a), nil
	}
}

// postedForm is the ACS request as net/http hands it to a handler, with
// the form already parsed (as every contender gets its input).
func postedForm(tb testing.TB, form string) *http.Request {
	body := url.Values{"SAMLResponse": {form}}.Encode()
	req := httptest.NewRequest(http.MethodPost, spURL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := req.ParseForm(); err != nil {
		tb.Fatal(err)
	}
	return req
}

// crewjamDetail unwraps crewjam's deliberately vague error for the test log.
func crewjamDetail(err error) error {
	var ire *crewjam.InvalidResponseError
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		return fmt.Errorf("%w: %v", err, ire.PrivateErr)
	}
	return err
}

func crewjamOutcome(a *crewjam.Assertion) outcome {
	var o outcome
	if a.Subject != nil && a.Subject.NameID != nil {
		o.NameID = a.Subject.NameID.Value
	}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			for _, v := range at.Values {
				switch at.Name {
				case "email":
					o.Email = v.Value
				case "groups":
					o.Groups = append(o.Groups, v.Value)
				}
			}
		}
	}
	return o
}

func TestCrewjamJudgesCorrectly(t *testing.T) {
	mustJudgeCorrectly(t, "crewjam", newCrewjam(t, getFixture(t).idp))
}

func TestCrewjamRejectsOtherIdPKey(t *testing.T) {
	rejectsOtherKey(t, newCrewjam(t, otherIdP(t)))
}

func BenchmarkCrewjam(b *testing.B) {
	benchValidator(b, "crewjam", newCrewjam(b, getFixture(b).idp))
}
