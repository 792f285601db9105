package web

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// maxRedactedBytes bounds what the audit log keeps of a failed response.
const maxRedactedBytes = 64 << 10

// redactedElements are replaced by "redacted": signature material (useless
// for diagnosis, and a replayable signature should not sit in the audit
// log) and attribute values (personal data). Encrypted content too.
var redactedElements = map[string]bool{
	"SignatureValue": true, "DigestValue": true, "X509Certificate": true,
	"AttributeValue": true, "CipherValue": true,
}

// redactResponse is the copy of a failed response kept in the audit log
// (docs/operation.md): its structure, issuer, conditions and NameID stay readable;
// signature values, certificates and attribute values do not. Input that
// is not XML is not kept at all.
func redactResponse(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	doc := etree.NewDocument()
	doc.ReadSettings.Permissive = false
	if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
		return fmt.Sprintf("(not well-formed XML, %d bytes; not kept)", len(raw))
	}
	// Drop DOCTYPE and processing instructions: only elements matter.
	for _, t := range doc.Child {
		if _, ok := t.(*etree.Directive); ok {
			doc.RemoveChild(t)
		}
	}
	redactTree(doc.Root())
	doc.Indent(2)
	out, err := doc.WriteToString()
	if err != nil {
		return "(unserializable; not kept)"
	}
	if len(out) > maxRedactedBytes {
		out = strings.ToValidUTF8(out[:maxRedactedBytes], "") + "\n(truncated)"
	}
	return out
}

// redactTree replaces the content of redacted elements below el.
func redactTree(el *etree.Element) {
	if redactedElements[el.Tag] {
		for _, c := range append([]etree.Token(nil), el.Child...) {
			el.RemoveChild(c)
		}
		el.SetText("redacted")
		return
	}
	for _, c := range el.ChildElements() {
		redactTree(c)
	}
}
