package saml

import (
	"bytes"
	"testing"

	"github.com/beevik/etree"
)

// FuzzParseSafeXML checks that the single-pass builder in parseSafeXML
// produces exactly the tree etree's own reader builds, for every input it
// accepts: the signature code (goxmldsig, written against etree's reader)
// must see the same document. It also checks that accepted input survives
// a serialize/parse round trip unchanged.
func FuzzParseSafeXML(f *testing.F) {
	f.Add([]byte(`<a xmlns="urn:x" xmlns:p="urn:p" p:k="1"><p:b>t<!--c-->u<![CDATA[<v>]]><?pi x?></p:b>&amp;&#65;</a>`))
	f.Add([]byte(`<a xmlns:p="0"><p:b><![CDATA[]]></p:b></a>`))
	f.Add([]byte("<?xml version=\"1.0\"?>\n<!-- before --><r>\r\n x </r>\n"))
	for _, fx := range fixtures {
		f.Add(readFixtureXML(f, fx.file))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		mine, err := parseSafeXML(raw)
		if err != nil {
			return
		}
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(raw); err != nil {
			t.Fatalf("parseSafeXML accepted what etree refuses: %v", err)
		}
		a, b := serializeElement(t, mine), serializeElement(t, doc.Root())
		if !bytes.Equal(a, b) {
			t.Fatalf("trees differ:\nmine  %q\netree %q", a, b)
		}
		again, err := parseSafeXML(a)
		if err != nil {
			t.Fatalf("serialized tree no longer parses: %v", err)
		}
		if c := serializeElement(t, again); !bytes.Equal(a, c) {
			t.Fatalf("round trip changed the tree:\n%q\n%q", a, c)
		}
	})
}

func serializeElement(t *testing.T, el *etree.Element) []byte {
	t.Helper()
	doc := etree.NewDocument()
	c := el.Copy()
	dropEmptyText(c)
	doc.SetRoot(c)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dropEmptyText removes empty character data (an empty CDATA section
// yields one), which serializes as "<a></a>" and reads back as "<a/>":
// the same document.
func dropEmptyText(el *etree.Element) {
	for i := len(el.Child) - 1; i >= 0; i-- {
		switch c := el.Child[i].(type) {
		case *etree.CharData:
			if c.Data == "" {
				el.RemoveChildAt(i)
			}
		case *etree.Element:
			dropEmptyText(c)
		}
	}
}
