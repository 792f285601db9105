package bench

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// floorParts are the inputs of the floor pieces, prepared once: each piece
// is timed alone, on exactly the bytes a validator feeds it.
type floorParts struct {
	assertion     *etree.Element // the Assertion without its Signature (the enveloped transform)
	canonical     []byte         // its exclusive c14n
	signedInfo    []byte         // the canonical SignedInfo
	digestValue   []byte         // DigestValue from the document
	signature     []byte         // SignatureValue, decoded
	pub           *rsa.PublicKey // the IdP's key from its certificate
	canonicalizer dsig.Canonicalizer
}

func newFloorParts(tb testing.TB) *floorParts {
	tb.Helper()
	f := getFixture(tb)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(f.raw); err != nil {
		tb.Fatal(err)
	}
	a := doc.Root().FindElement("./Assertion")
	sig := a.FindElement("./Signature")
	si := sig.FindElement("./SignedInfo")
	exc := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	p := &floorParts{pub: f.idp.Cert.PublicKey.(*rsa.PublicKey), canonicalizer: exc}
	// SignedInfo inherits the xmldsig default namespace from Signature;
	// detach it with its namespace context, as goxmldsig does.
	ctx, err := etreeutils.NSBuildParentContext(si)
	if err != nil {
		tb.Fatal(err)
	}
	if si, err = etreeutils.NSDetatch(ctx, si); err != nil {
		tb.Fatal(err)
	}
	if p.signedInfo, err = exc.Canonicalize(si); err != nil {
		tb.Fatal(err)
	}
	if p.digestValue, err = base64.StdEncoding.DecodeString(si.FindElement("./Reference/DigestValue").Text()); err != nil {
		tb.Fatal(err)
	}
	if p.signature, err = base64.StdEncoding.DecodeString(sig.FindElement("./SignatureValue").Text()); err != nil {
		tb.Fatal(err)
	}
	a.RemoveChild(sig)
	p.assertion = a
	if p.canonical, err = exc.Canonicalize(a); err != nil {
		tb.Fatal(err)
	}
	return p
}

// tokenize reads every token with encoding/xml's namespace-aware,
// nesting-checked Token: the cheapest parse that still proves the input is
// well-formed.
func tokenize(raw []byte) error {
	d := xml.NewDecoder(bytes.NewReader(raw))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestFloorPiecesVerifyTheFixture shows the floor pieces do the real work:
// the SHA-256 of the canonical assertion is the DigestValue, and the RSA
// verification of the canonical SignedInfo passes, and fails on a change.
func TestFloorPiecesVerifyTheFixture(t *testing.T) {
	p := newFloorParts(t)
	if sum := sha256.Sum256(p.canonical); !bytes.Equal(sum[:], p.digestValue) {
		t.Fatal("SHA-256 of the canonical assertion is not the DigestValue")
	}
	sum := sha256.Sum256(p.signedInfo)
	if err := rsa.VerifyPKCS1v15(p.pub, crypto.SHA256, sum[:], p.signature); err != nil {
		t.Fatalf("RSA verification of the SignedInfo failed: %v", err)
	}
	sum[0] ^= 1
	if err := rsa.VerifyPKCS1v15(p.pub, crypto.SHA256, sum[:], p.signature); err == nil {
		t.Fatal("RSA verification passed for another digest")
	}
	if err := tokenize(getFixture(t).raw); err != nil {
		t.Fatal(err)
	}
	if err := tokenize(getFixture(t).raw[:1000]); err == nil {
		t.Fatal("tokenize accepted a truncated document")
	}
}

// BenchmarkFloor times the pieces no validator can skip. The floor sum is
// Base64 + the cheaper of XMLTokenize and EtreeParse + SHA256Assertion +
// SHA256SignedInfo + RSAVerify (cmd/ratios adds them up); ExcC14N is shown
// for reference, as the price of goxmldsig's canonicalization.
func BenchmarkFloor(b *testing.B) {
	f := getFixture(b)
	p := newFloorParts(b)
	form := []byte(f.form)
	buf := make([]byte, base64.StdEncoding.DecodedLen(len(form)))
	signedInfoSum := sha256.Sum256(p.signedInfo)
	pieces := []struct {
		name string
		op   func() error
	}{
		{"Base64", func() error { _, err := base64.StdEncoding.Decode(buf, form); return err }},
		{"XMLTokenize", func() error { return tokenize(f.raw) }},
		{"EtreeParse", func() error { return etree.NewDocument().ReadFromBytes(f.raw) }},
		{"ExcC14N", func() error { _, err := p.canonicalizer.Canonicalize(p.assertion); return err }},
		{"SHA256Assertion", func() error { sha256.Sum256(p.canonical); return nil }},
		{"SHA256SignedInfo", func() error { sha256.Sum256(p.signedInfo); return nil }},
		{"RSAVerify", func() error { return rsa.VerifyPKCS1v15(p.pub, crypto.SHA256, signedInfoSum[:], p.signature) }},
	}
	for _, pc := range pieces {
		b.Run(pc.name, func(b *testing.B) { measure(b, pc.op) })
	}
}
