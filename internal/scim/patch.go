package scim

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// SchemaPatchOp is the URN of a PATCH request body (RFC 7644 §3.5.2).
const SchemaPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// MaxPatchOps bounds the operations of one PATCH request.
const MaxPatchOps = 1000

// patchRequest is a PATCH body. JSON keys match case-insensitively, so
// "operations" is accepted too.
type patchRequest struct {
	Schemas    []string  `json:"schemas"`
	Operations []patchOp `json:"Operations"`
}

// patchOp is one operation; Value is decoded per operation.
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

// decodePatch checks a PATCH body: its schema, the operation names (in
// any case: Entra sends "Replace") and the number of operations.
func decodePatch(raw []byte) (*patchRequest, *Error) {
	var p patchRequest
	if err := decodeJSON(raw, &p); err != nil {
		return nil, badRequest(typeInvalidSyntax, "the body is not a JSON PatchOp request")
	}
	if !slices.ContainsFunc(p.Schemas, func(s string) bool { return strings.EqualFold(s, SchemaPatchOp) }) {
		return nil, badRequest(typeInvalidSyntax, "schemas must contain %s", SchemaPatchOp)
	}
	if len(p.Operations) == 0 || len(p.Operations) > MaxPatchOps {
		return nil, badRequest(typeInvalidValue, "a PATCH needs between 1 and %d operations", MaxPatchOps)
	}
	for i := range p.Operations {
		op := strings.ToLower(strings.TrimSpace(p.Operations[i].Op))
		if op != "add" && op != "replace" && op != "remove" {
			return nil, badRequest(typeInvalidSyntax, "operation %d: op %q is not add, replace or remove", i+1, p.Operations[i].Op)
		}
		p.Operations[i].Op = op
	}
	return &p, nil
}

// value decodes an operation's value (nil when absent).
func (o patchOp) value() (any, *Error) {
	if len(o.Value) == 0 {
		return nil, nil
	}
	var v any
	if err := decodeJSON(o.Value, &v); err != nil {
		return nil, badRequest(typeInvalidSyntax, "an operation's value is not JSON")
	}
	return normalizeDoc(v), nil
}

// applyPatch applies the operations to doc, a resource document of the
// core schema coreSchema, in order. doc is changed in place; on error
// the caller discards it.
func applyPatch(doc map[string]any, coreSchema string, ops []patchOp) *Error {
	for _, o := range ops {
		v, err := o.value()
		if err != nil {
			return err
		}
		if err := applyOp(doc, coreSchema, o.Op, o.Path, v); err != nil {
			return err
		}
	}
	// A value set through a path ("active": "False") is normalized too.
	n := normalizeDoc(doc).(map[string]any)
	clear(doc)
	maps.Copy(doc, n)
	return nil
}

// applyOp applies one operation. Without a path, the value is an object
// whose keys are attribute paths (Entra sends `{"op":"Replace","value":
// {"active":false}}` and keys such as "name.givenName"), or extension
// URNs holding that extension's attributes.
func applyOp(doc map[string]any, coreSchema, op, path string, value any) *Error {
	if path != "" {
		return applyPath(doc, coreSchema, op, path, value)
	}
	if op == "remove" {
		return badRequest(typeNoTarget, "a remove operation needs a path")
	}
	m, ok := value.(map[string]any)
	if !ok {
		return badRequest(typeInvalidValue, "an operation without a path needs an object value")
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		if sub, ok := v.(map[string]any); ok && isExtensionURN(k) {
			for _, sk := range sortedKeys(sub) {
				if err := applyPath(doc, coreSchema, op, canonicalURN(k)+":"+sk, sub[sk]); err != nil {
					return err
				}
			}
			continue
		}
		if err := applyPath(doc, coreSchema, op, k, v); err != nil {
			return err
		}
	}
	return nil
}

// readOnly attributes cannot be changed by a client.
var readOnly = map[string]bool{"id": true, "meta": true, "groups": true}

// checkPathBounds refuses a PATCH path longer or deeper than a filter may
// be, before the parser sees it (User and Group paths alike).
func checkPathBounds(raw string) *Error {
	if len(raw) > MaxFilterLen {
		return badRequest(typeInvalidPath, "path is longer than %d bytes", MaxFilterLen)
	}
	if nesting(raw) > MaxFilterNesting {
		return badRequest(typeInvalidPath, "path nests deeper than %d", MaxFilterNesting)
	}
	return nil
}

// applyPath applies an operation with a path.
func applyPath(doc map[string]any, coreSchema, op, rawPath string, value any) *Error {
	if e := checkPathBounds(rawPath); e != nil {
		return e
	}
	p, err := filter.ParsePath([]byte(rawPath))
	if err != nil {
		return badRequest(typeInvalidPath, "path %q is not a valid attribute path", rawPath)
	}
	container, inCore := doc, true
	if uri := p.AttributePath.URI(); uri != "" && !strings.EqualFold(uri, coreSchema) {
		if !strings.EqualFold(uri, SchemaEnterprise) {
			return badRequest(typeInvalidPath, "unknown schema %q in path", uri)
		}
		if container = childMap(doc, SchemaEnterprise, op != "remove"); container == nil {
			return nil
		}
		inCore = false
	}
	name := p.AttributePath.AttributeName
	if inCore && canonical(name) == "schemas" {
		return nil // ours; a client's value has no effect
	}
	if inCore && readOnly[canonical(name)] {
		return &Error{Status: 400, SCIMType: typeMutability, Detail: fmt.Sprintf("attribute %q is read-only", name)}
	}
	key := findKey(container, name)
	if p.ValueExpression != nil {
		return applyFiltered(container, key, op, p.ValueExpression, p.SubAttributeName(), value)
	}
	if sub := p.AttributePath.SubAttributeName(); sub != "" {
		return applySub(container, key, op, sub, value)
	}
	applyPlain(container, key, op, value)
	return nil
}

// applySub sets or removes a sub-attribute of a complex attribute
// (name.givenName).
func applySub(container map[string]any, key, op, sub string, value any) *Error {
	parent := childMap(container, key, op != "remove")
	if parent == nil {
		return nil
	}
	sk := findKey(parent, sub)
	if op == "remove" {
		delete(parent, sk)
		if len(parent) == 0 {
			delete(container, key)
		}
		return nil
	}
	parent[sk] = value
	return nil
}

// applyPlain applies an operation to a whole attribute (RFC 7644
// §3.5.2.1-3): add appends to a list and merges into a complex value;
// replace sets (merging a complex value); remove deletes the attribute,
// or the listed values of a list (Entra's "remove members" with a value).
func applyPlain(container map[string]any, key, op string, value any) {
	cur, exists := container[key]
	switch op {
	case "remove":
		list, isList := cur.([]any)
		if value == nil || !isList {
			delete(container, key)
			return
		}
		for _, v := range asList(value) {
			list = slices.DeleteFunc(list, func(e any) bool { return sameValue(e, v) })
		}
		setList(container, key, list)
	case "add":
		if list, ok := cur.([]any); ok || multiValued[key] {
			for _, v := range asList(value) {
				list = slices.DeleteFunc(list, func(e any) bool { return sameValue(e, v) })
				list = append(list, v)
			}
			setList(container, key, list)
			return
		}
		fallthrough
	case "replace":
		if multiValued[key] {
			setList(container, key, asList(value))
			return
		}
		cm, curIsMap := cur.(map[string]any)
		vm, valIsMap := value.(map[string]any)
		if exists && curIsMap && valIsMap {
			for k, v := range vm {
				cm[findKey(cm, k)] = v
			}
			return
		}
		container[key] = value
	}
}

// applyFiltered applies an operation to the elements of a list that
// match a value filter (emails[type eq "work"].value). When add or
// replace matches nothing, an element is created from the filter's
// equalities: Entra replaces emails[type eq "work"].value on a user
// without a work email and expects one to exist afterwards.
func applyFiltered(container map[string]any, key, op string, vf filter.Expression, sub string, value any) *Error {
	list, _ := container[key].([]any)
	var hits []int
	for i, e := range list {
		em, ok := e.(map[string]any)
		if !ok {
			continue
		}
		match, err := evalFilter(vf, em)
		if err != nil {
			return err
		}
		if match {
			hits = append(hits, i)
		}
	}
	if op == "remove" {
		for j := len(hits) - 1; j >= 0; j-- {
			i := hits[j]
			if sub != "" {
				delete(list[i].(map[string]any), findKey(list[i].(map[string]any), sub))
				continue
			}
			list = slices.Delete(list, i, i+1)
		}
		setList(container, key, list)
		return nil
	}
	if len(hits) == 0 {
		elem := seedFromFilter(vf)
		list = append(list, elem)
		hits = []int{len(list) - 1}
	}
	for _, i := range hits {
		em := list[i].(map[string]any)
		switch vm, isMap := value.(map[string]any); {
		case sub != "":
			em[findKey(em, sub)] = value
		case isMap && op == "replace":
			list[i] = vm
		case isMap:
			for k, v := range vm {
				em[findKey(em, k)] = v
			}
		default:
			return badRequest(typeInvalidValue, "a value filter without a sub-attribute needs an object value")
		}
	}
	setList(container, key, list)
	return nil
}

// evalFilter evaluates a value filter against one list element.
func evalFilter(e filter.Expression, elem map[string]any) (bool, *Error) {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		l, err := evalFilter(x.Left, elem)
		if err != nil {
			return false, err
		}
		r, err := evalFilter(x.Right, elem)
		if err != nil {
			return false, err
		}
		if x.Operator == filter.AND {
			return l && r, nil
		}
		return l || r, nil
	case *filter.NotExpression:
		v, err := evalFilter(x.Expression, elem)
		return !v, err
	case *filter.AttributeExpression:
		v, _ := lookup(elem, x.AttributePath.AttributeName)
		if sub := x.AttributePath.SubAttributeName(); sub != "" {
			m, _ := v.(map[string]any)
			v, _ = lookup(m, sub)
		}
		return compare(x.Operator, v, x.CompareValue)
	}
	return false, badRequest(typeInvalidFilter, "unsupported value filter")
}

// compare applies a comparison operator; strings compare
// case-insensitively (the sub-attributes filtered on, type and value,
// are not case-exact).
func compare(op filter.CompareOperator, v, want any) (bool, *Error) {
	if op == filter.PR {
		return v != nil && v != "", nil
	}
	s, isStr := v.(string)
	w, wantStr := want.(string)
	switch op {
	case filter.EQ, filter.NE:
		eq := false
		switch {
		case isStr && wantStr:
			eq = strings.EqualFold(s, w)
		case v == nil:
		default:
			if wb, ok := want.(bool); ok {
				b, bok := boolish(v, false)
				eq = bok && b == wb
			} else {
				eq = fmt.Sprint(v) == fmt.Sprint(want)
			}
		}
		return eq == (op == filter.EQ), nil
	case filter.CO, filter.SW, filter.EW:
		if !isStr || !wantStr {
			return false, nil
		}
		s, w = strings.ToLower(s), strings.ToLower(w)
		return op == filter.CO && strings.Contains(s, w) || op == filter.SW && strings.HasPrefix(s, w) ||
			op == filter.EW && strings.HasSuffix(s, w), nil
	}
	return false, badRequest(typeInvalidFilter, "operator %q is not supported in value filters", op)
}

// seedFromFilter builds a new list element from the and-joined
// equalities of a value filter (type eq "work" -> {"type":"work"}).
func seedFromFilter(e filter.Expression) map[string]any {
	out := map[string]any{}
	var walk func(filter.Expression)
	walk = func(e filter.Expression) {
		switch x := e.(type) {
		case *filter.LogicalExpression:
			if x.Operator == filter.AND {
				walk(x.Left)
				walk(x.Right)
			}
		case *filter.AttributeExpression:
			if x.Operator == filter.EQ && x.AttributePath.SubAttribute == nil {
				out[canonical(x.AttributePath.AttributeName)] = x.CompareValue
			}
		}
	}
	walk(e)
	return out
}

// childMap returns container[key] as an object, creating it when create.
func childMap(container map[string]any, key string, create bool) map[string]any {
	k := findKey(container, key)
	if m, ok := container[k].(map[string]any); ok {
		return m
	}
	if !create {
		return nil
	}
	m := map[string]any{}
	container[k] = m
	return m
}

// asList wraps a single value in a list.
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// setList stores a list, dropping the attribute when it is empty.
func setList(container map[string]any, key string, list []any) {
	if len(list) == 0 {
		delete(container, key)
		return
	}
	container[key] = list
}

// sameValue reports whether two list elements are the same value:
// objects with a "value" compare by it (case-insensitively), with "type"
// when both have one; anything else compares deeply.
func sameValue(a, b any) bool {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		av, _ := lookup(am, "value")
		bv, _ := lookup(bm, "value")
		if av != nil && bv != nil {
			at, _ := lookup(am, "type")
			bt, _ := lookup(bm, "type")
			return strings.EqualFold(fmt.Sprint(av), fmt.Sprint(bv)) && (at == nil || bt == nil || strings.EqualFold(fmt.Sprint(at), fmt.Sprint(bt)))
		}
	}
	return reflect.DeepEqual(a, b)
}

// sortedKeys returns m's keys sorted, so operations apply in a fixed order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
