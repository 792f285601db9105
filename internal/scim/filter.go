package scim

import (
	"regexp"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// MaxFilterLen bounds the filter query parameter (bytes). Directories
// send short equality filters; a long one is refused before parsing.
const MaxFilterLen = 1024

// MaxFilterNesting bounds the depth of parentheses and brackets: the
// parser backtracks, and a kilobyte of "(" costs it 0.2 s of CPU, where
// real filters nest once or twice.
const MaxFilterNesting = 8

// Schema URNs (RFC 7643, and Entra's enterprise extension use).
const (
	SchemaUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// subAttrCompare matches `emails[type eq "work"].value eq "x"`, which Entra
// sends but RFC 7644's grammar has no production for (a valuePath is not
// followed by a sub-attribute in a filter). It is rewritten into the
// equivalent `emails[type eq "work" and value eq "x"]` (without parentheses,
// which the parser does not take inside brackets; an "or" inside is then
// refused by the callers, which accept and-joined conditions only).
var subAttrCompare = regexp.MustCompile(`^\s*([A-Za-z][\w:.-]*)\[([^\[\]]+)\]\.([A-Za-z][\w-]*)\s+(.+?)\s*$`)

// parseFilter parses a filter, bounded, with Entra's sub-attribute form.
func parseFilter(raw string) (filter.Expression, *Error) {
	if len(raw) > MaxFilterLen {
		return nil, badRequest(typeInvalidFilter, "filter is longer than %d bytes", MaxFilterLen)
	}
	if nesting(raw) > MaxFilterNesting {
		return nil, badRequest(typeInvalidFilter, "filter nests parentheses or brackets deeper than %d", MaxFilterNesting)
	}
	if m := subAttrCompare.FindStringSubmatch(raw); m != nil {
		raw = m[1] + "[" + m[2] + " and " + m[3] + " " + m[4] + "]"
	}
	e, err := filter.ParseFilter([]byte(raw))
	if err != nil {
		return nil, badRequest(typeInvalidFilter, "the filter is not valid SCIM filter syntax")
	}
	return e, nil
}

// userFilter turns a Users filter into a store filter. Supported: `eq`
// on id, userName, externalId, emails.value and emails[...].value (the
// filters directories use to find a user before creating it), joined by
// `and`. Anything else is an invalidFilter error rather than a wrong
// (empty or full) result.
func userFilter(raw string) (store.SCIMUserFilter, *Error) {
	return eqFilter(raw, SchemaUser, true, func(f *store.SCIMUserFilter) map[string]*string {
		return map[string]*string{"id": &f.ID, "username": &f.UserName, "externalid": &f.ExternalID,
			"emails": &f.Email, "emails.value": &f.Email}
	})
}

// groupFilter turns a Groups filter into a store filter: `eq` on id,
// displayName and externalId, joined by `and`.
func groupFilter(raw string) (store.SCIMGroupFilter, *Error) {
	return eqFilter(raw, SchemaGroup, false, func(f *store.SCIMGroupFilter) map[string]*string {
		return map[string]*string{"id": &f.ID, "displayname": &f.DisplayName, "externalid": &f.ExternalID}
	})
}

// eqFilter parses raw into a store filter F: an empty filter is the zero
// F (everything); otherwise every `eq` must name a supported attribute, a
// key of fields (lower case, with its sub-attribute) pointing at the F
// field it sets, and at least one must set something, or it is
// unsupportedFilter.
func eqFilter[F comparable](raw, schema string, emailValuePath bool, fields func(f *F) map[string]*string) (F, *Error) {
	var f, zero F
	if strings.TrimSpace(raw) == "" {
		return f, nil
	}
	e, serr := parseFilter(raw)
	if serr != nil {
		return f, serr
	}
	to := fields(&f)
	set := func(attr, value string) bool {
		field, ok := to[strings.ToLower(attr)]
		if ok {
			*field = value
		}
		return ok
	}
	if !walkEq(e, schema, set, emailValuePath) || f == zero {
		return f, unsupportedFilter()
	}
	return f, nil
}

// unsupportedFilter is the error of a valid but unsupported filter.
func unsupportedFilter() *Error {
	return badRequest(typeInvalidFilter, `unsupported filter: use "eq" on userName, externalId, id or emails (Users), or displayName, externalId or id (Groups), joined by "and"`)
}

// walkEq visits the `eq` comparisons of an and-only expression. set
// receives the attribute path (with its sub-attribute) and the string
// value and reports whether the attribute is supported. emailValuePath
// allows `emails[... value eq "x" ...]`, whose other conditions (type
// eq "work") are accepted: Gatehouse keeps one email per user.
func walkEq(e filter.Expression, schema string, set func(attr, value string) bool, emailValuePath bool) bool {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		return x.Operator == filter.AND && walkEq(x.Left, schema, set, emailValuePath) && walkEq(x.Right, schema, set, emailValuePath)
	case *filter.AttributeExpression:
		v, ok := x.CompareValue.(string)
		if x.Operator != filter.EQ || !ok || !coreURI(x.AttributePath.URI(), schema) {
			return false
		}
		attr := x.AttributePath.AttributeName
		if sub := x.AttributePath.SubAttributeName(); sub != "" {
			attr += "." + sub
		}
		return set(attr, v)
	case *filter.ValuePath:
		if !emailValuePath || !strings.EqualFold(x.AttributePath.AttributeName, "emails") {
			return false
		}
		value, ok := emailInValueFilter(x.ValueFilter)
		return ok && set("emails", value)
	}
	return false
}

// emailInValueFilter finds the `value eq "x"` of an emails value filter;
// the other conditions must be and-joined equalities (type, primary).
func emailInValueFilter(e filter.Expression) (string, bool) {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		if x.Operator != filter.AND {
			return "", false
		}
		l, lok := emailInValueFilter(x.Left)
		r, rok := emailInValueFilter(x.Right)
		if l != "" && r != "" {
			return "", false
		}
		return l + r, lok && rok
	case *filter.AttributeExpression:
		if x.Operator != filter.EQ {
			return "", false
		}
		if strings.EqualFold(x.AttributePath.AttributeName, "value") {
			v, ok := x.CompareValue.(string)
			return v, ok
		}
		return "", true
	}
	return "", false
}

// coreURI accepts no URI or the resource's core schema URN.
func coreURI(uri, schema string) bool { return uri == "" || strings.EqualFold(uri, schema) }

// nesting is the deepest level of ( and [ outside quoted strings.
func nesting(s string) int {
	depth, deepest, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == ')' || c == ']':
			depth--
		}
	}
	return deepest
}
