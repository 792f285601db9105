package cli

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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

// runSAMLCheck is `gatehouse saml check`: the ACS validation (SPEC §4) run
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
		fmt.Fprintln(env.Stderr, "gatehouse saml check:", err)
		return ExitUsage
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

// samlCheckInputs are the files, read and parsed.
type samlCheckInputs struct {
	md       *saml.IdPMetadata
	key      *rsa.PrivateKey
	response []byte // XML, or the base64 form value when encoded is set
	encoded  bool
}

func loadSAMLCheckInputs(env *Env, a *samlCheckArgs) (*samlCheckInputs, error) {
	mdBytes, err := os.ReadFile(a.metadata)
	if err != nil {
		return nil, fmt.Errorf("read --idp-metadata: %w", err)
	}
	in := &samlCheckInputs{}
	if in.md, err = saml.ParseIdPMetadata(mdBytes, ""); err != nil {
		return nil, fmt.Errorf("--idp-metadata %s: %w", a.metadata, err)
	}
	if a.decryptionKey != "" {
		if in.key, err = readRSAKeyFile(a.decryptionKey); err != nil {
			return nil, err
		}
	}
	var raw []byte
	if a.response == "-" {
		raw, err = io.ReadAll(io.LimitReader(env.Stdin, 8*saml.DefaultMaxResponseSize))
	} else {
		raw, err = os.ReadFile(a.response)
	}
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	// XML starts with "<" (after an optional BOM and whitespace); base64
	// never does, so detection is unambiguous.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	in.encoded = !bytes.HasPrefix(trimmed, []byte("<"))
	in.response = trimmed
	return in, nil
}

// readRSAKeyFile reads a PEM RSA private key (PKCS#1 or PKCS#8).
func readRSAKeyFile(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read --sp-decryption-key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("--sp-decryption-key %s: no PEM block", path)
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("--sp-decryption-key %s: not an RSA private key: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("--sp-decryption-key %s: want an RSA key, got %T", path, k)
	}
	return rk, nil
}

// anyRequest accepts every InResponseTo: --allow-idp-initiated without
// --request-id, where the operator has no request ID to give.
type anyRequest struct{}

func (anyRequest) CheckRequest(string) error { return nil }

// knownRequests are the --request-id values.
type knownRequests []string

func (k knownRequests) CheckRequest(id string) error {
	for _, r := range k {
		if r == id {
			return nil
		}
	}
	return fmt.Errorf("not among the %d --request-id values", len(k))
}

func (in *samlCheckInputs) validate(a *samlCheckArgs) (*saml.Assertion, error) {
	raw := in.response
	if in.encoded {
		var err error
		if raw, err = saml.DecodeResponse(string(raw), 0); err != nil {
			return nil, err
		}
	}
	trust := &saml.TrustConfig{IdPEntityID: in.md.EntityID, Certs: in.md.SigningCerts, AllowSHA1: a.allowSHA1, DecryptionKey: in.key}
	exp := &saml.Expectations{SPEntityID: a.spEntityID, ACSURL: a.acsURL, ClockSkew: a.skew, AllowUnsolicited: a.allowIdPInitiated}
	switch {
	case len(a.requestIDs) > 0:
		exp.Requests = knownRequests(a.requestIDs)
	case a.allowIdPInitiated:
		exp.Requests = anyRequest{}
	}
	if exp.ClockSkew == 0 {
		exp.ClockSkew = time.Nanosecond // an explicit --clock-skew 0 means none, not the default
	}
	return saml.ValidateResponse(raw, trust, exp, a.now)
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
		fmt.Fprintln(env.Stderr, "gatehouse saml check:", err)
		return ExitUsage
	}
	fmt.Fprintln(env.Stdout, string(b))
	return ExitOK
}
