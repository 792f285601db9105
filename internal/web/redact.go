package web

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
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
//
// The copy is written while the response is read, token by token, within
// the validator's limits: never deeper than saml.MaxXMLDepth and never
// more than maxRedactedBytes, stopping as soon as either is reached. The
// response has just been rejected and may be hostile; building a tree of
// it and indenting it whole cost hundreds of megabytes for 250 KB of deep
// nesting (issue 11).
func redactResponse(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	rd := redactor{dec: xml.NewDecoder(bytes.NewReader(raw)), out: cappedWriter{max: maxRedactedBytes}}
	rd.dec.Strict = true // a nil CharsetReader refuses non-UTF-8, as the validator does
	note, err := rd.run()
	if err != nil {
		return fmt.Sprintf("(not well-formed XML, %d bytes; not kept)", len(raw))
	}
	if rd.out.full {
		note = "truncated"
	}
	s := rd.out.b.String()
	if note != "" {
		s += "\n(" + note + ")"
	}
	return s
}

var errRedactMalformed = errors.New("not well-formed")

// redactor streams one response into its redacted, indented copy.
type redactor struct {
	dec     *xml.Decoder
	out     cappedWriter
	open    []xml.Name // names of the open elements
	note    string     // why the copy was cut short (depth), "" while it is not
	pending bool       // a start tag is written without its ">" (it may become "/>")
	inline  bool       // the open element has text, so its end tag stays on the line
	rootEnd bool
}

// run copies tokens until the end of input, the depth limit or the size
// cap; it returns a note for a copy cut short, or an error for input that
// is not well-formed (checked as far as it was read).
func (rd *redactor) run() (string, error) {
	for !rd.out.full && rd.note == "" {
		tok, err := rd.dec.RawToken()
		if errors.Is(err, io.EOF) {
			if len(rd.open) != 0 || !rd.rootEnd {
				return "", errRedactMalformed
			}
			return "", nil
		}
		if err != nil {
			return "", errRedactMalformed
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if rd.rootEnd {
				return "", errRedactMalformed
			}
			if len(rd.open) >= saml.MaxXMLDepth {
				rd.tooDeep()
				continue
			}
			if redactedElements[t.Name.Local] {
				if err := rd.redacted(t); err != nil {
					return "", err
				}
				continue
			}
			rd.start(t)
		case xml.EndElement:
			if err := rd.end(t.Name); err != nil {
				return "", err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
			if len(rd.open) == 0 {
				return "", errRedactMalformed
			}
			rd.closePending()
			rd.inline = true
			escape(&rd.out, t)
		case xml.Comment:
			if len(rd.open) > 0 {
				// Inside text (NameID<!---->.evil) it stays where it was.
				rd.closePending()
				if !rd.inline {
					rd.newline(len(rd.open))
				}
				rd.out.WriteString("<!--" + string(t) + "-->")
			}
		}
		// Directives (DOCTYPE) and processing instructions are dropped:
		// only elements matter.
	}
	return rd.note, nil
}

// tooDeep stops the copy where the validator's depth limit stops parsing.
func (rd *redactor) tooDeep() {
	rd.note = fmt.Sprintf("cut: nested deeper than %d", saml.MaxXMLDepth)
}

// start writes a start tag on its own line, leaving it open for "/>".
func (rd *redactor) start(t xml.StartElement) {
	rd.closePending()
	if len(rd.open) > 0 || rd.out.b.Len() > 0 {
		rd.newline(len(rd.open))
	}
	rd.out.WriteString("<" + qname(t.Name))
	for _, a := range t.Attr {
		rd.out.WriteString(" " + qname(a.Name) + `="`)
		escape(&rd.out, []byte(a.Value))
		rd.out.WriteString(`"`)
	}
	rd.open = append(rd.open, t.Name)
	rd.pending, rd.inline = true, false
}

// end writes the end tag matching the innermost open element.
func (rd *redactor) end(n xml.Name) error {
	if len(rd.open) == 0 || rd.open[len(rd.open)-1] != n {
		return errRedactMalformed
	}
	rd.open = rd.open[:len(rd.open)-1]
	switch {
	case rd.pending:
		rd.out.WriteString("/>")
		rd.pending = false
	case rd.inline:
		rd.out.WriteString("</" + qname(n) + ">")
	default:
		rd.newline(len(rd.open))
		rd.out.WriteString("</" + qname(n) + ">")
	}
	rd.inline = false
	if len(rd.open) == 0 {
		rd.rootEnd = true
	}
	return nil
}

// redacted writes t with "redacted" as its content and skips what it held.
func (rd *redactor) redacted(t xml.StartElement) error {
	rd.start(t)
	rd.closePending()
	rd.out.WriteString("redacted")
	rd.inline = true
	for depth := 0; ; {
		tok, err := rd.dec.RawToken()
		if err != nil {
			return errRedactMalformed
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			if depth++; len(rd.open)+depth > saml.MaxXMLDepth {
				rd.tooDeep()
				return nil
			}
		case xml.EndElement:
			if depth == 0 {
				return rd.end(tt.Name)
			}
			depth--
		}
	}
}

func (rd *redactor) closePending() {
	if rd.pending {
		rd.out.WriteString(">")
		rd.pending = false
	}
}

func (rd *redactor) newline(depth int) {
	rd.out.WriteString("\n")
	rd.out.WriteString(strings.Repeat("  ", depth))
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// escape writes text escaped for element content and attribute values.
func escape(w *cappedWriter, text []byte) {
	_ = xml.EscapeText(w, text)
}

// cappedWriter keeps at most max bytes (cut at a UTF-8 boundary) and
// remembers that it was cut; writes after that are dropped.
type cappedWriter struct {
	b    strings.Builder
	max  int
	full bool
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if w.full {
		return len(p), nil
	}
	if room := w.max - w.b.Len(); len(p) > room {
		cut := room
		for cut > 0 && !utf8.RuneStart(p[cut]) {
			cut--
		}
		w.b.Write(p[:cut])
		w.full = true
		return len(p), nil
	}
	w.b.Write(p)
	return len(p), nil
}

func (w *cappedWriter) WriteString(s string) {
	_, _ = w.Write([]byte(s))
}
