package saml

import (
	"encoding/base64"
	"strings"
)

// DecodeResponse decodes the SAMLResponse form value of the HTTP-POST
// binding: standard base64, with any whitespace (IdPs wrap lines) ignored.
// maxSize caps the decoded size (0 = DefaultMaxResponseSize); the cap is
// checked before decoding so an oversized body costs no allocation.
// Errors: ReasonBadBase64, ReasonResponseTooLarge.
func DecodeResponse(formValue string, maxSize int) ([]byte, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxResponseSize
	}
	compact := stripFormWhitespace(formValue)
	if base64.StdEncoding.DecodedLen(len(compact)) > maxSize+2 {
		return nil, rejectf(ReasonResponseTooLarge, "expected at most %d decoded bytes, got about %d", maxSize, base64.StdEncoding.DecodedLen(len(compact)))
	}
	if len(compact) == 0 {
		return nil, rejectf(ReasonBadBase64, "expected a base64 SAMLResponse, got an empty value")
	}
	raw := make([]byte, base64.StdEncoding.DecodedLen(len(compact)))
	n, err := base64.StdEncoding.Decode(raw, compact)
	if err != nil {
		return nil, rejectf(ReasonBadBase64, "expected standard base64, got invalid input: %v", err)
	}
	raw = raw[:n]
	if len(raw) > maxSize {
		return nil, rejectf(ReasonResponseTooLarge, "expected at most %d decoded bytes, got %d", maxSize, len(raw))
	}
	return raw, nil
}

// stripFormWhitespace returns the form value without spaces, tabs and line
// breaks, byte by byte (a per-rune strings.Map cost more than the decode).
func stripFormWhitespace(v string) []byte {
	if strings.IndexByte(v, ' ') < 0 && strings.IndexByte(v, '\t') < 0 && strings.IndexByte(v, '\r') < 0 && strings.IndexByte(v, '\n') < 0 {
		return []byte(v) // the usual form value: one vectorized scan per byte value
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ' ', '\t', '\r', '\n':
			continue
		}
		out = append(out, v[i])
	}
	return out
}
