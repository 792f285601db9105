package saml

import (
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
)

// Attribute names of docs/saml.md, "Attributes". Lookups go through Assertion.Attribute, so
// Entra's full claim URIs match by their last path segment.
const (
	attrGroupsDefault = "groups"
	// attrGroupsLink is Entra's overage claim: present instead of the
	// groups claim when the user is in too many groups for the token.
	attrGroupsLink = "http://schemas.microsoft.com/claims/groups.link"
)

// Attribute returns the attribute called name: an exact match of the
// attribute Name first; then, for compatibility with IdPs that send claim
// URIs (Entra, ADFS), an attribute whose Name ends in "/"+name; then the
// same ignoring case; and last an attribute whose FriendlyName is name
// (Shibboleth-style urn:oid names). The first attribute in document order
// wins at each step.
func (a *Assertion) Attribute(name string) (Attribute, bool) {
	if name == "" {
		return Attribute{}, false
	}
	matchers := []func(Attribute) bool{
		func(at Attribute) bool { return at.Name == name },
		func(at Attribute) bool { return lastSegment(at.Name) == name },
		func(at Attribute) bool { return strings.EqualFold(lastSegment(at.Name), name) },
		func(at Attribute) bool { return at.FriendlyName != "" && at.FriendlyName == name },
	}
	for _, match := range matchers {
		for _, at := range a.Attributes {
			if match(at) {
				return at, true
			}
		}
	}
	return Attribute{}, false
}

// attributesNamed returns every attribute Attribute(name) could match, at
// any of its steps, in document order.
func (a *Assertion) attributesNamed(name string) []Attribute {
	var out []Attribute
	for _, at := range a.Attributes {
		if at.Name == name || strings.EqualFold(lastSegment(at.Name), name) || (at.FriendlyName != "" && at.FriendlyName == name) {
			out = append(out, at)
		}
	}
	return out
}

// emailAmbiguity explains why the email attribute Email reads is
// ambiguous, or returns "" when it is not: the attribute (email, else
// emailaddress, else mail, as Email looks them up) arrived more than once,
// or carries two different non-blank values (compared as Email would
// store them: trimmed, lowercased). Taking the first would let the IdP's
// order, or an injected second value, decide who signs in.
func (a *Assertion) emailAmbiguity() string {
	for _, name := range []string{"email", "emailaddress", "mail"} {
		ats := a.attributesNamed(name)
		if len(ats) == 0 {
			continue
		}
		var values []string
		distinct := map[string]bool{}
		for _, at := range ats {
			for _, v := range at.Values {
				if v = strings.TrimSpace(v); v != "" {
					values = append(values, v)
					distinct[strings.ToLower(v)] = true
				}
			}
		}
		if len(values) == 0 {
			continue // blank: Email looks at the next name
		}
		switch {
		case len(ats) > 1:
			return fmt.Sprintf("the email attribute %q arrived %d times (%s) with the values %s; expected it once with one value",
				name, len(ats), quotedNames(ats), quotedList(values))
		case len(distinct) > 1:
			return fmt.Sprintf("the email attribute %q carries %d different values %s; expected one", ats[0].Name, len(distinct), quotedList(values))
		}
		return ""
	}
	return ""
}

// quotedNames lists the attributes' Names, quoted.
func quotedNames(ats []Attribute) string {
	names := make([]string, len(ats))
	for i, at := range ats {
		names[i] = at.Name
	}
	return quotedList(names)
}

// quotedList quotes each value (Go syntax, so control characters show)
// and joins them with ", ", at most 10 (the rest are counted).
func quotedList(vs []string) string {
	const limit = 10
	parts := make([]string, 0, min(len(vs), limit)+1)
	for i, v := range vs {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more", len(vs)-limit))
			break
		}
		parts = append(parts, strconv.Quote(v))
	}
	return strings.Join(parts, ", ")
}

// lastSegment is the part of a claim URI after its last '/'.
func lastSegment(name string) string {
	return name[strings.LastIndexByte(name, '/')+1:]
}

// firstValue is the first non-blank value of the attribute, trimmed.
func (a *Assertion) firstValue(name string) string {
	at, ok := a.Attribute(name)
	if !ok {
		return ""
	}
	for _, v := range at.Values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// Email is the user's email address (docs/saml.md, "Attributes"): attribute email, else
// emailaddress, else mail, else the NameID when it is an email address.
// Values that are not a plain email address are skipped. The result is
// trimmed and lowercased, because Gatehouse compares and stores emails
// case-insensitively; "" means none arrived.
func (a *Assertion) Email() string {
	for _, name := range []string{"email", "emailaddress", "mail"} {
		if v := a.firstValue(name); isEmailAddress(v) {
			return strings.ToLower(v)
		}
	}
	if v := strings.TrimSpace(a.NameID); isEmailAddress(v) {
		return strings.ToLower(v)
	}
	return ""
}

// isEmailAddress accepts a bare addr-spec ("a@b.example"), not a display
// name form, so that what is stored is exactly what arrived.
func isEmailAddress(v string) bool {
	if v == "" || !strings.Contains(v, "@") {
		return false
	}
	if foldsOntoOtherLetter(v) {
		return false
	}
	addr, err := mail.ParseAddress(v)
	return err == nil && addr.Name == "" && addr.Address == v
}

// foldsOntoOtherLetter reports whether v holds a letter whose lowercase is
// the lowercase of a different letter (KELVIN SIGN U+212A lowercases to
// 'k', U+0130 to 'i'): Email lowercases, which would turn such a value
// into another person's address, so it is not taken as an email.
func foldsOntoOtherLetter(v string) bool {
	return strings.IndexFunc(v, func(r rune) bool {
		l := unicode.ToLower(r)
		return l != r && unicode.ToUpper(l) != r
	}) >= 0
}

// Name is the user's display name (docs/saml.md, "Attributes"): firstName + lastName, else
// givenname + surname, else displayname, else name, else the local part of
// Email. It is "" only when none of these arrived.
func (a *Assertion) Name() string {
	for _, pair := range [][2]string{{"firstName", "lastName"}, {"givenname", "surname"}} {
		if n := joinNonEmpty(a.firstValue(pair[0]), a.firstValue(pair[1])); n != "" {
			return n
		}
	}
	for _, name := range []string{"displayname", "name"} {
		if v := a.firstValue(name); v != "" {
			return v
		}
	}
	email := a.Email()
	if at := strings.LastIndexByte(email, '@'); at > 0 {
		return email[:at]
	}
	return ""
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

// Groups returns every value of the group attribute attr ("" means
// "groups", which also finds Entra's .../claims/groups), trimmed, blank
// values dropped, duplicates removed, first occurrence order kept.
func (a *Assertion) Groups(attr string) []string {
	if attr == "" {
		attr = attrGroupsDefault
	}
	at, ok := a.Attribute(attr)
	if !ok {
		return nil
	}
	seen := make(map[string]bool, len(at.Values))
	var out []string
	for _, v := range at.Values {
		v = strings.TrimSpace(v)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	return out
}

// GroupsOverage reports Entra's group overage: the groups.link claim is
// present and the group attribute attr ("" = "groups") is absent. The IdP
// then left the groups out, so group sync must change nothing.
func (a *Assertion) GroupsOverage(attr string) bool {
	if attr == "" {
		attr = attrGroupsDefault
	}
	if _, ok := a.Attribute(attrGroupsLink); !ok {
		return false
	}
	_, hasGroups := a.Attribute(attr)
	return !hasGroups
}

// AttributeNames lists the names of the attributes that arrived, in
// document order, each once (for the "missing email" message).
func (a *Assertion) AttributeNames() []string {
	seen := make(map[string]bool, len(a.Attributes))
	var out []string
	for _, at := range a.Attributes {
		if !seen[at.Name] {
			seen[at.Name] = true
			out = append(out, at.Name)
		}
	}
	return out
}

// AttributeMap is every attribute by its full Name with all values (an
// attribute sent twice has its values concatenated). It is what is kept
// as sso_user_info for applications. Values are copied, not shared.
func (a *Assertion) AttributeMap() map[string][]string {
	m := make(map[string][]string, len(a.Attributes))
	for _, at := range a.Attributes {
		vals := m[at.Name]
		if vals == nil {
			vals = []string{}
		}
		m[at.Name] = append(vals, at.Values...)
	}
	return m
}
