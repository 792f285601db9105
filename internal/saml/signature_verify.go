package saml

import (
	"crypto/ecdsa"
	"crypto/sha1" // #nosec G505 -- SHA-1 digests only where the workspace allows them (docs/saml.md, validation rule 8)
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"sync"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// x509Algorithms maps each SignatureMethod the policy accepts to the
// crypto/x509 algorithm that verifies it (the same table goxmldsig uses).
var x509Algorithms = map[string]x509.SignatureAlgorithm{
	dsig.RSASHA1SignatureMethod:     x509.SHA1WithRSA,
	dsig.RSASHA256SignatureMethod:   x509.SHA256WithRSA,
	dsig.RSASHA384SignatureMethod:   x509.SHA384WithRSA,
	dsig.RSASHA512SignatureMethod:   x509.SHA512WithRSA,
	dsig.ECDSASHA1SignatureMethod:   x509.ECDSAWithSHA1,
	dsig.ECDSASHA256SignatureMethod: x509.ECDSAWithSHA256,
	dsig.ECDSASHA384SignatureMethod: x509.ECDSAWithSHA384,
	dsig.ECDSASHA512SignatureMethod: x509.ECDSAWithSHA512,
}

// c14nPool reuses canonicalization buffers across requests: the ACS path
// then allocates nothing for canonical bytes.
var c14nPool = sync.Pool{New: func() any { return new(excC14N) }}

// dsigCheck is one enveloped signature to verify: the signed element, its
// Signature and the parts the policy accepted.
type dsigCheck struct {
	el, sig *etree.Element
	parts   *rvSigParts
	sigText string
}

// verify tries each candidate certificate: the canonical SignedInfo must
// verify under the certificate's key (crypto/x509 → crypto/rsa or
// crypto/ecdsa), then the digest of the canonical signed element (the
// enveloped Signature left out) must equal DigestValue. The element the
// caller reads from afterwards is el itself, the very node whose canonical
// bytes were hashed. It reports whether a trusted key verified SignedInfo
// but the digest differed, for the rejection reason.
func (d *dsigCheck) verify(cands []*x509.Certificate) (*x509.Certificate, bool, error) {
	c := c14nPool.Get().(*excC14N)
	defer func() {
		c.release()
		c14nPool.Put(c)
	}()
	signedInfo, err := canonicalOrFallback(c, d.parts.signedInfo, nil, "")
	if err != nil {
		return nil, false, err
	}
	// signedInfo aliases c.buf: keep it while the reference is hashed.
	signedInfo = append([]byte(nil), signedInfo...)
	for _, cert := range cands {
		if !d.signedInfoVerifies(signedInfo, cert) {
			continue
		}
		// The digest does not depend on the key: the first key that
		// verifies SignedInfo settles it.
		ok, mismatch, err := d.digestMatches(c)
		if err != nil || !ok {
			return nil, mismatch, err
		}
		return cert, false, nil
	}
	return nil, false, nil
}

// signedInfoVerifies decodes SignatureValue as goxmldsig does (standard
// base64; ECDSA r||s converted to ASN.1 first) and checks it.
func (d *dsigCheck) signedInfoVerifies(signedInfo []byte, cert *x509.Certificate) bool {
	text := d.sigText
	if d.parts.keyType == rvKeyECDSA {
		var err error
		if text, err = ecdsaRawToASN1(text, cert.PublicKey.(*ecdsa.PublicKey)); err != nil {
			return false
		}
	}
	sig, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return false
	}
	return cert.CheckSignature(x509Algorithms[d.parts.method], signedInfo, sig) == nil
}

// digestMatches canonicalizes the signed element and compares its digest
// with DigestValue in constant time. mismatch reports a well-formed digest
// that differs (the content changed after signing); an undecodable
// DigestValue fails as a bad signature, as it did through goxmldsig.
func (d *dsigCheck) digestMatches(c *excC14N) (ok, mismatch bool, err error) {
	want, err := base64.StdEncoding.DecodeString(d.parts.digestValue)
	if err != nil {
		return false, false, nil
	}
	data, err := canonicalOrFallback(c, d.el, d.sig, d.parts.prefixList)
	if err != nil {
		return false, false, err
	}
	got := digestOf(d.parts.digestMethod, data)
	if len(got) >= 20 && subtle.ConstantTimeCompare(got, want) == 1 {
		return true, false, nil
	}
	return false, true, nil
}

// digestOf hashes data with the DigestMethod the policy accepted.
func digestOf(method string, data []byte) []byte {
	switch method {
	case digestSHA256:
		s := sha256.Sum256(data)
		return s[:]
	case digestSHA384:
		s := sha512.Sum384(data)
		return s[:]
	case digestSHA512:
		s := sha512.Sum512(data)
		return s[:]
	case digestSHA1:
		s := sha1.Sum(data) // #nosec G401 -- allowed per IdP only
		return s[:]
	}
	return nil
}

// canonicalOrFallback canonicalizes el with excC14N, or, on the inputs
// where goxmldsig's attribute order is not a total order, with goxmldsig
// itself on a prepared copy, so that the bytes are goxmldsig's either way.
func canonicalOrFallback(c *excC14N, el, skip *etree.Element, prefixList string) ([]byte, error) {
	out, err := c.canonicalize(el, skip, prefixList)
	if !errors.Is(err, errC14NFallback) {
		if err != nil {
			return nil, rejectf(ReasonMalformedXML, "expected canonicalizable XML in <%s>, got %v", el.Tag, err)
		}
		return out, nil
	}
	return goxmldsigC14N(el, skip, prefixList)
}

// goxmldsigC14N is goxmldsig's exclusive canonicalization of el as its
// ValidationContext would compute it: a copy with every in-scope namespace
// declared on it and skip removed. The differential tests use it as the
// reference.
func goxmldsigC14N(el, skip *etree.Element, prefixList string) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, rejectf(ReasonMalformedXML, "expected valid namespace declarations around <%s>, got %v", el.Tag, err)
	}
	cp := el.Copy()
	if skip != nil {
		removeSameChild(el, cp, skip)
	}
	for prefix, ns := range ctx.Prefixes() {
		if prefix == "xml" || prefix == "xmlns" || (prefix == "" && ns == nsXMLReserved) {
			continue
		}
		key := "xmlns:" + prefix
		if prefix == "" {
			key = "xmlns"
		}
		if cp.SelectAttr(key) == nil {
			cp.CreateAttr(key, ns)
		}
	}
	out, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList).Canonicalize(cp)
	if err != nil {
		return nil, rejectf(ReasonMalformedXML, "expected canonicalizable XML in <%s>, got %v", el.Tag, err)
	}
	return out, nil
}

// removeSameChild removes from cp (a copy of el) the child at skip's
// position in el; skip is a direct child of el (the layout rules).
func removeSameChild(el, cp, skip *etree.Element) {
	for i, t := range el.Child {
		if t == skip {
			cp.RemoveChildAt(i)
			return
		}
	}
}
