package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
)

// GroupMappingsPrefix starts the variables that map IdP groups to
// workspace groups: TJ_SAML_GROUP_MAPPINGS__{slug with '-' replaced by
// '_'} = {"<IdP group or Entra Object ID>": "<workspace group>"} (docs/access-rules.md, group sync rule 2).
// The prefix keeps the name the original system used, so existing
// deployments work unchanged.
const GroupMappingsPrefix = "TJ_SAML_GROUP_MAPPINGS__"

// maxMappingsValue bounds one variable's size (1 MiB holds tens of
// thousands of rows); a larger value is reported, not parsed.
const maxMappingsValue = 1 << 20

// GroupMappings are every TJ_SAML_GROUP_MAPPINGS__* variable of the
// environment, parsed once at start-up. Invalid variables are kept as
// errors: they disable group sync for their workspace only.
type GroupMappings struct {
	vars map[string]mappingVar // by the part after the prefix
}

// mappingVar is one variable: its mapping, or why it is invalid.
type mappingVar struct {
	name    string
	mapping map[string]string
	err     error
}

// GroupMappingsError says which variable is invalid and what is wrong.
type GroupMappingsError struct {
	Variable string // e.g. TJ_SAML_GROUP_MAPPINGS__acme_corp
	Problem  string // e.g. "invalid JSON at line 1, column 9: ..."
}

// Error names the variable, then the problem.
func (e *GroupMappingsError) Error() string { return e.Variable + ": " + e.Problem }

// GroupMappingsVar is the variable name for a workspace slug (the form
// Lookup tries first).
func GroupMappingsVar(slug string) string {
	return GroupMappingsPrefix + strings.ReplaceAll(slug, "-", "_")
}

// ParseGroupMappings reads every TJ_SAML_GROUP_MAPPINGS__* entry of
// environ ("KEY=value" pairs; a later duplicate wins, as in the process
// environment). It never fails and never panics: problems are kept per
// variable (Lookup, Problems).
func ParseGroupMappings(environ []string) *GroupMappings {
	g := &GroupMappings{vars: map[string]mappingVar{}}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, GroupMappingsPrefix) {
			continue
		}
		key := strings.TrimPrefix(name, GroupMappingsPrefix)
		m, err := parseMappingValue(value)
		v := mappingVar{name: name, mapping: m}
		if err != nil {
			v = mappingVar{name: name, err: &GroupMappingsError{Variable: name, Problem: err.Error()}}
		}
		g.vars[key] = v
	}
	return g
}

// Lookup returns the mapping for a workspace slug: nil (and no error) when
// no variable is set, an error (*GroupMappingsError) when it is invalid.
// The variable is found under the slug's exact form (acme_corp) or its
// upper-case form (ACME_CORP), the usual spelling of environment
// variables; if both are set with different values that is an error, since
// we cannot tell which one the operator meant. The returned map is a copy.
func (g *GroupMappings) Lookup(slug string) (map[string]string, error) {
	if g == nil {
		return nil, nil
	}
	key := strings.ReplaceAll(slug, "-", "_")
	exact, hasExact := g.vars[key]
	upper, hasUpper := g.vars[strings.ToUpper(key)]
	switch {
	case hasExact && hasUpper && key != strings.ToUpper(key) && !sameVar(exact, upper):
		return nil, &GroupMappingsError{Variable: exact.name,
			Problem: "both " + exact.name + " and " + upper.name + " are set with different values; keep one"}
	case hasExact:
		return exact.result()
	case hasUpper:
		return upper.result()
	}
	return nil, nil
}

// Problems lists every invalid variable, sorted, for the start-up log.
func (g *GroupMappings) Problems() []string {
	if g == nil {
		return nil
	}
	var out []string
	for _, v := range g.vars {
		if v.err != nil {
			out = append(out, v.err.Error()+" (group sync is off for this workspace until it is fixed)")
		}
	}
	sort.Strings(out)
	return out
}

// result returns a copy of the mapping, or the error.
func (v mappingVar) result() (map[string]string, error) {
	if v.err != nil {
		return nil, v.err
	}
	return maps.Clone(v.mapping), nil
}

// sameVar reports whether two parsed variables hold the same mapping.
func sameVar(a, b mappingVar) bool {
	return a.err == nil && b.err == nil && maps.Equal(a.mapping, b.mapping)
}

// parseMappingValue parses a JSON object whose values are strings. Keys
// and values are trimmed; empty ones and duplicate keys are errors (JSON
// itself would silently keep the last duplicate, dropping a mapping).
func parseMappingValue(value string) (map[string]string, error) {
	if strings.TrimSpace(value) == "" {
		return nil, errors.New("empty value; set a JSON object such as {\"<IdP group>\": \"<workspace group>\"} or unset the variable")
	}
	if len(value) > maxMappingsValue {
		return nil, fmt.Errorf("value is %d bytes, more than the %d allowed", len(value), maxMappingsValue)
	}
	var decoded any
	if err := json.Unmarshal([]byte(value), &decoded); err != nil {
		return nil, jsonProblem(value, err)
	}
	if _, ok := decoded.(map[string]any); !ok {
		return nil, fmt.Errorf("must be a JSON object of IdP group -> workspace group, got %s", jsonKind(decoded))
	}
	return readObject(value)
}

// readObject walks the top-level object token by token so that duplicate
// keys and non-string values are caught with the key they concern.
func readObject(value string) (map[string]string, error) {
	dec := json.NewDecoder(strings.NewReader(value))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // '{', checked by the caller
		return nil, err
	}
	out := map[string]string{}
	for dec.More() {
		k, v, err := readMember(dec)
		if err != nil {
			return nil, err
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("IdP group %q appears twice", k)
		}
		out[k] = v
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return out, nil
}

// readMember reads one "key": "value" pair.
func readMember(dec *json.Decoder) (string, string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", "", err
	}
	key := strings.TrimSpace(tok.(string)) // object keys are always strings
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return "", "", err
	}
	var val string
	// null unmarshals into a string without error; only a string literal counts.
	if err := json.Unmarshal(raw, &val); err != nil || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
		var v any
		_ = json.Unmarshal(raw, &v)
		return "", "", fmt.Errorf("the value of %q must be a string (a workspace group name), got %s", key, jsonKind(v))
	}
	val = strings.TrimSpace(val)
	switch {
	case key == "":
		return "", "", errors.New("an IdP group name is empty")
	case val == "":
		return "", "", fmt.Errorf("IdP group %q maps to an empty workspace group name", key)
	}
	return key, val, nil
}

// jsonProblem words a JSON decoding error with its position.
func jsonProblem(value string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(value, se.Offset)
		return fmt.Errorf("invalid JSON at line %d, column %d (byte %d): %s", line, col, se.Offset, se.Error())
	}
	return fmt.Errorf("invalid JSON: %s", err.Error())
}

// position turns a byte offset into a 1-based line and column.
func position(s string, offset int64) (int, int) {
	if offset > int64(len(s)) {
		offset = int64(len(s))
	}
	before := s[:offset]
	line := strings.Count(before, "\n") + 1
	col := int(offset) - strings.LastIndex(before, "\n")
	return line, col
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64, json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// Unmatched lists the variables whose suffix names none of slugs (in
// either accepted spelling), sorted: they are ignored, which the start-up
// log must say since a typo in a slug otherwise silently disables the
// mapping.
func (g *GroupMappings) Unmatched(slugs []string) []string {
	if g == nil {
		return nil
	}
	known := map[string]bool{}
	for _, s := range slugs {
		key := strings.ReplaceAll(s, "-", "_")
		known[key], known[strings.ToUpper(key)] = true, true
	}
	var out []string
	for key, v := range g.vars {
		if !known[key] {
			out = append(out, v.name)
		}
	}
	sort.Strings(out)
	return out
}
