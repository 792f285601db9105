package cli

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

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
