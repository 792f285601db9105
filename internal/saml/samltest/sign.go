package samltest

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"fmt"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// RSASHA256 is the default SignatureMethod.
const RSASHA256 = dsig.RSASHA256SignatureMethod

// SignDocument signs the Assertion (first Assertion child of the root) and/or
// the root Response of doc in place and returns the serialized document.
// The assertion is signed first, so that a Response signature covers it.
// method is a SignatureMethod URI ("" means RSA-SHA256).
func (idp *IdP) SignDocument(doc *etree.Document, assertion, response bool, method string) ([]byte, error) {
	root := doc.Root()
	if assertion {
		a := FindChild(root, "Assertion")
		if a == nil {
			return nil, fmt.Errorf("samltest: no Assertion to sign")
		}
		signed, err := idp.SignElement(a, method)
		if err != nil {
			return nil, err
		}
		ReplaceChild(root, a, signed)
	}
	if response {
		signed, err := idp.SignElement(root, method)
		if err != nil {
			return nil, err
		}
		doc.SetRoot(signed)
	}
	return Serialize(doc)
}

// SignElement returns a signed copy of el: an enveloped XML-DSig signature
// (exclusive c14n, method or RSA-SHA256) with this IdP's certificate in
// KeyInfo, placed right after the Issuer as the SAML schema wants.
func (idp *IdP) SignElement(el *etree.Element, method string) (*etree.Element, error) {
	return SignElementWith(idp.Key, idp.Cert, el, method)
}

// SignElementWith is SignElement with any RSA key and certificate (for
// attacker keys and SHA-1 fixtures).
func SignElementWith(key *rsa.PrivateKey, cert *x509.Certificate, el *etree.Element, method string) (*etree.Element, error) {
	return signElement(key, cert, el, method)
}

func signElement(key crypto.Signer, cert *x509.Certificate, el *etree.Element, method string) (*etree.Element, error) {
	if method == "" {
		method = RSASHA256
	}
	ctx, err := dsig.NewSigningContext(key, [][]byte{cert.Raw})
	if err != nil {
		return nil, fmt.Errorf("samltest: signing context: %w", err)
	}
	if err := ctx.SetSignatureMethod(method); err != nil {
		return nil, fmt.Errorf("samltest: %w", err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := ctx.SignEnveloped(el)
	if err != nil {
		return nil, fmt.Errorf("samltest: sign: %w", err)
	}
	// SignEnveloped appends the Signature; SAML wants it after Issuer.
	sig := signed.Child[len(signed.Child)-1].(*etree.Element)
	signed.RemoveChildAt(len(signed.Child) - 1)
	at := 0
	if iss := FindChild(signed, "Issuer"); iss != nil {
		at = iss.Index() + 1
	}
	signed.InsertChildAt(at, sig)
	return signed, nil
}

// FindChild is the first child element of el with local name tag.
func FindChild(el *etree.Element, tag string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

// ReplaceChild puts repl where old is among parent's children.
func ReplaceChild(parent, old, repl *etree.Element) {
	i := old.Index()
	parent.RemoveChildAt(i)
	parent.InsertChildAt(i, repl)
}

// Serialize writes doc without any reformatting (signatures stay valid).
func Serialize(doc *etree.Document) ([]byte, error) {
	out, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("samltest: serialize: %w", err)
	}
	return out, nil
}
