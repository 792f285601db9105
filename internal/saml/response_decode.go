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
	compact := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, formValue)
	if base64.StdEncoding.DecodedLen(len(compact)) > maxSize+2 {
		return nil, rejectf(ReasonResponseTooLarge, "expected at most %d decoded bytes, got about %d", maxSize, base64.StdEncoding.DecodedLen(len(compact)))
	}
	if compact == "" {
		return nil, rejectf(ReasonBadBase64, "expected a base64 SAMLResponse, got an empty value")
	}
	raw, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		return nil, rejectf(ReasonBadBase64, "expected standard base64, got invalid input: %v", err)
	}
	if len(raw) > maxSize {
		return nil, rejectf(ReasonResponseTooLarge, "expected at most %d decoded bytes, got %d", maxSize, len(raw))
	}
	return raw, nil
}
