package saml

import (
	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// Algorithm URIs the policy names. Exclusive c14n *without* comments is
// the only canonicalization accepted: it is what every IdP in the fixtures
// uses, and the with-comments variant keeps comments in the signed bytes,
// which buys nothing and widens the comment-injection surface.
const (
	rvKeyRSA         = "RSA"
	rvKeyECDSA       = "ECDSA"
	rvAlgClassStrong = 0
	rvAlgClassSHA1   = 1
)

// rvSignatureMethods maps every accepted SignatureMethod to its key type
// and whether it is SHA-1 (accepted only when the workspace allows it).
var rvSignatureMethods = map[string]struct {
	key   string
	class int
}{
	dsig.RSASHA256SignatureMethod:   {rvKeyRSA, rvAlgClassStrong},
	dsig.RSASHA384SignatureMethod:   {rvKeyRSA, rvAlgClassStrong},
	dsig.RSASHA512SignatureMethod:   {rvKeyRSA, rvAlgClassStrong},
	dsig.ECDSASHA256SignatureMethod: {rvKeyECDSA, rvAlgClassStrong},
	dsig.ECDSASHA384SignatureMethod: {rvKeyECDSA, rvAlgClassStrong},
	dsig.ECDSASHA512SignatureMethod: {rvKeyECDSA, rvAlgClassStrong},
	dsig.RSASHA1SignatureMethod:     {rvKeyRSA, rvAlgClassSHA1},
	dsig.ECDSASHA1SignatureMethod:   {rvKeyECDSA, rvAlgClassSHA1},
}

var rvDigestMethods = map[string]int{
	digestSHA256: rvAlgClassStrong,
	digestSHA384: rvAlgClassStrong,
	digestSHA512: rvAlgClassStrong,
	digestSHA1:   rvAlgClassSHA1,
}

// rvSigParts are the pieces of a Signature that passed the policy.
type rvSigParts struct {
	method         string // SignatureMethod URI
	keyType        string // rvKeyRSA or rvKeyECDSA
	signatureValue *etree.Element
	keyInfo        *etree.Element // nil when absent
	signedInfo     *etree.Element
	digestMethod   string // DigestMethod URI of the one Reference
	digestValue    string // its DigestValue text
	prefixList     string // InclusiveNamespaces PrefixList of its c14n transform
}

// checkSignaturePolicy enforces validation rules 2 and 8 (docs/saml.md) on one Signature element
// before any cryptography runs: its shape, exactly one Reference to "#"+id,
// only enveloped-signature + exclusive c14n, and the algorithm allow list.
// goxmldsig would otherwise pick the first matching Reference, accept
// other canonicalizations and SHA-1, and fall back to a null
// canonicalizer.
func checkSignaturePolicy(sig *etree.Element, id string, allowSHA1 bool) (*rvSigParts, error) {
	if err := noPrefixedAttributes(sig); err != nil {
		return nil, err
	}
	parts, signedInfo, err := splitSignature(sig)
	if err != nil {
		return nil, err
	}
	c14n, sm, ref, err := splitSignedInfo(signedInfo)
	if err != nil {
		return nil, err
	}
	if alg, _ := attrValue(c14n, "Algorithm"); alg != algExcC14N || hasChildElem(c14n) {
		return nil, rejectf(ReasonTransformForbidden, "expected CanonicalizationMethod %s, got %q", algExcC14N, alg)
	}
	smAlg, _ := attrValue(sm, "Algorithm")
	info, ok := rvSignatureMethods[smAlg]
	if !ok || hasChildElem(sm) {
		return nil, rejectf(ReasonAlgorithmForbidden, "expected SignatureMethod RSA-SHA256/384/512 or ECDSA-SHA256/384/512, got %q", smAlg)
	}
	if info.class == rvAlgClassSHA1 && !allowSHA1 {
		return nil, rejectf(ReasonSHA1NotAllowed, "expected a SHA-2 SignatureMethod (SHA-1 is not allowed for this IdP), got %q", smAlg)
	}
	if err := checkReference(ref, id, allowSHA1, parts); err != nil {
		return nil, err
	}
	parts.method, parts.keyType, parts.signedInfo = smAlg, info.key, signedInfo
	return parts, nil
}

// splitSignature checks Signature's children: one SignedInfo, one
// SignatureValue, at most one KeyInfo, nothing else (an Object could carry
// a wrapped copy of the signed element).
func splitSignature(sig *etree.Element) (*rvSigParts, *etree.Element, error) {
	var parts rvSigParts
	var signedInfo *etree.Element
	for c := range sig.ChildElementsSeq() {
		dup := false
		switch {
		case isElem(c, nsDSig, "SignedInfo"):
			dup, signedInfo = signedInfo != nil, c
		case isElem(c, nsDSig, "SignatureValue"):
			dup, parts.signatureValue = parts.signatureValue != nil, c
		case isElem(c, nsDSig, "KeyInfo"):
			dup, parts.keyInfo = parts.keyInfo != nil, c
		default:
			return nil, nil, rejectf(ReasonSignatureInvalid, "expected Signature to hold SignedInfo, SignatureValue and KeyInfo only, got <%s>", c.Tag)
		}
		if dup {
			return nil, nil, rejectf(ReasonSignatureInvalid, "expected one <%s> in the Signature, got several", c.Tag)
		}
	}
	if signedInfo == nil || parts.signatureValue == nil {
		return nil, nil, rejectf(ReasonSignatureInvalid, "expected Signature to hold SignedInfo and SignatureValue, got neither or one")
	}
	return &parts, signedInfo, nil
}

// splitSignedInfo returns SignedInfo's CanonicalizationMethod,
// SignatureMethod and its one Reference.
func splitSignedInfo(si *etree.Element) (c14n, sm, ref *etree.Element, err error) {
	var refs int
	for c := range si.ChildElementsSeq() {
		switch {
		case isElem(c, nsDSig, "CanonicalizationMethod") && c14n == nil:
			c14n = c
		case isElem(c, nsDSig, "SignatureMethod") && sm == nil:
			sm = c
		case isElem(c, nsDSig, "Reference"):
			ref = c
			refs++
		default:
			return nil, nil, nil, rejectf(ReasonSignatureInvalid, "expected SignedInfo to hold one CanonicalizationMethod, one SignatureMethod and References, got an extra <%s>", c.Tag)
		}
	}
	if refs != 1 {
		return nil, nil, nil, rejectf(ReasonReferenceInvalid, "expected exactly one Reference in SignedInfo, got %d", refs)
	}
	if c14n == nil || sm == nil {
		return nil, nil, nil, rejectf(ReasonSignatureInvalid, "expected SignedInfo to hold CanonicalizationMethod and SignatureMethod, got one missing")
	}
	return c14n, sm, ref, nil
}

// checkReference checks the one Reference: URI "#"+id of the signed
// element, the two allowed transforms, an allowed digest; it records the
// digest and the prefix list in parts.
func checkReference(ref *etree.Element, id string, allowSHA1 bool, parts *rvSigParts) error {
	if uri, _ := attrValue(ref, "URI"); uri != "#"+id {
		return rejectf(ReasonReferenceInvalid, "expected Reference URI %q (the signed element's ID), got %q", "#"+id, uri)
	}
	var transforms, digestMethod, digestValue *etree.Element
	for c := range ref.ChildElementsSeq() {
		switch {
		case isElem(c, nsDSig, "Transforms") && transforms == nil:
			transforms = c
		case isElem(c, nsDSig, "DigestMethod") && digestMethod == nil:
			digestMethod = c
		case isElem(c, nsDSig, "DigestValue") && digestValue == nil:
			digestValue = c
		default:
			return rejectf(ReasonReferenceInvalid, "expected Reference to hold Transforms, DigestMethod and DigestValue once each, got <%s>", c.Tag)
		}
	}
	if transforms == nil || digestMethod == nil || digestValue == nil {
		return rejectf(ReasonReferenceInvalid, "expected Reference to hold Transforms, DigestMethod and DigestValue, got one missing")
	}
	prefixList, err := checkTransforms(transforms)
	if err != nil {
		return err
	}
	alg, _ := attrValue(digestMethod, "Algorithm")
	class, ok := rvDigestMethods[alg]
	if !ok {
		return rejectf(ReasonAlgorithmForbidden, "expected DigestMethod SHA-256/384/512, got %q", alg)
	}
	if class == rvAlgClassSHA1 && !allowSHA1 {
		return rejectf(ReasonSHA1NotAllowed, "expected a SHA-2 DigestMethod (SHA-1 is not allowed for this IdP), got %q", alg)
	}
	digest, err := textOf(digestValue)
	if err != nil {
		return err
	}
	parts.digestMethod, parts.digestValue, parts.prefixList = alg, digest, prefixList
	return nil
}

// checkTransforms accepts exactly enveloped-signature and exclusive c14n
// (optionally with an InclusiveNamespaces prefix list), each once, and
// returns the prefix list.
func checkTransforms(transforms *etree.Element) (string, error) {
	var enveloped, c14n int
	var prefixList string
	for t := range transforms.ChildElementsSeq() {
		alg, _ := attrValue(t, "Algorithm")
		if !isElem(t, nsDSig, "Transform") {
			return "", rejectf(ReasonTransformForbidden, "expected only Transform elements in Transforms, got <%s>", t.Tag)
		}
		switch alg {
		case algEnveloped:
			enveloped++
			if hasChildElem(t) {
				return "", rejectf(ReasonTransformForbidden, "expected an empty enveloped-signature Transform, got child elements")
			}
		case algExcC14N:
			c14n++
			i := 0
			for c := range t.ChildElementsSeq() {
				if i++; i > 1 || !isElem(c, algExcC14N, "InclusiveNamespaces") {
					return "", rejectf(ReasonTransformForbidden, "expected at most one InclusiveNamespaces inside the exclusive c14n Transform, got <%s>", c.Tag)
				}
				prefixList, _ = attrValue(c, "PrefixList")
			}
		default:
			return "", rejectf(ReasonTransformForbidden, "expected only the enveloped-signature and exclusive c14n (without comments) transforms, got %q", alg)
		}
	}
	if enveloped != 1 || c14n != 1 {
		return "", rejectf(ReasonTransformForbidden, "expected the enveloped-signature and exclusive c14n transforms once each, got %d and %d", enveloped, c14n)
	}
	return prefixList, nil
}

// noPrefixedAttributes rejects namespaced attributes anywhere in the
// Signature. XML-DSig defines none, and encoding/xml (used by goxmldsig to
// read SignedInfo) matches "x:Algorithm" as Algorithm: the policy here and
// the verifier could otherwise read different algorithms or URIs.
func noPrefixedAttributes(el *etree.Element) error {
	for _, a := range el.Attr {
		if a.Space != "" && a.Space != "xmlns" {
			return rejectf(ReasonSignatureInvalid, "expected no namespaced attributes in the Signature, got %s:%s on <%s>", a.Space, a.Key, el.Tag)
		}
	}
	for c := range el.ChildElementsSeq() {
		if err := noPrefixedAttributes(c); err != nil {
			return err
		}
	}
	return nil
}
