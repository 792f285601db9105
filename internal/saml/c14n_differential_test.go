package saml

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// These tests prove that excC14N, Gatehouse's own exclusive
// canonicalization, writes exactly goxmldsig's bytes, on every element of
// every fixture and samltest response and on fuzzed documents, and that
// signature verdicts agree with goxmldsig's ValidationContext on valid and
// tampered responses.

// detachedC14N is goxmldsig's path for SignedInfo, step by step: the
// element detached with its namespace context (NSDetatch), transformed
// in place (TransformExcC14n) and serialized with etree's canonical
// settings.
func detachedC14N(t testing.TB, el *etree.Element) []byte {
	t.Helper()
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		t.Fatal(err)
	}
	det, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		t.Fatal(err)
	}
	if err := etreeutils.TransformExcC14n(det, "", false); err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	doc.SetRoot(det)
	doc.WriteSettings = etree.WriteSettings{CanonicalAttrVal: true, CanonicalEndTags: true, CanonicalText: true}
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// prefixListsFor is the prefix lists to try on a document: none, every
// prefix it declares, and a list with unknown and default entries.
func prefixListsFor(root *etree.Element) []string {
	seen := map[string]bool{}
	var all []string
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Space == "xmlns" && !seen[a.Key] {
				seen[a.Key] = true
				all = append(all, a.Key)
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return []string{"", strings.Join(all, " "), "#default nosuch xs"}
}

// diffElements compares excC14N with goxmldsig on every element of the
// tree (at most limit elements), with each prefix list, with and without
// the first child element left out (the enveloped transform). It returns
// how many comparisons ran.
func diffElements(t testing.TB, root *etree.Element, limit int) int {
	t.Helper()
	var c excC14N
	n := 0
	lists := prefixListsFor(root)
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		if n >= limit {
			return
		}
		skips := []*etree.Element{nil}
		if kids := e.ChildElements(); len(kids) > 0 {
			skips = append(skips, kids[0])
		}
		for _, pl := range lists {
			for _, skip := range skips {
				n += diffOne(t, &c, e, skip, pl)
			}
		}
		for _, k := range e.ChildElements() {
			walk(k)
		}
	}
	walk(root)
	return n
}

func diffOne(t testing.TB, c *excC14N, e, skip *etree.Element, pl string) int {
	t.Helper()
	mine, err := c.canonicalize(e, skip, pl)
	if errors.Is(err, errC14NFallback) {
		return 0 // left to goxmldsig itself by canonicalOrFallback
	}
	if err != nil {
		t.Fatalf("excC14N <%s>: %v", e.Tag, err)
	}
	want, err := goxmldsigC14N(e, skip, pl)
	if err != nil {
		t.Fatalf("goxmldsig <%s>: %v", e.Tag, err)
	}
	if !bytes.Equal(mine, want) {
		t.Fatalf("c14n of <%s> (prefix list %q, skip %v) differs:\nmine     %q\ngoxmldsig %q", e.Tag, pl, skip != nil, mine, want)
	}
	if pl == "" && skip == nil {
		if det := detachedC14N(t, e); !bytes.Equal(mine, det) {
			t.Fatalf("c14n of <%s> differs from goxmldsig's SignedInfo path:\nmine     %q\ngoxmldsig %q", e.Tag, mine, det)
		}
	}
	return 1
}

func TestC14NMatchesGoxmldsigOnFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			root, err := parseSafeXML(readFixtureXML(t, f.file))
			if err != nil {
				t.Fatal(err)
			}
			if n := diffElements(t, root, 1<<20); n < 20 {
				t.Fatalf("only %d comparisons ran", n)
			}
		})
	}
}

// samltestShapes are the response shapes samltest produces: each signed
// element choice, each RSA method, ECDSA, and an encrypted assertion
// (compared after decryption, where the signature is checked).
func samltestShapes(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, o := range map[string]func(*samltest.ResponseOptions){
		"assertion": func(*samltest.ResponseOptions) {},
		"response":  func(o *samltest.ResponseOptions) { o.SignResponse = true },
		"both":      func(o *samltest.ResponseOptions) { o.SignResponse, o.SignAssertion = true, true },
		"rsa-sha384": func(o *samltest.ResponseOptions) {
			o.SignatureMethod = dsig.RSASHA384SignatureMethod
		},
		"rsa-sha512": func(o *samltest.ResponseOptions) {
			o.SignatureMethod = dsig.RSASHA512SignatureMethod
		},
		"unsolicited": func(o *samltest.ResponseOptions) { o.InResponseTo = "" },
	} {
		opts := baseOpts()
		o(&opts)
		out[name] = signedResponse(t, opts)
	}
	out["ecdsa"], _ = ecdsaShape(t)
	return out
}

// ecdsaShape is a response whose assertion is signed ECDSA-P256-SHA256
// (r||s), with the trust configuration that accepts it.
func ecdsaShape(t testing.TB) ([]byte, *TrustConfig) {
	t.Helper()
	idp, _ := idps(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := samltest.SelfSignedECDSACert(key, "ecdsa idp")
	if err != nil {
		t.Fatal(err)
	}
	doc := idp.BuildResponse(baseOpts())
	a := doc.Root().FindElement("./Assertion")
	signed, err := samltest.SignElementECDSA(key, cert, a, dsig.ECDSASHA256SignatureMethod, false)
	if err != nil {
		t.Fatal(err)
	}
	samltest.ReplaceChild(doc.Root(), a, signed)
	raw, err := samltest.Serialize(doc)
	if err != nil {
		t.Fatal(err)
	}
	return raw, &TrustConfig{IdPEntityID: testIdPEntity, Certs: []*x509.Certificate{cert}}
}

func TestC14NMatchesGoxmldsigOnSamltestShapes(t *testing.T) {
	for name, raw := range samltestShapes(t) {
		t.Run(name, func(t *testing.T) {
			root, err := parseSafeXML(raw)
			if err != nil {
				t.Fatal(err)
			}
			if n := diffElements(t, root, 1<<20); n < 20 {
				t.Fatalf("only %d comparisons ran", n)
			}
		})
	}
}

// c14nEdgeCases are documents aimed at the corners of goxmldsig's rules:
// default namespace undeclared and redeclared empty, prefixes declared on
// ancestors and used deeper, inclusive prefixes, the xml prefix, escaping
// in text and attributes, CDATA, processing instructions, comments.
var c14nEdgeCases = []string{
	`<a xmlns="urn:x" xmlns:p="urn:p" p:k="1"><p:b>t<!--c-->u<![CDATA[<v>&]]><?pi x?></p:b>&amp;&#65;</a>`,
	`<r xmlns:p="urn:p" xmlns:q="urn:q"><p:a><b xmlns="urn:d"><c xmlns=""><q:d p:x="1" q:y="2" z="3"/></c></b></p:a></r>`,
	`<r xmlns:xs="urn:xs" xmlns:xsi="urn:xsi"><v xsi:type="xs:string" xml:lang="en">a&#9;b&#xD;c&gt;"'</v></r>`,
	`<r a="&#9;&#10;&#13;&lt;&amp;&quot;'>" b="x"><e b="2" a="1" xmlns:z="urn:z" z:c="3"/></r>`,
	`<p:r xmlns:p="urn:p"><p:s xmlns:p="urn:other"><p:t/></p:s><p:u xmlns:p="urn:p"/></p:r>`,
	`<r xmlns="urn:d"><s xmlns="urn:d"><t xmlns="urn:e"/></s><?target with ?> inside?></r>`,
	`<r xmlns:a="urn:1" xmlns:b="urn:2"><e a:k="1" b:j="2" k="0"/><f b:k="1" a:k2="2"/></r>`,
	"<r>\r\n\ttext \u00e9\u4e2d\U0001F600</r>",
}

func TestC14NMatchesGoxmldsigOnEdgeCases(t *testing.T) {
	for _, doc := range c14nEdgeCases {
		root, err := parseSafeXML([]byte(doc))
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if diffElements(t, root, 1<<20) == 0 {
			t.Fatalf("%q: no comparison ran", doc)
		}
	}
}

// Two prefixed attributes with one local name make goxmldsig's attribute
// order depend on its sort's steps: excC14N refuses them and
// canonicalOrFallback returns goxmldsig's own bytes.
func TestC14NAmbiguousAttributesFallBackToGoxmldsig(t *testing.T) {
	root, err := parseSafeXML([]byte(`<r xmlns:a="urn:1" xmlns:b="urn:2"><e a:k="1" b:k="2"/></r>`))
	if err != nil {
		t.Fatal(err)
	}
	e := root.ChildElements()[0]
	var c excC14N
	if _, err := c.canonicalize(e, nil, ""); !errors.Is(err, errC14NFallback) {
		t.Fatalf("want errC14NFallback, got %v", err)
	}
	got, err := canonicalOrFallback(&c, e, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := goxmldsigC14N(e, nil, "")
	if !bytes.Equal(got, want) || !bytes.Contains(got, []byte(`a:k="1"`)) {
		t.Fatalf("fallback %q, goxmldsig %q", got, want)
	}
}

// FuzzC14NDifferential: for every document that passes the safety checks,
// excC14N's output on each element equals goxmldsig's.
func FuzzC14NDifferential(f *testing.F) {
	for i, d := range c14nEdgeCases {
		f.Add([]byte(d), []string{"", "p q", "xs xsi #default", "a b z"}[i%4])
	}
	for _, fx := range fixtures {
		f.Add(readFixtureXML(f, fx.file), "xs")
	}
	for _, raw := range samltestShapes(f) {
		f.Add(raw, "")
	}
	f.Fuzz(func(t *testing.T, raw []byte, prefixList string) {
		root, err := parseSafeXML(raw)
		if err != nil {
			return
		}
		diffElements(t, root, 200)
		// A fuzzed InclusiveNamespaces PrefixList on the root and the
		// first child.
		var c excC14N
		diffOne(t, &c, root, nil, prefixList)
		if kids := root.ChildElements(); len(kids) > 0 {
			diffOne(t, &c, kids[0], nil, prefixList)
		}
	})
}
