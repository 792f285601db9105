package saml

import (
	"crypto/ecdsa"
	"crypto/x509"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

// signedTarget picks the signed element and its Signature from a parsed
// response: the Response's own signature or the Assertion's.
type signedTarget func(root *etree.Element, l *rvLayout) (*etree.Element, *etree.Element)

var signedTargets = map[string]signedTarget{
	"Response":  func(root *etree.Element, l *rvLayout) (*etree.Element, *etree.Element) { return root, l.respSig },
	"Assertion": func(_ *etree.Element, l *rvLayout) (*etree.Element, *etree.Element) { return l.assertion, l.asrtSig },
}

// layoutOf parses raw and finds the signed element; ok is false when the
// document is refused before any signature work or has no such signature.
// A decrypted assertion (an Assertion root) is laid out as ValidateResponse
// lays it out after decryption, and only its own signature is picked.
func layoutOf(raw []byte, pick signedTarget) (el, sig *etree.Element, ok bool) {
	root, err := parseSafeXML(raw)
	if err != nil {
		return nil, nil, false
	}
	if isElem(root, nsAssertion, "Assertion") {
		sig, err := scanDecrypted(root, map[string]bool{})
		if err != nil {
			return nil, nil, false
		}
		el, sig = pick(root, &rvLayout{assertion: root, asrtSig: sig})
		return el, sig, sig != nil && el == root
	}
	l, err := scanLayout(root)
	if err != nil {
		return nil, nil, false
	}
	el, sig = pick(root, l)
	if l.encrypted && el != root {
		return nil, nil, false // the assertion's signature is inside the ciphertext
	}
	return el, sig, sig != nil
}

// goxmldsigVerdict is the verdict of goxmldsig's ValidationContext under
// Gatehouse's signature policy, as ValidateResponse computed it before the
// fast path: the policy first, then Validate with each trusted certificate
// alone (namespaces declared on the element, KeyInfo removed).
func goxmldsigVerdict(raw []byte, pick signedTarget, trust *TrustConfig) bool {
	for _, cert := range trust.Certs {
		el, sig, ok := layoutOf(raw, pick)
		if !ok {
			return false
		}
		id, _ := attrValue(el, "ID")
		parts, err := checkSignaturePolicy(sig, id, trust.AllowSHA1)
		if err != nil {
			return false
		}
		if parts.keyType == rvKeyECDSA {
			// As ValidateResponse did before the fast path: XML-DSig's
			// r||s rewritten to the ASN.1 form goxmldsig hands to x509.
			pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
			if !ok {
				continue
			}
			text, _ := textOf(parts.signatureValue)
			der, err := ecdsaRawToASN1(text, pub)
			if err != nil {
				continue
			}
			parts.signatureValue.SetText(der)
		}
		declareInScope(el)
		for _, c := range sig.ChildElements() {
			if isElem(c, nsDSig, "KeyInfo") {
				sig.RemoveChild(c)
			}
		}
		ctx := &dsig.ValidationContext{
			CertificateStore: &dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{cert}},
			IdAttribute:      "ID",
			Clock:            dsig.NewFakeClockAt(cert.NotBefore),
		}
		if _, err := ctx.Validate(el); err == nil {
			return true
		}
	}
	return false
}

func declareInScope(el *etree.Element) {
	ctx, _ := etreeutils.NSBuildParentContext(el)
	for prefix, ns := range ctx.Prefixes() {
		if prefix == "xml" || prefix == "xmlns" || (prefix == "" && ns == nsXMLReserved) {
			continue
		}
		key := "xmlns:" + prefix
		if prefix == "" {
			key = "xmlns"
		}
		if el.SelectAttr(key) == nil {
			el.CreateAttr(key, ns)
		}
	}
}

// fastVerdict is verifySignature's verdict on a fresh parse.
func fastVerdict(raw []byte, pick signedTarget, trust *TrustConfig) bool {
	el, sig, ok := layoutOf(raw, pick)
	if !ok {
		return false
	}
	_, _, err := verifySignature(el, sig, trust)
	return err == nil
}

// compareVerdicts checks the original and one-byte mutations of it (every
// stride-th byte flipped) and returns how many verdicts were accepts and
// rejects.
func compareVerdicts(t *testing.T, raw []byte, trust *TrustConfig, stride int) (accepts, rejects int) {
	t.Helper()
	for name, pick := range signedTargets {
		if _, _, ok := layoutOf(raw, pick); !ok {
			continue
		}
		for pos := -1; pos < len(raw); pos += stride {
			in := raw
			if pos >= 0 {
				in = append([]byte(nil), raw...)
				in[pos] ^= 1
			}
			fast, ref := fastVerdict(in, pick, trust), goxmldsigVerdict(in, pick, trust)
			if fast != ref {
				t.Fatalf("%s signature, byte %d flipped: fast path says %v, goxmldsig %v", name, pos, fast, ref)
			}
			if pos == -1 && !fast {
				t.Fatalf("%s signature of the untouched response rejected", name)
			}
			if fast {
				accepts++
			} else {
				rejects++
			}
		}
	}
	return accepts, rejects
}

func TestVerdictsMatchGoxmldsigOnFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			raw, trust, _, _ := f.setup(t)
			a, r := compareVerdicts(t, raw, trust, 11)
			if a == 0 || r == 0 {
				t.Fatalf("want both verdicts exercised, got %d accepts, %d rejects", a, r)
			}
		})
	}
}

func TestVerdictsMatchGoxmldsigOnSamltestShapes(t *testing.T) {
	for name, raw := range samltestShapes(t) {
		trust := baseTrust(t)
		if name == "ecdsa" {
			raw, trust = ecdsaShape(t)
		}
		t.Run(name, func(t *testing.T) {
			a, r := compareVerdicts(t, raw, trust, 7)
			if a == 0 || r == 0 {
				t.Fatalf("want both verdicts exercised, got %d accepts, %d rejects", a, r)
			}
		})
	}
}

// Encrypted responses: the Response signature over the EncryptedAssertion,
// and the assertion's own signature after decryption, judged on the
// decrypted bytes and their one-byte mutations.
func TestVerdictsMatchGoxmldsigOnEncrypted(t *testing.T) {
	raw := layoutEncrypted(t, baseOpts(), true, true, samltest.EncryptOptions{})
	trust := encTrustOnly(t)
	if a, r := compareVerdicts(t, raw, trust, 13); a == 0 || r == 0 {
		t.Fatalf("response signature: want both verdicts, got %d accepts, %d rejects", a, r)
	}
	root, err := parseSafeXML(raw)
	if err != nil {
		t.Fatal(err)
	}
	l, err := scanLayout(root)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := decryptAssertion(l.assertion, trust.DecryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	if a, r := compareVerdicts(t, plain, trust, 7); a == 0 || r == 0 {
		t.Fatalf("decrypted assertion: want both verdicts, got %d accepts, %d rejects", a, r)
	}
	dec, err := parseSafeXML(plain)
	if err != nil {
		t.Fatal(err)
	}
	if n := diffElements(t, dec, 1<<20); n < 20 {
		t.Fatalf("only %d c14n comparisons ran on the decrypted assertion", n)
	}
}

// FuzzVerifyDifferential flips one byte anywhere in a signed response and
// requires the fast path and goxmldsig to agree on every signature.
func FuzzVerifyDifferential(f *testing.F) {
	f.Add(uint16(0), byte(1))
	f.Add(uint16(1500), byte(0x20))
	signed := signedResponse(f, baseOpts())
	f.Fuzz(func(t *testing.T, pos uint16, x byte) {
		raw := append([]byte(nil), signed...)
		raw[int(pos)%len(raw)] ^= x
		for name, pick := range signedTargets {
			if fast, ref := fastVerdict(raw, pick, baseTrust(t)), goxmldsigVerdict(raw, pick, baseTrust(t)); fast != ref {
				t.Fatalf("%s: fast path %v, goxmldsig %v", name, fast, ref)
			}
		}
	})
}
