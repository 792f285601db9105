package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxMetadataSize bounds a metadata document. One IdP's metadata is a few
// KiB (Entra's, with three certificates and WS-Fed roles, about 22 KiB);
// the bound keeps a mistaken paste of a federation aggregate cheap.
const MaxMetadataSize = 2 << 20

// maxMetadataDepth bounds element nesting; real metadata nests about ten
// levels (a signature's transforms inside an EntityDescriptor).
const maxMetadataDepth = 48

// utf8BOM is stripped before parsing: Entra's tenant federation metadata
// starts with one, and encoding/xml refuses it.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// scanMetadata checks, token by token and before any tree is built, that
// data is one well-formed XML document without DOCTYPE or entity
// declarations, not too deep. Errors carry the line and column.
func scanMetadata(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var open []xml.Name
	rootSeen, rootClosed := false, false
	for {
		before := dec.InputOffset()
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, col := dec.InputPos()
			return &MetadataError{Line: line, Column: col, Msg: "the XML is not well-formed: " + xmlErrText(err)}
		}
		at := func(format string, args ...any) error {
			line, col := positionAt(data, before)
			return &MetadataError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
		}
		switch t := tok.(type) {
		case xml.Directive:
			return at("DOCTYPE and entity declarations are not allowed in metadata (remove the <!%.20s...> line)", string(t))
		case xml.StartElement:
			if rootClosed {
				return at("unexpected <%s> after the end of the root element: paste exactly one metadata document", t.Name.Local)
			}
			rootSeen = true
			if open = append(open, t.Name); len(open) > maxMetadataDepth {
				return at("elements are nested more than %d levels deep", maxMetadataDepth)
			}
		case xml.EndElement:
			// RawToken does not pair end tags with start tags; we must.
			if n := len(open); n == 0 || open[n-1] != t.Name {
				return at("the XML is not well-formed: unexpected end tag </%s>", rawXMLName(t.Name))
			}
			if open = open[:len(open)-1]; len(open) == 0 {
				rootClosed = true
			}
		case xml.CharData:
			if len(open) == 0 && len(bytes.TrimSpace(t)) != 0 {
				return at("expected XML (a metadata document starting with <EntityDescriptor or <?xml), found text %.30q", string(bytes.TrimSpace(t)))
			}
		}
	}
	if !rootSeen {
		return &MetadataError{Line: 1, Column: 1, Msg: "expected XML (a metadata document starting with <EntityDescriptor or <?xml), found no element"}
	}
	if len(open) != 0 {
		line, col := positionAt(data, int64(len(data)))
		return &MetadataError{Line: line, Column: col, Msg: "the XML ends before every element is closed: the paste looks truncated"}
	}
	return nil
}

// xmlErrText drops encoding/xml's "XML syntax error on line N: " prefix;
// the line and column are reported separately.
func xmlErrText(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if se.Msg == "invalid UTF-8" {
			return "the text is not UTF-8 (save the metadata as UTF-8 and paste it again)"
		}
		return se.Msg
	}
	if strings.Contains(err.Error(), "CharsetReader") {
		// encoding/xml's wording names its own API; say what to do instead.
		return "the document declares an encoding other than UTF-8; save it as UTF-8"
	}
	return err.Error()
}

// positionAt converts a byte offset into a 1-based line and column
// (columns count bytes, as encoding/xml does).
func positionAt(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	prefix := data[:off]
	line = bytes.Count(prefix, []byte{'\n'}) + 1
	col = int(off) - (bytes.LastIndexByte(prefix, '\n') + 1) + 1
	return line, col
}

// rawXMLName prints a name as written (RawToken leaves the prefix in Space).
func rawXMLName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
