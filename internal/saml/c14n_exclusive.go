package saml

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// errC14NFallback marks input excC14N leaves to goxmldsig itself: an
// element on which goxmldsig's attribute order is not a total order (two
// prefixed attributes with the same local name under different prefixes,
// where its result depends on the sort algorithm's steps), or a node kind
// parseSafeXML never builds.
var errC14NFallback = errors.New("c14n: left to goxmldsig")

// errC14NUndeclared mirrors goxmldsig's failure on an undeclared prefix
// (parseSafeXML already rejects those).
var errC14NUndeclared = errors.New("c14n: undeclared namespace prefix")

// nsBinding is one prefix -> namespace binding on a scope stack.
type nsBinding struct{ prefix, ns string }

// defaultBindings is the context goxmldsig starts from (etreeutils'
// NewDefaultNSContext): the unprefixed name maps to the XML namespace
// until a default namespace is declared, which decides whether
// xmlns="..." is rendered, so it is reproduced exactly.
var defaultBindings = []nsBinding{{"", nsXMLReserved}, {"xml", nsXMLReserved}, {"xmlns", nsXMLNSReserved}}

// excC14N writes exclusive XML canonicalization (without comments) of an
// etree element straight from the tree: no copy, no re-parse. Its output
// is byte-identical to goxmldsig's
// MakeC14N10ExclusiveCanonicalizerWithPrefixList on the element as
// goxmldsig's ValidationContext sees it (every in-scope namespace
// declared on the apex, the enveloped Signature removed);
// c14n_differential_test.go and FuzzC14NDifferential prove it. It
// reproduces goxmldsig's own rules, not only the W3C text, because the
// signature verdict must not depend on which of the two ran.
type excC14N struct {
	buf       []byte
	inclusive []string       // InclusiveNamespaces PrefixList
	skip      *etree.Element // the enveloped Signature, left out
	scope     []nsBinding    // in-scope bindings, innermost last
	declared  []nsBinding    // bindings rendered in the output so far
	used      []string       // scratch: visibly utilized prefixes
	attrs     []etree.Attr   // scratch: attributes of one element
}

// canonicalize returns the canonical bytes of el (valid until the next
// call), leaving out skip and rendering the prefixes of prefixList
// inclusively.
func (c *excC14N) canonicalize(el, skip *etree.Element, prefixList string) ([]byte, error) {
	c.buf, c.skip = c.buf[:0], skip
	c.inclusive = strings.Fields(prefixList)
	c.scope = append(c.scope[:0], defaultBindings...)
	c.declared = append(c.declared[:0], defaultBindings...)
	c.pushAncestors(el.Parent())
	if err := c.element(el, true); err != nil {
		return nil, err
	}
	return c.buf, nil
}

// release forgets everything of the last document before the
// canonicalizer goes back to the pool: pooled buffers must neither keep a
// response's tree alive nor hold its canonical bytes (personal data).
func (c *excC14N) release() {
	clear(c.buf[:cap(c.buf)])
	clear(c.attrs[:cap(c.attrs)])
	clear(c.scope[:cap(c.scope)])
	clear(c.declared[:cap(c.declared)])
	clear(c.used[:cap(c.used)])
	c.skip, c.inclusive = nil, nil
}

// pushAncestors adds the declarations of el and its ancestors, outermost
// first, to the scope.
func (c *excC14N) pushAncestors(el *etree.Element) {
	if el == nil {
		return
	}
	c.pushAncestors(el.Parent())
	c.pushDecls(el)
}

func (c *excC14N) pushDecls(el *etree.Element) {
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			c.scope = append(c.scope, nsBinding{a.Key, a.Value})
		case a.Space == "" && a.Key == "xmlns":
			c.scope = append(c.scope, nsBinding{"", a.Value})
		}
	}
}

func lookup(stack []nsBinding, prefix string) (string, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].prefix == prefix {
			return stack[i].ns, true
		}
	}
	return "", false
}

// element writes one element and its content; the scope and declared
// stacks are restored on return.
func (c *excC14N) element(el *etree.Element, apex bool) error {
	scopeLen, declLen, usedLen, attrLen := len(c.scope), len(c.declared), len(c.used), len(c.attrs)
	defer func() {
		c.scope, c.declared, c.used, c.attrs = c.scope[:scopeLen], c.declared[:declLen], c.used[:usedLen], c.attrs[:attrLen]
	}()
	c.pushDecls(el)
	c.markUsed(el.Space)
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			if c.isInclusive(a.Key) {
				c.markUsed(a.Key)
			}
		case a.Space == "" && a.Key == "xmlns":
			// goxmldsig's prefix list never holds the default namespace.
		default:
			if a.Space != "" {
				c.markUsed(a.Space)
			}
			c.attrs = append(c.attrs, a)
		}
	}
	if apex {
		c.markInclusiveAncestors(scopeLen)
	}
	if err := c.declareUsed(usedLen); err != nil {
		return err
	}
	attrs := c.attrs[attrLen:]
	if err := sortC14NAttrs(attrs); err != nil {
		return err
	}
	c.startTag(el, attrs)
	if err := c.content(el); err != nil {
		return err
	}
	c.buf = append(c.buf, "</"...)
	c.appendName(el.Space, el.Tag)
	c.buf = append(c.buf, '>')
	return nil
}

// markInclusiveAncestors: goxmldsig sees the apex with every in-scope
// namespace declared on it, so an inclusive prefix declared on an
// ancestor counts as declared on the apex.
func (c *excC14N) markInclusiveAncestors(ownStart int) {
	for _, b := range c.scope[len(defaultBindings):ownStart] {
		if b.prefix != "" && b.prefix != "xml" && c.isInclusive(b.prefix) {
			c.markUsed(b.prefix)
		}
	}
}

func (c *excC14N) isInclusive(prefix string) bool {
	for _, p := range c.inclusive {
		if p == prefix {
			return true
		}
	}
	return false
}

func (c *excC14N) markUsed(prefix string) {
	for _, p := range c.used {
		if p == prefix {
			return
		}
	}
	c.used = append(c.used, prefix)
}

// declareUsed renders a declaration for every visibly utilized prefix
// whose in-scope namespace is not already the rendered one.
func (c *excC14N) declareUsed(from int) error {
	for _, p := range c.used[from:] {
		ns, ok := lookup(c.scope, p)
		if !ok {
			return errC14NUndeclared
		}
		if d, ok := lookup(c.declared, p); ok && d == ns {
			continue
		}
		c.declared = append(c.declared, nsBinding{p, ns})
		if p == "" {
			c.attrs = append(c.attrs, etree.Attr{Key: "xmlns", Value: ns})
		} else {
			c.attrs = append(c.attrs, etree.Attr{Space: "xmlns", Key: p, Value: ns})
		}
	}
	// The used list is per element: later siblings start afresh.
	c.used = c.used[:from]
	return nil
}

// sortC14NAttrs orders attributes with goxmldsig's comparator after
// refusing the inputs on which that comparator is not a total order.
func sortC14NAttrs(attrs []etree.Attr) error {
	if len(attrs) > 16 {
		if err := ambiguousLarge(attrs); err != nil {
			return err
		}
		sort.Sort(etreeutils.SortedAttrs(attrs))
		return nil
	}
	for i := range attrs {
		for j := i + 1; j < len(attrs); j++ {
			if prefixedTwins(attrs[i], attrs[j]) {
				return errC14NFallback
			}
		}
	}
	// Insertion sort: no allocation for the few attributes real elements have.
	s := etreeutils.SortedAttrs(attrs)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s.Less(j, j-1); j-- {
			s.Swap(j, j-1)
		}
	}
	return nil
}

func prefixedTwins(a, b etree.Attr) bool {
	return a.Space != "" && b.Space != "" && a.Space != "xmlns" && b.Space != "xmlns" && a.Space != b.Space && a.Key == b.Key
}

func ambiguousLarge(attrs []etree.Attr) error {
	spaceOf := make(map[string]string, len(attrs))
	for _, a := range attrs {
		if a.Space == "" || a.Space == "xmlns" {
			continue
		}
		if s, ok := spaceOf[a.Key]; ok && s != a.Space {
			return errC14NFallback
		}
		spaceOf[a.Key] = a.Space
	}
	return nil
}

func (c *excC14N) startTag(el *etree.Element, attrs []etree.Attr) {
	c.buf = append(c.buf, '<')
	c.appendName(el.Space, el.Tag)
	for _, a := range attrs {
		c.buf = append(c.buf, ' ')
		c.appendName(a.Space, a.Key)
		c.buf = append(c.buf, '=', '"')
		c.buf = appendEscaped(c.buf, a.Value, true)
		c.buf = append(c.buf, '"')
	}
	c.buf = append(c.buf, '>')
}

func (c *excC14N) appendName(space, local string) {
	if space != "" {
		c.buf = append(c.buf, space...)
		c.buf = append(c.buf, ':')
	}
	c.buf = append(c.buf, local...)
}

// content writes the children: text escaped, comments dropped, processing
// instructions kept, child elements recursively, the skipped Signature not
// at all.
func (c *excC14N) content(el *etree.Element) error {
	for _, t := range el.Child {
		switch n := t.(type) {
		case *etree.Element:
			if n == c.skip {
				continue
			}
			if err := c.element(n, false); err != nil {
				return err
			}
		case *etree.CharData:
			c.charData(n)
		case *etree.ProcInst:
			c.buf = append(c.buf, "<?"...)
			c.buf = appendSanitized(c.buf, n.Target, "?>")
			if n.Inst != "" {
				c.buf = append(c.buf, ' ')
				c.buf = appendSanitized(c.buf, n.Inst, "?>")
			}
			c.buf = append(c.buf, "?>"...)
		case *etree.Comment:
		default:
			// Directives cannot occur inside an element parseSafeXML built.
			return errC14NFallback
		}
	}
	return nil
}

func (c *excC14N) charData(n *etree.CharData) {
	if !n.IsCData() {
		c.buf = appendEscaped(c.buf, n.Data, false)
		return
	}
	// etree writes a CDATA-flagged node back as CDATA, splitting "]]>".
	c.buf = append(c.buf, "<![CDATA["...)
	s := n.Data
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		c.buf = append(c.buf, s[:i+2]...)
		c.buf = append(c.buf, "]]><![CDATA["...)
		s = s[i+2:]
	}
	c.buf = append(c.buf, s...)
	c.buf = append(c.buf, "]]>"...)
}

// appendSanitized writes s with a space after the '?' of every "?>", as
// etree does for processing instructions.
func appendSanitized(buf []byte, s, bad string) []byte {
	for {
		i := strings.Index(s, bad)
		if i < 0 {
			return append(buf, s...)
		}
		buf = append(buf, s[:i+1]...)
		buf = append(buf, ' ')
		s = s[i+1:]
	}
}

// appendEscaped escapes text or an attribute value exactly as etree's
// canonical write settings do (CanonicalText / CanonicalAttrVal).
func appendEscaped(buf []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := rune(s[i]), 1
		if r >= 0x20 && r < utf8.RuneSelf && !c14nSpecial[r] {
			i++ // the common case: printable ASCII kept as is
			continue
		}
		if r >= utf8.RuneSelf {
			r, width = utf8.DecodeRuneInString(s[i:])
		}
		i += width
		esc := escapeFor(r, width, attr)
		if esc == "" {
			continue
		}
		buf = append(buf, s[last:i-width]...)
		buf = append(buf, esc...)
		last = i
	}
	return append(buf, s[last:]...)
}

// c14nSpecial marks the printable ASCII bytes escapeFor may replace.
var c14nSpecial = [utf8.RuneSelf]bool{'&': true, '<': true, '>': true, '"': true}

// escapeFor returns the replacement for r, or "" to keep it.
func escapeFor(r rune, width int, attr bool) string {
	switch r {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		if attr {
			return ""
		}
		return "&gt;"
	case '"':
		if attr {
			return "&quot;"
		}
		return ""
	case '\t':
		if attr {
			return "&#x9;"
		}
		return ""
	case '\n':
		if attr {
			return "&#xA;"
		}
		return ""
	case '\r':
		return "&#xD;"
	}
	if r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF || r > 0x10FFFF || (r == utf8.RuneError && width == 1) {
		return "\uFFFD"
	}
	return ""
}
