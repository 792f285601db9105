package saml

import (
	"strings"

	"github.com/beevik/etree"
)

// checkResponseRoot enforces that the document is a SAML 2.0 Response with
// an ID (docs/saml.md, validation rule 8).
func checkResponseRoot(root *etree.Element) error {
	if !isElem(root, nsProtocol, "Response") {
		return rejectf(ReasonNotAResponse, "expected a samlp:Response root element (%s), got <%s> in namespace %q", nsProtocol, root.Tag, root.NamespaceURI())
	}
	return checkVersionAndID(root)
}

func checkVersionAndID(el *etree.Element) error {
	if v, _ := attrValue(el, "Version"); v != "2.0" {
		return rejectf(ReasonUnsupportedVersion, "expected Version=\"2.0\" on <%s>, got %q", el.Tag, v)
	}
	if id, _ := attrValue(el, "ID"); strings.TrimSpace(id) == "" {
		return rejectf(ReasonMissingID, "expected a non-empty ID on <%s>, got none", el.Tag)
	}
	return nil
}

// checkStatus requires the top-level StatusCode to be Success. It runs on
// the unverified document because it can only reject; the IdP's codes and
// message are kept for the operator.
func checkStatus(root *etree.Element) error {
	status, err := optionalChild(root, nsProtocol, "Status")
	if err != nil {
		return err
	}
	if status == nil {
		return &Error{Reason: ReasonStatusNotSuccess, Message: "expected a Status of " + StatusSuccess + ", got no Status element"}
	}
	code, err := optionalChild(status, nsProtocol, "StatusCode")
	if err != nil {
		return err
	}
	top := ""
	if code != nil {
		top, _ = attrValue(code, "Value")
	}
	if top == StatusSuccess {
		return nil
	}
	idp := describeStatus(status, code)
	return &Error{
		Reason:    ReasonStatusNotSuccess,
		Message:   "expected Status " + StatusSuccess + ", got " + idp,
		IdPStatus: idp,
	}
}

// describeStatus renders the nested status codes and the StatusMessage as
// "code / subcode: message".
func describeStatus(status, code *etree.Element) string {
	var codes []string
	for c := code; c != nil; {
		v, _ := attrValue(c, "Value")
		codes = append(codes, v)
		subs := childElems(c, nsProtocol, "StatusCode")
		if len(subs) == 0 || len(codes) >= 4 {
			break
		}
		c = subs[0]
	}
	out := strings.Join(codes, " / ")
	if out == "" {
		out = "(no StatusCode)"
	}
	if msgs := childElems(status, nsProtocol, "StatusMessage"); len(msgs) > 0 {
		if m, err := textOf(msgs[0]); err == nil && strings.TrimSpace(m) != "" {
			out += ": " + strings.TrimSpace(m)
		}
	}
	return out
}

// rvLayout is where the pieces of a structurally sound response are.
type rvLayout struct {
	assertion *etree.Element // the one Assertion or EncryptedAssertion, a child of the root
	encrypted bool
	respSig   *etree.Element // Signature child of the Response, or nil
	asrtSig   *etree.Element // Signature child of the Assertion, or nil
}

// scanLayout walks the whole document once and enforces validation rule 8 (docs/saml.md):
// no two ID attributes with the same value (an ID attribute is
// any attribute with local name ID, because etree's lookup matches "x:ID"
// too); exactly one Assertion or EncryptedAssertion anywhere, as a direct
// child of the Response; Signature elements only directly under the
// Response or that Assertion, one each. Counting every Assertion and
// Signature in the document, not only the expected ones, is what defeats
// the signature-wrapping attacks (XSW1–8): the wrapped original always
// leaves a second Assertion or a misplaced Signature behind.
func scanLayout(root *etree.Element) (*rvLayout, error) {
	w := rvWalk{ids: make(map[string]bool, 8)}
	if err := w.walk(root); err != nil {
		return nil, err
	}
	switch {
	case len(w.assertions) == 0:
		return nil, rejectf(ReasonNoAssertion, "expected one Assertion or EncryptedAssertion in the Response, got none")
	case len(w.assertions) > 1:
		return nil, rejectf(ReasonMultipleAssertions, "expected exactly one Assertion or EncryptedAssertion in the document, got %d", len(w.assertions))
	}
	a := w.assertions[0]
	l := &rvLayout{assertion: a, encrypted: a.Tag == "EncryptedAssertion"}
	if a.Parent() != root || !(isElem(a, nsAssertion, "Assertion") || isElem(a, nsAssertion, "EncryptedAssertion")) {
		where := "at the document root" // only when called on a non-Response root
		if p := a.Parent(); p != nil {
			where = "inside <" + p.Tag + ">"
		}
		return nil, rejectf(ReasonAssertionMisplaced, "expected the %s to be a direct child of the Response in namespace %s, got it %s", a.Tag, nsAssertion, where)
	}
	for _, s := range w.signatures {
		var err error
		switch s.Parent() {
		case root:
			l.respSig, err = oneSignature(l.respSig, s, "Response")
		case a:
			l.asrtSig, err = oneSignature(l.asrtSig, s, "Assertion")
		default:
			err = rejectf(ReasonSignatureMisplaced, "expected Signature elements only directly inside the Response or the Assertion, got one inside <%s>", s.Parent().Tag)
		}
		if err != nil {
			return nil, err
		}
	}
	return l, nil
}

// scanDecrypted applies the same rules to a decrypted Assertion, whose IDs
// must not repeat any ID of the enclosing Response either.
func scanDecrypted(assertion *etree.Element, outer map[string]bool) (*etree.Element, error) {
	w := rvWalk{ids: outer}
	if err := w.walk(assertion); err != nil {
		return nil, err
	}
	if len(w.assertions) != 1 || w.assertions[0] != assertion || !isElem(assertion, nsAssertion, "Assertion") {
		return nil, rejectf(ReasonMultipleAssertions, "expected the EncryptedAssertion to hold exactly one Assertion and nothing else, got %d assertion elements", len(w.assertions))
	}
	var sig *etree.Element
	for _, s := range w.signatures {
		if s.Parent() != assertion {
			return nil, rejectf(ReasonSignatureMisplaced, "expected a Signature only directly inside the decrypted Assertion, got one inside <%s>", s.Parent().Tag)
		}
		var err error
		if sig, err = oneSignature(sig, s, "Assertion"); err != nil {
			return nil, err
		}
	}
	return sig, nil
}

func oneSignature(have, s *etree.Element, what string) (*etree.Element, error) {
	if have != nil {
		return nil, rejectf(ReasonMultipleSignatures, "expected at most one Signature directly inside the %s, got two", what)
	}
	if !isElem(s, nsDSig, "Signature") {
		return nil, rejectf(ReasonSignatureMisplaced, "expected the %s's Signature in namespace %s, got %q", what, nsDSig, s.NamespaceURI())
	}
	return s, nil
}

// rvWalk collects IDs, assertion-like and signature-like elements.
type rvWalk struct {
	ids        map[string]bool
	assertions []*etree.Element
	signatures []*etree.Element
}

func (w *rvWalk) walk(el *etree.Element) error {
	seenOnElement := false
	for _, a := range el.Attr {
		if a.Key != "ID" {
			continue
		}
		if seenOnElement || w.ids[a.Value] {
			return rejectf(ReasonDuplicateID, "expected every ID in the document to be unique, got %q twice", a.Value)
		}
		seenOnElement = true
		w.ids[a.Value] = true
	}
	switch el.Tag {
	case "Assertion", "EncryptedAssertion":
		w.assertions = append(w.assertions, el)
	case "Signature":
		w.signatures = append(w.signatures, el)
	}
	for c := range el.ChildElementsSeq() {
		if err := w.walk(c); err != nil {
			return err
		}
	}
	return nil
}
