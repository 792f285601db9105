package scim

import (
	"encoding/json"
	"strings"
)

// canonicalNames maps lowercased attribute names to their RFC 7643
// spelling. Attribute names are case-insensitive (RFC 7643 §2.1); keys
// are stored in this spelling so that a document never holds the same
// attribute twice.
var canonicalNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"userName", "name", "displayName", "nickName", "profileUrl", "title", "userType",
		"preferredLanguage", "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos",
		"addresses", "groups", "entitlements", "roles", "x509Certificates", "externalId", "id", "meta", "schemas",
		"formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix",
		"value", "display", "type", "primary", "streetAddress", "locality", "region", "postalCode", "country",
		"employeeNumber", "costCenter", "organization", "division", "department", "manager", "members"} {
		m[strings.ToLower(n)] = n
	}
	return m
}()

// multiValued are the User attributes that are lists (RFC 7643 §4.1.2).
var multiValued = map[string]bool{"emails": true, "phoneNumbers": true, "ims": true, "photos": true, "addresses": true,
	"groups": true, "entitlements": true, "roles": true, "x509Certificates": true}

// canonical is the stored spelling of an attribute name.
func canonical(name string) string {
	if c, ok := canonicalNames[strings.ToLower(name)]; ok {
		return c
	}
	return name
}

// findKey returns the key of m that names attribute name (in any case),
// or its canonical spelling when m has none.
func findKey(m map[string]any, name string) string {
	if _, ok := m[name]; ok {
		return name
	}
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return canonical(name)
}

// lookup reads attribute name of m in any case.
func lookup(m map[string]any, name string) (any, bool) {
	v, ok := m[findKey(m, name)]
	return v, ok
}

// str is a string attribute value ("" when absent or not a string).
func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// boolish reads a boolean that Entra may send as a string ("False"); def
// when absent. ok is false for any other value.
func boolish(v any, def bool) (value, ok bool) {
	switch b := v.(type) {
	case nil:
		return def, true
	case bool:
		return b, true
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// normalizeDoc rewrites keys to their canonical spelling and booleans
// sent as strings ("active", "primary") to booleans, recursively.
func normalizeDoc(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			ck := k
			if !strings.HasPrefix(strings.ToLower(k), "urn:") {
				ck = canonical(k)
			}
			val = normalizeDoc(val)
			if ck == "active" || ck == "primary" {
				if b, ok := boolish(val, false); ok && val != nil {
					val = b
				}
			}
			out[ck] = val
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeDoc(e)
		}
		return out
	}
	return v
}

// decodeJSON decodes raw keeping numbers exact.
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	return dec.Decode(v)
}

// isExtensionURN reports whether k names a schema extension (a key whose
// value holds that schema's attributes).
func isExtensionURN(k string) bool {
	return strings.HasPrefix(strings.ToLower(k), "urn:") && !strings.EqualFold(k, SchemaUser) && !strings.EqualFold(k, SchemaGroup)
}

// canonicalURN is the stored spelling of a schema URN.
func canonicalURN(k string) string {
	if strings.EqualFold(k, SchemaEnterprise) {
		return SchemaEnterprise
	}
	return k
}
