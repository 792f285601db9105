package saml

import (
	"iter"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// The one set of element and attribute readers of internal/saml, used for
// responses, metadata, logout messages and encrypted assertions alike.
// Elements are matched by namespace URI and local name, never by prefix;
// attributes by their unprefixed name only (etree's SelectAttr would also
// match "x:ID" for "ID"); text is read in full, never cut at a comment.

// isElem reports whether el is the element {ns}local.
func isElem(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == ns
}

// childElems lists the child elements {ns}local of el.
func childElems(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for c := range eachChildElem(el, ns, local) {
		out = append(out, c)
	}
	return out
}

// eachChildElem iterates over the child elements {ns}local of el without
// building a slice (the ACS path reads dozens of children per response).
func eachChildElem(el *etree.Element, ns, local string) iter.Seq[*etree.Element] {
	return func(yield func(*etree.Element) bool) {
		for _, t := range el.Child {
			if c, ok := t.(*etree.Element); ok && isElem(c, ns, local) && !yield(c) {
				return
			}
		}
	}
}

// hasChildElem reports whether el has any child element.
func hasChildElem(el *etree.Element) bool {
	for _, t := range el.Child {
		if _, ok := t.(*etree.Element); ok {
			return true
		}
	}
	return false
}

// optionalChild returns the single child {ns}local of el, nil when there
// is none, and an error when there are several: a second Subject, NameID or
// Conditions would let a signer and a reader disagree on which counts.
func optionalChild(el *etree.Element, ns, local string) (*etree.Element, error) {
	var found *etree.Element
	n := 0
	for c := range eachChildElem(el, ns, local) {
		found = c
		n++
	}
	if n > 1 {
		return nil, rejectf(ReasonMalformedXML, "expected at most one <%s> in <%s>, got %d", local, el.Tag, n)
	}
	return found, nil
}

// textOf concatenates every piece of character data directly inside el.
// Unlike etree's Text, which stops at the first comment or processing
// instruction, it never truncates a value ("alice@evil.com<!---->.x.com"
// reads in full). Child elements are an error: SAML's simple-valued
// elements have none, and ignoring them would hide content.
func textOf(el *etree.Element) (string, error) {
	// The common case, one piece of text, needs no copy.
	if len(el.Child) == 1 {
		if c, ok := el.Child[0].(*etree.CharData); ok {
			return c.Data, nil
		}
	}
	var b strings.Builder
	for _, t := range el.Child {
		switch c := t.(type) {
		case *etree.CharData:
			b.WriteString(c.Data)
		case *etree.Element:
			return "", rejectf(ReasonMalformedXML, "expected text only in <%s>, got a child element <%s>", el.Tag, c.Tag)
		}
	}
	return b.String(), nil
}

// attrValue returns the value of the unprefixed attribute key and whether it
// is present. Prefixed attributes of the same local name are not it:
// etree's SelectAttr would match "x:ID" for "ID".
func attrValue(el *etree.Element, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// attrOr is the unprefixed attribute key of el, or def when it is absent.
func attrOr(el *etree.Element, key, def string) string {
	if v, ok := attrValue(el, key); ok {
		return v
	}
	return def
}

// timeAttr parses an xs:dateTime. SAML requires UTC ("Z"); offsets are
// accepted and converted, a missing zone is an error because its meaning
// would be a guess.
func timeAttr(el *etree.Element, attr string) (time.Time, bool, error) {
	v, ok := attrValue(el, attr)
	if !ok {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, true, rejectf(ReasonMalformedXML, "expected %s on <%s> to be an xs:dateTime with a zone, got %q", attr, el.Tag, v)
	}
	return t.UTC(), true, nil
}
