package workspace

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on names. They keep pages and audit lines readable and bound
// what an admin (or an IdP) can make us store.
const (
	maxSlugLen      = 63
	maxNameLen      = 200
	maxGroupNameLen = 200
	maxEmailLen     = 254 // RFC 5321 path limit
)

// ValidateSlug checks a workspace slug: 1-63 characters of lowercase
// [a-z0-9-], not starting or ending with '-' (docs/concepts.md). Upper case is
// refused rather than folded so that what the admin typed is what the
// login URL shows.
func ValidateSlug(s string) error {
	if s == "" {
		return invalid("slug", "Slug: required.")
	}
	if len(s) > maxSlugLen {
		return invalid("slug", "Slug: at most %d characters.", maxSlugLen)
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return invalid("slug", "Slug: only lowercase letters a-z, digits and '-' are allowed (found %q).", c)
		}
	}
	if s[0] == '-' || s[len(s)-1] == '-' {
		return invalid("slug", "Slug: must not start or end with '-'.")
	}
	return nil
}

// ValidateWorkspaceName checks a workspace's display name.
func ValidateWorkspaceName(name string) error {
	return validateLabel("name", "Workspace name", name, maxNameLen)
}

// ValidateGroupName checks a custom group name: non-empty, trimmed, no
// control characters, and not a reserved role name in any case (docs/concepts.md),
// because sync matches role names case-insensitively and a custom group
// called "Admin" would be ambiguous.
func ValidateGroupName(name string) error {
	if err := validateLabel("name", "Group name", name, maxGroupNameLen); err != nil {
		return err
	}
	if _, isRole := ParseRole(name); isRole {
		return invalid("name", "Group name: %q is a role name (admin, builder, end-user are reserved, in any case).", name)
	}
	return nil
}

// validateLabel checks a human-readable name.
func validateLabel(field, label, s string, max int) error {
	switch {
	case strings.TrimSpace(s) == "":
		return invalid(field, "%s: required.", label)
	case s != strings.TrimSpace(s):
		return invalid(field, "%s: must not start or end with spaces.", label)
	case !utf8.ValidString(s):
		return invalid(field, "%s: not valid UTF-8.", label)
	case utf8.RuneCountInString(s) > max:
		return invalid(field, "%s: at most %d characters.", label, max)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(field, "%s: must not contain control characters.", label)
	}
	return nil
}

// NormalizeEmail trims and lowercases an email address and checks that it
// is a bare addr-spec (no display name, exactly one '@', a domain). Emails
// are compared case-insensitively everywhere (docs/concepts.md), so the whole
// address is lowercased, local part included.
func NormalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", invalid("email", "Email: required.")
	}
	if foldsOntoOtherLetter(s) {
		// "\u212Aate@corp.com" (KELVIN SIGN) would lowercase to
		// kate@corp.com: another mailbox, and another person's account.
		return "", invalid("email", "Email: %q is not an email address.", s)
	}
	if len(e) > maxEmailLen {
		return "", invalid("email", "Email: at most %d characters.", maxEmailLen)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return "", invalid("email", "Email: %q is not an email address.", s)
	}
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") {
		return "", invalid("email", "Email: %q is not an email address.", s)
	}
	return e, nil
}

// foldsOntoOtherLetter reports whether s holds a letter that lowercases
// to the lowercase of a different letter (KELVIN SIGN U+212A to 'k',
// U+0130 to 'i', ANGSTROM SIGN U+212B to 'å'): lowercasing would merge
// two distinct addresses, so such input is refused rather than folded.
func foldsOntoOtherLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		l := unicode.ToLower(r)
		return l != r && unicode.ToUpper(l) != r
	}) >= 0
}

// emailDomain is the part after the '@' of a normalized email.
func emailDomain(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}
