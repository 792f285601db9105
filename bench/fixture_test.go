package bench

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/bench/entra"
)

// The SP side of the benchmark: Gatehouse uses one URL as both SP entity ID
// and ACS (docs/saml.md, setup step 3), so every contender is configured that way.
const (
	spURL     = "https://sso.example.com/api/sso/saml/0b7e4c36-5d0e-4f8f-9a51-3b1f6f0d2c11"
	numGroups = 20
)

var (
	// issueInstant is the frozen IssueInstant; every contender's clock is
	// set 30 s later, well inside every validity window.
	issueInstant = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	benchNow     = issueInstant.Add(30 * time.Second)
)

// fixture is the one response every contender validates.
type fixture struct {
	idp      *entra.IdP
	user     entra.User
	raw      []byte // the response XML
	form     string // its SAMLResponse form value (standard base64)
	tampered string // form value of raw with one byte changed inside the signed assertion
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// getFixture builds the fixture once per process: key generation and
// signing stay out of every measurement.
func getFixture(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() { fix, fixErr = newFixture() })
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
	return fix
}

func newFixture() (*fixture, error) {
	idp, err := entra.NewIdP("https://sts.windows.net/"+entra.TenantID+"/",
		"https://login.microsoftonline.com/"+entra.TenantID+"/saml2")
	if err != nil {
		return nil, err
	}
	user := entra.SampleUser(7, entra.GroupIDs(numGroups))
	raw, err := idp.Response(entra.ResponseOptions{
		ResponseID: "_5d2a3c2e-7a55-4c1b-b5b4-3f8f3e1c0a01", AssertionID: "_9f1e8d7c-6b5a-4938-a716-2d3c4b5a6f02",
		TenantID: entra.TenantID, SPEntityID: spURL, ACSURL: spURL,
		IssueInstant: issueInstant, User: user,
	})
	if err != nil {
		return nil, err
	}
	bad, err := tamper(raw, user.Groups[numGroups-1])
	if err != nil {
		return nil, err
	}
	return &fixture{
		idp: idp, user: user, raw: raw,
		form:     base64.StdEncoding.EncodeToString(raw),
		tampered: base64.StdEncoding.EncodeToString(bad),
	}, nil
}

// tamper changes one byte of the response: the first hex digit of a group
// ID inside the signed assertion, so the XML stays well-formed and only
// the signature check can catch it.
func tamper(raw []byte, group string) ([]byte, error) {
	i := bytes.Index(raw, []byte(">"+group+"<"))
	if i < 0 {
		return nil, fmt.Errorf("tamper: group %s not in the response", group)
	}
	out := bytes.Clone(raw)
	if out[i+1] == '0' {
		out[i+1] = '1'
	} else {
		out[i+1] = '0'
	}
	return out, nil
}
