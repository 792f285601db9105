package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// assertionPlaintext checks that decrypted bytes are exactly one
// saml:Assertion element (whitespace around it at most; no DTD, no second
// element, bounded depth; an XML declaration at the very start is
// tolerated) and returns it ready to parse on its own: the
// namespace declarations in scope at the EncryptedAssertion that the
// Assertion's start tag does not redeclare are added to that tag, since an
// IdP may have relied on them when it encrypted the element out of the
// Response. Exclusive c14n renders only visibly used (or listed) prefixes,
// so this reproduces the context the IdP signed in. Other bytes are kept
// verbatim. Any problem is reported as a plain false (no oracle).
func assertionPlaintext(plain []byte, enc *etree.Element) ([]byte, bool) {
	dec := xml.NewDecoder(bytes.NewReader(plain))
	dec.Strict = true
	var root *xml.StartElement
	rootAt, depth := int64(-1), 0
	for {
		off := dec.InputOffset()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if root != nil {
					return nil, false // a second top-level element
				}
				root, rootAt = &t, off
			}
			if depth++; depth > MaxXMLDepth {
				return nil, false
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) != 0 {
				return nil, false
			}
		case xml.ProcInst:
			// Some IdPs serialize the element with an XML declaration.
			if depth == 0 && (root != nil || t.Target != "xml" || off != 0) {
				return nil, false
			}
		case xml.Directive:
			return nil, false
		}
	}
	if root == nil || depth != 0 || root.Name.Local != "Assertion" {
		return nil, false
	}
	inherited := inheritedNamespaces(enc, root.Attr)
	ns, ok := namespaceOf(root.Name.Space, root.Attr, inherited)
	if !ok || ns != nsAssertion {
		return nil, false
	}
	return insertDeclarations(plain, rootAt, root.Name, inherited), true
}

// inheritedNamespaces are the prefix -> namespace declarations in scope at
// el (nearest first) minus those declared in own (the root's attributes).
func inheritedNamespaces(el *etree.Element, own []xml.Attr) map[string]string {
	declared := map[string]bool{}
	for _, a := range own {
		if p, ok := declaredPrefix(a.Name.Space, a.Name.Local); ok {
			declared[p] = true
		}
	}
	out := map[string]string{}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			p, ok := declaredPrefix(a.Space, a.Key)
			if !ok || declared[p] {
				continue
			}
			if _, seen := out[p]; !seen {
				out[p] = a.Value
			}
		}
	}
	for p, v := range out {
		if v == "" {
			delete(out, p) // an undeclaration: nothing to inherit
		}
	}
	return out
}

// declaredPrefix reports whether an attribute is a namespace declaration
// and for which prefix ("" = default namespace).
func declaredPrefix(space, local string) (string, bool) {
	switch {
	case space == "xmlns":
		return local, true
	case space == "" && local == "xmlns":
		return "", true
	}
	return "", false
}

// namespaceOf resolves prefix on the root element.
func namespaceOf(prefix string, own []xml.Attr, inherited map[string]string) (string, bool) {
	for _, a := range own {
		if p, ok := declaredPrefix(a.Name.Space, a.Name.Local); ok && p == prefix {
			return a.Value, true
		}
	}
	ns, ok := inherited[prefix]
	return ns, ok
}

// insertDeclarations adds xmlns attributes right after the root element's
// name in its start tag, which begins at byte rootAt.
func insertDeclarations(plain []byte, rootAt int64, name xml.Name, decls map[string]string) []byte {
	if len(decls) == 0 {
		return plain
	}
	prefixes := make([]string, 0, len(decls))
	for p := range decls {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	var add strings.Builder
	for _, p := range prefixes {
		add.WriteString(" xmlns")
		if p != "" {
			add.WriteString(":" + p)
		}
		add.WriteString(`="`)
		_ = xml.EscapeText(&add, []byte(decls[p]))
		add.WriteString(`"`)
	}
	at := int(rootAt) + 1 + len(rawXMLName(name))
	out := make([]byte, 0, len(plain)+add.Len())
	out = append(out, plain[:at]...)
	out = append(out, add.String()...)
	return append(out, plain[at:]...)
}
