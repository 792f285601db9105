package saml

import (
	"testing"

	"github.com/beevik/etree"
)

// forge turns a copy of an assertion into the attacker's: new ID, victim's
// identity, no signature.
func forge(t testing.TB, a *etree.Element, id string) *etree.Element {
	t.Helper()
	evil := a.Copy()
	evil.CreateAttr("ID", id)
	if s := evil.SelectElement("Signature"); s != nil {
		evil.RemoveChild(s)
	}
	el(t, evil, "./Subject/NameID").SetText("admin@victim.example")
	return evil
}

func withoutSignature(el *etree.Element) *etree.Element {
	c := el.Copy()
	if s := c.SelectElement("Signature"); s != nil {
		c.RemoveChild(s)
	}
	return c
}

// The eight XML Signature Wrapping attacks of Somorovsky et al., "On
// Breaking SAML: Be Whoever You Want to Be" (USENIX Security 2012), in
// SAML Raider's numbering. XSW1-2 target a signed Response, XSW3-8 a signed
// Assertion. Each leaves the original signed element somewhere and puts a
// forged one where a naive reader looks.
func TestXSW(t *testing.T) {
	respSigned := baseOpts()
	respSigned.SignAssertion, respSigned.SignResponse = false, true
	cases := []struct {
		name string
		opts bool // true: Response signed, false: Assertion signed
		edit func(t *testing.T, root *etree.Element)
		want Reason
	}{
		{"XSW1 original Response inside the Signature", true, func(t *testing.T, root *etree.Element) {
			orig := withoutSignature(root)
			root.CreateAttr("ID", "_evil-response")
			a := el(t, root, "./Assertion")
			samltestReplace(root, a, forge(t, a, "_evil-assertion"))
			el(t, root, "./Signature").AddChild(orig)
		}, ReasonMultipleAssertions},
		{"XSW2 original Response before the Signature", true, func(t *testing.T, root *etree.Element) {
			orig := withoutSignature(root)
			root.CreateAttr("ID", "_evil-response")
			a := el(t, root, "./Assertion")
			samltestReplace(root, a, forge(t, a, "_evil-assertion"))
			root.InsertChildAt(el(t, root, "./Signature").Index(), orig)
		}, ReasonMultipleAssertions},
		{"XSW3 forged Assertion before the signed one", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			root.InsertChildAt(a.Index(), forge(t, a, "_evil-assertion"))
		}, ReasonMultipleAssertions},
		{"XSW4 signed Assertion inside the forged one", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			evil := forge(t, a, "_evil-assertion")
			root.RemoveChild(a)
			evil.AddChild(a)
			root.AddChild(evil)
		}, ReasonMultipleAssertions},
		{"XSW5 forged Assertion carries the signature, original appended", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			evil := a.Copy()
			el(t, evil, "./Subject/NameID").SetText("admin@victim.example")
			evil.CreateAttr("ID", "_evil-assertion")
			samltestReplace(root, a, evil)
			root.AddChild(withoutSignature(a))
		}, ReasonMultipleAssertions},
		{"XSW6 original inside the forged Assertion's Signature", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			evil := a.Copy()
			el(t, evil, "./Subject/NameID").SetText("admin@victim.example")
			evil.CreateAttr("ID", "_evil-assertion")
			el(t, evil, "./Signature").AddChild(withoutSignature(a))
			samltestReplace(root, a, evil)
		}, ReasonMultipleAssertions},
		{"XSW7 original inside Extensions", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			ext := etree.NewElement("samlp:Extensions")
			root.InsertChildAt(el(t, root, "./Issuer").Index()+1, ext)
			root.RemoveChild(a)
			ext.AddChild(a)
			root.AddChild(forge(t, a, "_evil-assertion"))
		}, ReasonMultipleAssertions},
		{"XSW8 original inside an Object of the forged Assertion's Signature", false, func(t *testing.T, root *etree.Element) {
			a := el(t, root, "./Assertion")
			evil := a.Copy()
			el(t, evil, "./Subject/NameID").SetText("admin@victim.example")
			evil.CreateAttr("ID", "_evil-assertion")
			obj := el(t, evil, "./Signature").CreateElement("ds:Object")
			obj.AddChild(withoutSignature(a))
			samltestReplace(root, a, evil)
		}, ReasonMultipleAssertions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := baseOpts()
			if c.opts {
				o = respSigned
			}
			raw := tamper(t, signedResponse(t, o), func(root *etree.Element) { c.edit(t, root) })
			wantRejected(t, raw, c.want)
		})
	}
}

func samltestReplace(parent, old, repl *etree.Element) {
	i := old.Index()
	parent.RemoveChildAt(i)
	parent.InsertChildAt(i, repl)
}

// Wrapping with the same ID (so an ID lookup could find either copy).
func TestWrappingWithSameIDIsDuplicateID(t *testing.T) {
	raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		a := el(t, root, "./Assertion")
		ext := etree.NewElement("samlp:Extensions")
		root.InsertChildAt(el(t, root, "./Issuer").Index()+1, ext)
		root.RemoveChild(a)
		ext.AddChild(a)
		id, _ := attrValue(a, "ID")
		root.AddChild(forge(t, a, id))
	})
	wantRejected(t, raw, ReasonDuplicateID)
}

// A signed assertion moved away from its place (with a forged one at top
// level, or alone) is never used.
func TestSignedAssertionMoved(t *testing.T) {
	places := map[string]func(root *etree.Element) *etree.Element{
		"Extensions": func(root *etree.Element) *etree.Element {
			ext := etree.NewElement("samlp:Extensions")
			root.InsertChildAt(1, ext)
			return ext
		},
		"StatusDetail": func(root *etree.Element) *etree.Element {
			return el(t, root, "./Status").CreateElement("samlp:StatusDetail")
		},
		"Object": func(root *etree.Element) *etree.Element {
			sig := root.CreateElement("ds:Signature")
			sig.CreateAttr("xmlns:ds", nsDSig)
			return sig.CreateElement("ds:Object")
		},
	}
	for name, place := range places {
		t.Run(name+"+forged", func(t *testing.T) {
			raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
				a := el(t, root, "./Assertion")
				evil := forge(t, a, "_evil-assertion")
				holder := place(root)
				a.Parent().RemoveChild(a)
				holder.AddChild(a)
				root.AddChild(evil)
			})
			wantRejected(t, raw, ReasonMultipleAssertions)
		})
		if name == "Object" {
			continue
		}
		t.Run(name+" alone", func(t *testing.T) {
			raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
				a := el(t, root, "./Assertion")
				holder := place(root)
				root.RemoveChild(a)
				holder.AddChild(a)
			})
			wantRejected(t, raw, ReasonAssertionMisplaced)
		})
	}
}

func TestTwoAssertions(t *testing.T) {
	idp, _ := idps(t)
	o := baseOpts()
	o.AssertionID = "_second"
	second := idp.BuildResponse(o)
	a2 := el(t, second.Root(), "./Assertion")
	signed2, err := idp.SignElement(a2, "")
	if err != nil {
		t.Fatal(err)
	}
	raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) { root.AddChild(signed2) })
	wantRejected(t, raw, ReasonMultipleAssertions)
}

func TestDuplicateIDs(t *testing.T) {
	raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		id, _ := attrValue(el(t, root, "./Assertion"), "ID")
		el(t, root, "./Status").CreateAttr("ID", id)
	})
	wantRejected(t, raw, ReasonDuplicateID)
	// A prefixed ID attribute counts too (etree's lookup would match it).
	raw = tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		id, _ := attrValue(root, "ID")
		st := el(t, root, "./Status")
		st.CreateAttr("xmlns:x", "urn:x")
		st.CreateAttr("x:ID", id)
	})
	wantRejected(t, raw, ReasonDuplicateID)
}

func TestSignatureRemovedOrStripped(t *testing.T) {
	strip := func(path string) func(root *etree.Element) {
		return func(root *etree.Element) {
			s := el(t, root, path)
			s.Parent().RemoveChild(s)
		}
	}
	t.Run("assertion signature removed", func(t *testing.T) {
		wantRejected(t, tamper(t, signedResponse(t, baseOpts()), strip("./Assertion/Signature")), ReasonSignatureMissing)
	})
	t.Run("response signature removed", func(t *testing.T) {
		o := baseOpts()
		o.SignAssertion, o.SignResponse = false, true
		wantRejected(t, tamper(t, signedResponse(t, o), strip("./Signature")), ReasonSignatureMissing)
	})
	both := baseOpts()
	both.SignAssertion, both.SignResponse = true, true
	t.Run("both signed, response signature stripped", func(t *testing.T) {
		// The assertion's own signature still stands: accepted as such.
		a := mustAccept(t, tamper(t, signedResponse(t, both), strip("./Signature")))
		if a.SignedElement != "Assertion" {
			t.Fatalf("SignedElement %q", a.SignedElement)
		}
	})
	t.Run("both signed, assertion signature stripped", func(t *testing.T) {
		// The Response signature covered the assertion's signature.
		wantRejected(t, tamper(t, signedResponse(t, both), strip("./Assertion/Signature")), ReasonDigestMismatch)
	})
	t.Run("both signed, assertion signature broken", func(t *testing.T) {
		// Both signatures must verify, also when the Response's does.
		idp, _ := idps(t)
		doc := idp.BuildResponse(both)
		a := el(t, doc.Root(), "./Assertion")
		signed, err := idp.SignElement(a, "")
		if err != nil {
			t.Fatal(err)
		}
		el(t, signed, "./Subject/NameID").SetText("admin@victim.example")
		samltestReplace(doc.Root(), a, signed)
		raw, err := idp.SignDocument(doc, false, true, "")
		if err != nil {
			t.Fatal(err)
		}
		wantRejected(t, raw, ReasonDigestMismatch)
	})
}

func TestAttackerCertificate(t *testing.T) {
	_, evil := idps(t)
	o := baseOpts()
	raw, err := evil.Response(o)
	if err != nil {
		t.Fatal(err)
	}
	_, err = validate(t, raw)
	wantReason(t, err, ReasonUntrustedCertificate)
	// The attacker names the trusted certificate in KeyInfo but signs with
	// its own key.
	idp, _ := idps(t)
	spoofed := tamper(t, raw, func(root *etree.Element) {
		x := el(t, root, "./Assertion/Signature/KeyInfo/X509Data/X509Certificate")
		x.SetText(b64(idp.Cert.Raw))
	})
	wantRejected(t, spoofed, ReasonSignatureInvalid)
}

func TestMultipleAndMisplacedSignatures(t *testing.T) {
	raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		a := el(t, root, "./Assertion")
		a.InsertChildAt(2, el(t, a, "./Signature").Copy())
	})
	wantRejected(t, raw, ReasonMultipleSignatures)
	raw = tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		a := el(t, root, "./Assertion")
		s := el(t, a, "./Signature")
		a.RemoveChild(s)
		el(t, a, "./Subject").AddChild(s)
	})
	wantRejected(t, raw, ReasonSignatureMisplaced)
	// A "Signature" in another namespace where the real one belongs.
	raw = tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		s := root.CreateElement("evil:Signature")
		s.CreateAttr("xmlns:evil", "urn:evil")
	})
	wantRejected(t, raw, ReasonSignatureMisplaced)
}
