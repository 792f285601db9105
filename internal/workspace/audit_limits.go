package workspace

import (
	"strings"
	"unicode/utf8"
)

// Bounds on what one audit event stores. Failed sign-ins quote what an
// unauthenticated client sent (the IdP's unsigned status message, a wrong
// audience, the redacted response); without a bound every anonymous
// request could add hundreds of kilobytes to the database (issue 11).
// The retention sweep later clears both quoted fields of failed SAML
// sign-ins (store.DeleteExpired).
const (
	// MaxAuditMessageBytes bounds an event's message.
	MaxAuditMessageBytes = 1 << 10
	// MaxAuditResponseBytes bounds an event's redacted response; the web
	// layer already keeps at most 64 KiB and a note, this is the backstop.
	MaxAuditResponseBytes = 65 << 10
)

// cutMark ends a value that was cut to its bound.
const cutMark = " …(cut)"

// capText returns s cut to at most max bytes (at a UTF-8 boundary, ending
// in cutMark when cut).
func capText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max - len(cutMark)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.ToValidUTF8(s[:n], "") + cutMark
}

// capEvent applies the bounds to the fields that may quote a request.
func capEvent(msg, response string) (string, string) {
	return capText(msg, MaxAuditMessageBytes), capText(response, MaxAuditResponseBytes)
}
