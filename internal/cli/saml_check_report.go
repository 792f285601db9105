package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// samlCheckReport is what `saml check` prints for an accepted response;
// its JSON field names are the command's stable interface.
type samlCheckReport struct {
	NameID            string              `json:"nameID"`
	NameIDFormat      string              `json:"nameIDFormat"`
	Issuer            string              `json:"issuer"`
	SessionIndex      string              `json:"sessionIndex"`
	Email             string              `json:"email"`
	Name              string              `json:"name"`
	Groups            []string            `json:"groups"`
	Attributes        map[string][]string `json:"attributes"`
	SignedElement     string              `json:"signedElement"`
	SigningCertSHA256 string              `json:"signingCertSHA256"`
	AssertionID       string              `json:"assertionID"`
	InResponseTo      string              `json:"inResponseTo"`
	NotOnOrAfter      time.Time           `json:"notOnOrAfter"`
	Encrypted         bool                `json:"encrypted"`
	ClockDifference   string              `json:"clockDifference"`
	Warnings          []string            `json:"warnings"`
}

func newSAMLCheckReport(a *saml.Assertion, in *samlCheckInputs, args *samlCheckArgs) *samlCheckReport {
	groups := a.Groups("")
	if groups == nil {
		groups = []string{}
	}
	return &samlCheckReport{
		NameID: a.NameID, NameIDFormat: a.NameIDFormat, Issuer: a.Issuer, SessionIndex: a.SessionIndex,
		Email: a.Email(), Name: a.Name(), Groups: groups, Attributes: a.AttributeMap(),
		SignedElement: a.SignedElement, SigningCertSHA256: a.SigningCertSHA256,
		AssertionID: a.ID, InResponseTo: a.InResponseTo, NotOnOrAfter: a.NotOnOrAfter,
		Encrypted: a.Encrypted, ClockDifference: a.ClockDifference.String(),
		Warnings: samlCheckWarnings(a, in, args),
	}
}

// samlCheckWarnings are things that did not reject the response but that
// an operator should know before relying on it.
func samlCheckWarnings(a *saml.Assertion, in *samlCheckInputs, args *samlCheckArgs) []string {
	w := []string{}
	if a.InResponseTo != "" && len(args.requestIDs) == 0 {
		w = append(w, fmt.Sprintf("InResponseTo %q was not checked (no --request-id given)", a.InResponseTo))
	}
	for _, c := range in.md.SigningCerts {
		if saml.CertSHA256(c) == a.SigningCertSHA256 && args.now.After(c.NotAfter) {
			w = append(w, fmt.Sprintf("the signing certificate expired on %s (accepted: metadata certificates are trusted regardless of dates)", c.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	if d := a.ClockDifference; d > time.Minute || d < -time.Minute {
		w = append(w, fmt.Sprintf("the IdP clock and this clock differ by %s", d))
	}
	if a.Email() == "" {
		w = append(w, "no email found (looked for email, emailaddress, mail and an email NameID); sign-in would fail. Attributes received: "+strings.Join(a.AttributeNames(), ", "))
	}
	if a.GroupsOverage("") {
		w = append(w, "the IdP omitted the groups (Entra group overage: groups.link sent instead); group sync would change nothing. Assign groups to the application.")
	}
	return w
}

func (r *samlCheckReport) writeText(w io.Writer) {
	fmt.Fprintln(w, "accepted")
	row := func(k, v string) { fmt.Fprintf(w, "  %-22s %s\n", k+":", v) }
	row("NameID", r.NameID)
	row("NameID format", r.NameIDFormat)
	row("Issuer", r.Issuer)
	row("Session index", r.SessionIndex)
	row("Email", r.Email)
	row("Name", r.Name)
	row("Groups", strings.Join(r.Groups, ", "))
	row("Signed element", r.SignedElement)
	row("Signing cert SHA-256", r.SigningCertSHA256)
	row("Clock difference", r.ClockDifference)
	names := make([]string, 0, len(r.Attributes))
	for n := range r.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprintln(w, "  Attributes:")
	}
	for _, n := range names {
		fmt.Fprintf(w, "    %s = %s\n", n, strings.Join(r.Attributes[n], " | "))
	}
	for _, warn := range r.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
}
