package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// MaxXMLDepth bounds element nesting in a response. Real responses nest
// about ten levels (an encrypted assertion a few more); the bound keeps
// recursive code and goxmldsig's traversal cheap on hostile input.
const MaxXMLDepth = 64

// MaxNamespacesInScope bounds the namespace declarations in scope at any
// element. Real responses have about ten; goxmldsig copies the in-scope
// prefix map at every element it visits, so thousands of declarations
// would make an unauthenticated response cost seconds of CPU.
const MaxNamespacesInScope = 32

// parseSafeXML reads raw XML in one tokenizer pass and rejects, before any
// signature work, what validation rule 1 (docs/saml.md) forbids: DTDs and entity declarations (so no entity
// expansion, XXE or billion laughs), XInclude, excessive depth, and
// anything after the root element, namespace floods. It also rejects the constructs on which
// Go's encoding/xml (and therefore etree and goxmldsig) disagree with other
// XML processors or with a parse/serialize round trip: names with more than
// one colon or an empty prefix/local part, undeclared or reserved
// namespace prefixes, undeclaring a prefix, and duplicate attributes (also
// when two prefixes resolve to the same namespace). Documents that pass
// mean the same to every conforming parser, so what the signature covers
// is what we read.
//
// The same pass builds the etree tree (exactly as etree's reader would;
// FuzzParseSafeXML checks it), so a response is tokenized once.
func parseSafeXML(raw []byte) (*etree.Element, error) {
	s := xmlScanner{dec: xml.NewDecoder(bytes.NewReader(raw))}
	s.dec.Strict = true
	// A nil CharsetReader makes non-UTF-8 encodings an error: SAML is UTF-8.
	for {
		tok, err := s.dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, s.syntaxError(err)
		}
		if err := s.token(tok); err != nil {
			return nil, err
		}
	}
	if !s.rootSeen {
		return nil, rejectf(ReasonMalformedXML, "expected an XML document with one root element, got none")
	}
	if len(s.scopes) != 0 {
		return nil, rejectf(ReasonMalformedXML, "expected every element to be closed, %d still open at the end of input", len(s.scopes))
	}
	return s.root, nil
}

// checkXMLSafety is parseSafeXML without the tree.
func checkXMLSafety(raw []byte) error {
	_, err := parseSafeXML(raw)
	return err
}

// xmlScanner carries the state of parseSafeXML: the namespace scopes and
// tree nodes of the open elements, and whether the root was seen and closed.
type xmlScanner struct {
	dec        *xml.Decoder
	scopes     []map[string]string // prefix -> namespace declared on each open element
	names      []xml.Name          // raw names of the open elements
	open       []*etree.Element    // the open elements of the tree being built
	root       *etree.Element
	seen       []rvQName // attributes of the current element (reused)
	arena      treeArena
	inScope    int // namespace declarations on the open elements
	rootSeen   bool
	rootClosed bool
}

func (s *xmlScanner) syntaxError(err error) error {
	line, col := s.dec.InputPos()
	return rejectf(ReasonMalformedXML, "expected well-formed XML, got an error at line %d column %d: %v", line, col, err)
}

func (s *xmlScanner) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.Directive:
		return rejectf(ReasonXMLForbidden, "expected no DOCTYPE, DTD or entity declarations, got <!%.40s>", string(t))
	case xml.StartElement:
		return s.start(t)
	case xml.EndElement:
		// RawToken does not match end tags to start tags; we must.
		if n := len(s.names); n == 0 || s.names[n-1] != t.Name {
			return rejectf(ReasonMalformedXML, "expected end tags to match start tags, got </%s>", joinName(t.Name))
		}
		s.names = s.names[:len(s.names)-1]
		s.open = s.open[:len(s.open)-1]
		s.inScope -= len(s.scopes[len(s.scopes)-1])
		s.scopes = s.scopes[:len(s.scopes)-1]
		if len(s.scopes) == 0 {
			s.rootClosed = true
		}
	case xml.CharData:
		if len(s.open) == 0 {
			if len(bytes.TrimSpace(t)) != 0 {
				return rejectf(ReasonMalformedXML, "expected only whitespace outside the root element, got text %.40q", string(t))
			}
			return nil
		}
		s.arena.addText(s.open[len(s.open)-1], string(t))
	case xml.Comment:
		if s.rootClosed {
			return rejectf(ReasonMalformedXML, "expected nothing after the root element, got a comment")
		}
		if len(s.open) > 0 {
			s.open[len(s.open)-1].CreateComment(string(t))
		}
	case xml.ProcInst:
		if s.rootClosed {
			return rejectf(ReasonMalformedXML, "expected nothing after the root element, got a processing instruction")
		}
		if len(s.open) > 0 {
			s.open[len(s.open)-1].CreateProcInst(t.Target, string(t.Inst))
		}
	}
	return nil
}

func (s *xmlScanner) start(t xml.StartElement) error {
	if s.rootClosed {
		return rejectf(ReasonMalformedXML, "expected nothing after the root element, got <%s>", t.Name.Local)
	}
	s.rootSeen = true
	if len(s.scopes) >= MaxXMLDepth {
		return rejectf(ReasonXMLTooDeep, "expected elements nested at most %d deep, got deeper", MaxXMLDepth)
	}
	scope, err := declaredNamespaces(t.Attr)
	if err != nil {
		return err
	}
	s.scopes = append(s.scopes, scope)
	s.names = append(s.names, t.Name)
	if s.inScope += len(scope); s.inScope > MaxNamespacesInScope {
		return rejectf(ReasonXMLForbidden, "expected at most %d namespace declarations in scope, got more", MaxNamespacesInScope)
	}
	if err := checkXMLName(t.Name, "element"); err != nil {
		return err
	}
	ns, err := s.resolve(t.Name.Space, true)
	if err != nil {
		return err
	}
	if ns == nsXInclude {
		return rejectf(ReasonXMLForbidden, "expected no external references, got an XInclude element")
	}
	if err := s.checkAttributes(t.Attr); err != nil {
		return err
	}
	s.build(t)
	return nil
}

// build adds the element to the tree exactly as etree's own reader would
// (prefix in Space, local name in Tag, attributes in order).
func (s *xmlScanner) build(t xml.StartElement) {
	el := s.arena.newElement(t.Name.Space, t.Name.Local, len(t.Attr))
	for _, a := range t.Attr {
		el.CreateAttr(joinName(a.Name), a.Value)
	}
	if n := len(s.open); n > 0 {
		s.open[n-1].AddChild(el)
	} else {
		s.root = el
	}
	s.open = append(s.open, el)
}

// declaredNamespaces collects the xmlns declarations of one element and
// rejects the reserved or empty ones that parsers treat differently.
func declaredNamespaces(attrs []xml.Attr) (map[string]string, error) {
	var scope map[string]string
	for _, a := range attrs {
		var prefix string
		switch {
		case a.Name.Space == "xmlns":
			prefix = a.Name.Local
			if prefix == "xmlns" || (prefix == "xml") != (a.Value == nsXMLReserved) || a.Value == "" || a.Value == nsXMLNSReserved {
				return nil, rejectf(ReasonXMLRoundTrip, "expected ordinary namespace declarations, got xmlns:%s=%q", prefix, a.Value)
			}
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if a.Value == nsXMLReserved || a.Value == nsXMLNSReserved {
				return nil, rejectf(ReasonXMLRoundTrip, "expected an ordinary default namespace, got xmlns=%q", a.Value)
			}
		default:
			continue
		}
		if scope == nil {
			scope = make(map[string]string, 4)
		}
		scope[prefix] = a.Value
	}
	return scope, nil
}

// resolve finds the namespace bound to prefix in the open scopes.
func (s *xmlScanner) resolve(prefix string, element bool) (string, error) {
	if prefix == "xml" {
		return nsXMLReserved, nil
	}
	if prefix == "" && !element {
		return "", nil // unprefixed attributes are in no namespace
	}
	for i := len(s.scopes) - 1; i >= 0; i-- {
		if ns, ok := s.scopes[i][prefix]; ok {
			return ns, nil
		}
	}
	if prefix == "" {
		return "", nil
	}
	return "", rejectf(ReasonXMLRoundTrip, "expected every namespace prefix to be declared, got undeclared prefix %q", prefix)
}

func (s *xmlScanner) checkAttributes(attrs []xml.Attr) error {
	// A linear scan over a reused slice is cheapest for the few attributes
	// real elements have; a map keeps hostile thousands linear.
	s.seen = s.seen[:0]
	var seen map[rvQName]bool
	if len(attrs) > 16 {
		seen = make(map[rvQName]bool, len(attrs))
	}
	for _, a := range attrs {
		if err := checkXMLName(a.Name, "attribute"); err != nil {
			return err
		}
		ns := nsXMLNSReserved
		if !(a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")) {
			var err error
			if ns, err = s.resolve(a.Name.Space, false); err != nil {
				return err
			}
		}
		k := rvQName{ns, a.Name.Local}
		if s.dupAttr(k, seen) {
			return rejectf(ReasonXMLRoundTrip, "expected each attribute once per element, got %q twice", a.Name.Local)
		}
	}
	return nil
}

// rvQName is an attribute's expanded name.
type rvQName struct{ ns, local string }

// dupAttr records k and reports whether it was already seen on this element.
func (s *xmlScanner) dupAttr(k rvQName, seen map[rvQName]bool) bool {
	if seen != nil {
		dup := seen[k]
		seen[k] = true
		return dup
	}
	for _, q := range s.seen {
		if q == k {
			return true
		}
	}
	s.seen = append(s.seen, k)
	return false
}

// checkXMLName rejects names that encoding/xml keeps whole although they
// are not namespace-well-formed ("a:b:c", ":a", "a:"): such names are
// serialized differently from how they were read.
func checkXMLName(n xml.Name, what string) error {
	if n.Local == "" || strings.Contains(n.Local, ":") {
		return rejectf(ReasonXMLRoundTrip, "expected a namespace-well-formed %s name, got %q", what, joinName(n))
	}
	return nil
}

func joinName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
