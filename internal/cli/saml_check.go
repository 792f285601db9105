package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

func init() {
	register("saml check", "validate a SAML response against IdP metadata and print the identity (exit 1 when rejected)", runSAMLCheck)
}

// samlCheckArgs are the parsed flags of `gatehouse saml check`.
type samlCheckArgs struct {
	metadata, spEntityID, acsURL, decryptionKey, response string
	requestIDs                                            stringList
	allowIdPInitiated, allowSHA1, json                    bool
	now                                                   time.Time
	skew                                                  time.Duration
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

const samlCheckUsage = `Usage: gatehouse saml check --idp-metadata FILE --sp-entity-id URL --acs-url URL
    [--request-id ID]... [--allow-idp-initiated] [--now RFC3339] [--clock-skew DURATION]
    [--allow-sha1] [--sp-decryption-key FILE] [--json] RESPONSE_FILE|-

RESPONSE_FILE holds the raw XML or its base64 (as the form posts it).
Exit 0: accepted, 1: rejected, 2: bad usage or unreadable files.
Without --request-id a response with InResponseTo is rejected unless
--allow-idp-initiated, which also accepts it without checking the request.`

// runSAMLCheck is `gatehouse saml check`: the ACS validation (docs/saml.md, validation rules) run
// on one response, for operators debugging an IdP and for scripts.
func runSAMLCheck(env *Env) int {
	args, err := parseSAMLCheckArgs(env)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.Stderr, "gatehouse saml check:", err)
		}
		fmt.Fprintln(env.Stderr, samlCheckUsage)
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	in, err := loadSAMLCheckInputs(env, args)
	if err != nil {
		return exitUsage(env, "gatehouse saml check", err)
	}
	a, err := in.validate(args)
	if err != nil {
		return printSAMLRejection(env.Stdout, err, args.json)
	}
	report := newSAMLCheckReport(a, in, args)
	if args.json {
		return writeJSON(env, report)
	}
	report.writeText(env.Stdout)
	return ExitOK
}

func parseSAMLCheckArgs(env *Env) (*samlCheckArgs, error) {
	a := &samlCheckArgs{}
	fs := flag.NewFlagSet("saml check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.metadata, "idp-metadata", "", "IdP metadata XML file")
	fs.StringVar(&a.spEntityID, "sp-entity-id", "", "SP entity ID (the audience)")
	fs.StringVar(&a.acsURL, "acs-url", "", "ACS URL (Destination and Recipient)")
	fs.Var(&a.requestIDs, "request-id", "an outstanding AuthnRequest ID (repeatable)")
	fs.BoolVar(&a.allowIdPInitiated, "allow-idp-initiated", false, "accept unsolicited responses")
	now := fs.String("now", "", "validation time, RFC 3339 (default: the current time)")
	fs.DurationVar(&a.skew, "clock-skew", saml.DefaultClockSkew, "tolerated clock skew")
	fs.BoolVar(&a.allowSHA1, "allow-sha1", false, "accept SHA-1 signatures")
	fs.StringVar(&a.decryptionKey, "sp-decryption-key", "", "PEM RSA key for EncryptedAssertion")
	fs.BoolVar(&a.json, "json", false, "print JSON")
	if err := fs.Parse(env.Args); err != nil {
		return nil, err
	}
	if fs.NArg() != 1 {
		return nil, fmt.Errorf("want exactly one RESPONSE_FILE (or -), got %d", fs.NArg())
	}
	a.response = fs.Arg(0)
	for name, v := range map[string]string{"--idp-metadata": a.metadata, "--sp-entity-id": a.spEntityID, "--acs-url": a.acsURL} {
		if v == "" {
			return nil, fmt.Errorf("%s is required", name)
		}
	}
	a.now = time.Now()
	if *now != "" {
		t, err := time.Parse(time.RFC3339Nano, *now)
		if err != nil {
			return nil, fmt.Errorf("--now: want RFC 3339 (2026-03-01T12:00:00Z), got %q", *now)
		}
		a.now = t
	}
	if a.skew < 0 {
		return nil, fmt.Errorf("--clock-skew must not be negative")
	}
	return a, nil
}

func printSAMLRejection(w io.Writer, err error, asJSON bool) int {
	var e *saml.Error
	if !errors.As(err, &e) {
		e = &saml.Error{Reason: "error", Message: err.Error()}
	}
	if asJSON {
		out := map[string]string{"reason": string(e.Reason), "message": e.Message}
		if e.IdPStatus != "" {
			out["idpStatus"] = e.IdPStatus
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(w, string(b))
	} else {
		fmt.Fprintf(w, "%s: %s\n", e.Reason, e.Message)
	}
	return ExitRejected
}

func writeJSON(env *Env, v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return exitUsage(env, "gatehouse saml check", err)
	}
	fmt.Fprintln(env.Stdout, string(b))
	return ExitOK
}
