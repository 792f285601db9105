package saml

import (
	"bytes"
	"testing"
)

// A canonicalizer going back to the pool keeps no canonical bytes and no
// reference into the response's tree.
func TestExcC14NReleaseForgetsTheDocument(t *testing.T) {
	root, err := parseSafeXML([]byte(`<r xmlns:p="urn:p"><p:n a="1">alice@example.com</p:n></r>`))
	if err != nil {
		t.Fatal(err)
	}
	var c excC14N
	out, err := c.canonicalize(root, root.ChildElements()[0], "p")
	if err != nil {
		t.Fatal(err)
	}
	// The inclusive prefix is rendered although only the left-out child
	// uses it, as goxmldsig does.
	if want := `<r xmlns:p="urn:p"></r>`; string(out) != want {
		t.Fatalf("got %q, want %q", out, want)
	}
	if _, err := c.canonicalize(root.ChildElements()[0], nil, ""); err != nil {
		t.Fatal(err)
	}
	c.release()
	if c.skip != nil || c.inclusive != nil {
		t.Fatal("release kept the skipped element or the prefix list")
	}
	if b := c.buf[:cap(c.buf)]; len(b) == 0 || !bytes.Equal(b, make([]byte, len(b))) {
		t.Fatalf("release left canonical bytes behind: %q", b)
	}
	for _, a := range c.attrs[:cap(c.attrs)] {
		if a.Key != "" || a.Value != "" || a.Element() != nil {
			t.Fatalf("release left an attribute behind: %+v", a)
		}
	}
}
