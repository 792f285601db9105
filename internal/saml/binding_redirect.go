package saml

import (
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	dsig "github.com/russellhaering/goxmldsig"
)

// SigAlgRSASHA256 is the SigAlg of HTTP-Redirect signatures Gatehouse
// makes (SAML bindings §3.4.4.1).
const SigAlgRSASHA256 = dsig.RSASHA256SignatureMethod

// DefaultMaxRedirectValue bounds the inflated size of an HTTP-Redirect
// message when DecodeRedirectValue is given no bound.
const DefaultMaxRedirectValue = 64 << 10

// redirectURL encodes msg for the HTTP-Redirect binding as the query
// parameter param ("SAMLRequest" or "SAMLResponse") of dest: DEFLATE, then
// base64, then URL encoding, with RelayState and, when key is not nil, an
// RSA-SHA256 signature over the exact query string the bindings spec
// prescribes (param, RelayState, SigAlg in that order).
func redirectURL(dest, param string, msg []byte, relayState string, key *rsa.PrivateKey) (string, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write(msg); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	q := param + "=" + url.QueryEscape(base64.StdEncoding.EncodeToString(buf.Bytes()))
	if relayState != "" {
		q += "&RelayState=" + url.QueryEscape(relayState)
	}
	if key != nil {
		q += "&SigAlg=" + url.QueryEscape(SigAlgRSASHA256)
		sum := sha256.Sum256([]byte(q))
		sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
		if err != nil {
			return "", fmt.Errorf("sign redirect query: %w", err)
		}
		q += "&Signature=" + url.QueryEscape(base64.StdEncoding.EncodeToString(sig))
	}
	// IdP URLs may carry their own query (Google: ?idpid=...); the
	// signature covers only the SAML parameters, as the spec says.
	sep := "?"
	if strings.Contains(dest, "?") {
		sep = "&"
	}
	return dest + sep + q, nil
}

// DecodeRedirectValue decodes a SAMLRequest or SAMLResponse query value of
// the HTTP-Redirect binding (already URL-unescaped): base64, then inflate.
// The inflated message is capped at max bytes (0 = DefaultMaxRedirectValue)
// so a deflate bomb costs at most that much.
func DecodeRedirectValue(v string, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxRedirectValue
	}
	// A '+' that was not percent-encoded arrives as a space after query
	// decoding; line breaks come from IdPs that wrap base64.
	v = strings.NewReplacer(" ", "+", "\r", "", "\n", "").Replace(v)
	if v == "" {
		return nil, errors.New("empty SAML message")
	}
	// Deflate never expands data by more than a few bytes per block, so
	// a larger input cannot inflate to a valid message within max.
	if base64.StdEncoding.DecodedLen(len(v)) > max+max/8+64 {
		return nil, fmt.Errorf("SAML message larger than %d bytes", max)
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("SAML message is not base64: %w", err)
	}
	r := flate.NewReader(bytes.NewReader(raw))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("SAML message does not inflate: %w", err)
	}
	if len(out) > max {
		return nil, fmt.Errorf("SAML message inflates to more than %d bytes", max)
	}
	return out, nil
}

// newMessageID returns a SAML message ID: "_" and 20 random bytes in hex
// (160 bits, beyond guessing; the leading "_" makes it a valid xs:ID).
func newMessageID() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random message ID: %w", err)
	}
	return "_" + hex.EncodeToString(b[:]), nil
}
