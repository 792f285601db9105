package saml

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// fixtureDir holds real IdP responses and metadata (see its PROVENANCE.md).
const fixtureDir = "testdata/idp"

// fixture is one row of PROVENANCE.md's SP-settings table.
type fixture struct {
	name, file, certFile       string // certFile: .pem or IdP metadata
	idp, sp, acs, inResponseTo string
	issueInstant, notOnOrAfter string // Assertion IssueInstant, Conditions NotOnOrAfter
	nameID, signed             string
	sha1                       bool
}

var fixtures = []fixture{
	{"entra-tercen", "entra/tercen-2022-response.xml", "entra/tercen-2022-idp-cert.pem",
		"https://sts.windows.net/5b5c94c6-14cf-42da-85bc-4e08722b253b/", "https://devpg.tercen.com/_service/sso/auth/saml",
		"https://devpg.tercen.com/_service/sso/auth/saml", "id6491e192-e2d9-4970-ab03-e38ffda6e033",
		"2022-02-23T17:49:18.872Z", "2022-02-23T18:49:18.779Z", "test@alexandremaurelgmail.onmicrosoft.com", "Assertion", false},
	{"adfs", "adfs/gosaml2-2017-response.b64", "adfs/gosaml2-2017-idp-cert.pem",
		"http://fs.spstest2.com/adfs/services/trust", "https://saml.test.nope/session/sso/saml/spentityid/dknhyszjl7",
		"https://saml.test.nope/session/sso/saml/acs/dknhyszjl7", "_5988bf45-1cc8-4228-b3e8-1aa8590e63d3",
		"2017-09-21T23:27:06.828Z", "2017-09-22T00:27:06.826Z", "paul@spstest2.com", "Assertion", false},
	{"okta", "okta/gosaml2-2016-response.xml", "okta/gosaml2-2016-idp-cert.pem",
		"http://www.okta.com/exk659aytfMeNI49v0h7", `"123"`,
		"http://localhost:8080/v1/_saml_callback", "_15f66d2d-628b-4d9b-a99e-089d8da862e1",
		"2016-07-25T23:20:14.859Z", "2016-07-25T23:25:14.859Z", "russellhaering", "Response+Assertion", false},
	{"onelogin", "onelogin/crewjam-2016-response.b64", "onelogin/crewjam-2016-idp-metadata.xml",
		"https://app.onelogin.com/saml/metadata/503983", "https://29ee6d2e.ngrok.io/saml/metadata",
		"https://29ee6d2e.ngrok.io/saml/acs", "id-d40c15c104b52691eccf0a2a5c8a15595be75423",
		"2016-01-05T17:53:11Z", "2016-01-05T17:56:11Z", "ross@kndr.org", "Response", true},
	{"google", "google/crewjam-2016-response.b64", "google/crewjam-2016-idp-metadata.xml",
		"https://accounts.google.com/o/saml2?idpid=C02dfl1r1", "https://29ee6d2e.ngrok.io/saml/metadata",
		"https://29ee6d2e.ngrok.io/saml/acs", "id-fd419a5ab0472645427f8e07d87a3a5dd0b2e9a6",
		"2016-01-05T16:55:39.348Z", "2016-01-05T17:00:39.348Z", "ross@octolabs.io", "Response", false},
	{"auth0", "auth0/gosaml2-2016-response-sha1.xml", "auth0/gosaml2-2016-idp-cert.pem",
		"urn:scaleft-test.auth0.com", "urn:scaleft-test.auth0.com",
		"http://localhost:8080/v1/_saml_callback", "_e3ce5e05-4e53-44ff-9229-c649f2b859a0",
		"2016-07-25T18:29:17.523Z", "2016-07-25T19:29:17.523Z", "google-oauth2|117637692321743777825", "Response", true},
}

// readFixtureXML returns the raw XML, decoding .b64 files as the form would.
func readFixtureXML(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, file))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	if strings.HasSuffix(file, ".b64") {
		raw, err := DecodeResponse(string(data), 0)
		if err != nil {
			t.Fatalf("decode %s: %v", file, err)
		}
		return raw
	}
	return data
}

// fixtureCerts loads the trusted certificates from a PEM file or from IdP
// metadata (through ParseIdPMetadata, as the ACS does).
func fixtureCerts(t testing.TB, file string) []*x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var certs []*x509.Certificate
	if strings.HasSuffix(file, ".pem") {
		for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			certs = append(certs, c)
		}
	} else {
		md, err := ParseIdPMetadata(data, "")
		if err != nil {
			t.Fatalf("metadata %s: %v", file, err)
		}
		certs = md.SigningCerts
	}
	if len(certs) == 0 {
		t.Fatalf("no certificate in %s", file)
	}
	return certs
}

// requests is an in-memory RequestChecker.
type requests map[string]bool

func (r requests) CheckRequest(id string) error {
	if !r[id] {
		return errors.New("not outstanding")
	}
	return nil
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f fixture) setup(t testing.TB) ([]byte, *TrustConfig, *Expectations, time.Time) {
	raw := readFixtureXML(t, f.file)
	trust := &TrustConfig{IdPEntityID: f.idp, Certs: fixtureCerts(t, f.certFile), AllowSHA1: f.sha1}
	exp := &Expectations{SPEntityID: f.sp, ACSURL: f.acs, Requests: requests{f.inResponseTo: true}}
	return raw, trust, exp, mustTime(t, f.issueInstant).Add(time.Minute)
}

// wantReason fails unless err is a *Error with reason r.
func wantReason(t testing.TB, err error, r Reason) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want rejection %s, got %v", r, err)
	}
	if e.Reason != r {
		t.Fatalf("want reason %s, got %s: %s", r, e.Reason, e.Message)
	}
	if e.Message == "" {
		t.Fatalf("reason %s without a message", r)
	}
}

func TestFixturesAccepted(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			raw, trust, exp, now := f.setup(t)
			a, err := ValidateResponse(raw, trust, exp, now)
			if err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if a.NameID != f.nameID || a.Issuer != f.idp || a.InResponseTo != f.inResponseTo || a.SignedElement != f.signed {
				t.Fatalf("got NameID %q Issuer %q InResponseTo %q signed %q", a.NameID, a.Issuer, a.InResponseTo, a.SignedElement)
			}
			if a.SigningCertSHA256 != CertSHA256(trust.Certs[0]) || len(a.SigningCertSHA256) != 64 {
				t.Fatalf("SigningCertSHA256 %q is not the trusted certificate's", a.SigningCertSHA256)
			}
			if a.ID == "" || a.ResponseID == "" || a.IssueInstant.IsZero() || a.NotOnOrAfter.IsZero() {
				t.Fatalf("identity fields missing: %+v", a)
			}
			if a.ClockDifference <= 0 || a.ClockDifference > 2*time.Minute {
				t.Fatalf("ClockDifference %s, want about a minute", a.ClockDifference)
			}
		})
	}
}

func TestFixturesSHA1OnlyWhenAllowed(t *testing.T) {
	for _, f := range fixtures {
		if !f.sha1 {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			raw, trust, exp, now := f.setup(t)
			trust.AllowSHA1 = false
			_, err := ValidateResponse(raw, trust, exp, now)
			wantReason(t, err, ReasonSHA1NotAllowed)
		})
	}
}

func TestFixturesRejectedWhenNameIDByteChanges(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			raw, trust, exp, now := f.setup(t)
			i := bytes.Index(raw, []byte(">"+f.nameID+"<"))
			if i < 0 {
				t.Fatal("NameID not found in the fixture")
			}
			tampered := bytes.Clone(raw)
			tampered[i+1] ^= 0x01 // one bit of the NameID's first byte
			_, err := ValidateResponse(tampered, trust, exp, now)
			wantReason(t, err, ReasonDigestMismatch)
		})
	}
}

func TestFixturesRejectedWithAnotherCertificate(t *testing.T) {
	other, err := samltest.NewIdP("https://other.example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			raw, trust, exp, now := f.setup(t)
			trust.Certs = []*x509.Certificate{other.Cert}
			_, err := ValidateResponse(raw, trust, exp, now)
			wantReason(t, err, ReasonUntrustedCertificate)
		})
	}
}

func TestFixturesRejectedPastValidity(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			raw, trust, exp, _ := f.setup(t)
			now := mustTime(t, f.notOnOrAfter).Add(DefaultClockSkew)
			_, err := ValidateResponse(raw, trust, exp, now)
			wantReason(t, err, ReasonExpired)
		})
	}
}

// The identitymodel files are bare Assertions (WS-Federation tokens), not
// SAML protocol Responses: the ACS must refuse them.
func TestIdentityModelAssertionsAreNotResponses(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtureDir, "entra/identitymodel-2017-*Valid*.xml"))
	if err != nil || len(files) != 3 {
		t.Fatalf("want 3 identitymodel token files, got %d (%v)", len(files), err)
	}
	trust := &TrustConfig{IdPEntityID: "https://sts.windows.net/add29489-7269-41f4-8841-b63c95564420/",
		// The tenant metadata lists the same signing certificates as the
		// common one, which parsing refuses (its entity ID is a template).
		Certs: fixtureCerts(t, "entra/tenant-8b966979-2017-FederationMetadata.xml")}
	exp := &Expectations{SPEntityID: "spn:fe78e0b4-6fe7-47e6-812c-fb75cee266a4", AllowUnsolicited: true}
	now := mustTime(t, "2017-04-23T16:20:00Z")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ValidateResponse(raw, trust, exp, now)
		wantReason(t, err, ReasonNotAResponse)
	}
}
