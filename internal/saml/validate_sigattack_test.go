package saml

import (
	"encoding/base64"
	"testing"

	"github.com/beevik/etree"
)

// setAlg rewrites an Algorithm attribute after signing.
func setAlg(t *testing.T, path, alg string) func(root *etree.Element) {
	return func(root *etree.Element) { el(t, root, path).CreateAttr("Algorithm", alg) }
}

const sigPath = "./Assertion/Signature/SignedInfo"

func TestForbiddenAlgorithmsAndTransforms(t *testing.T) {
	cases := []struct {
		name string
		edit func(root *etree.Element)
		want Reason
	}{
		{"inclusive c14n transform", setAlg(t, sigPath+"/Reference/Transforms/Transform[2]", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"), ReasonTransformForbidden},
		{"c14n 1.1 transform", setAlg(t, sigPath+"/Reference/Transforms/Transform[2]", "http://www.w3.org/2006/12/xml-c14n11"), ReasonTransformForbidden},
		{"exc-c14n with comments transform", setAlg(t, sigPath+"/Reference/Transforms/Transform[2]", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"), ReasonTransformForbidden},
		{"xpath transform", setAlg(t, sigPath+"/Reference/Transforms/Transform[1]", "http://www.w3.org/TR/1999/REC-xpath-19991116"), ReasonTransformForbidden},
		{"xslt transform added", func(root *etree.Element) {
			tr := el(t, root, sigPath+"/Reference/Transforms").CreateElement("ds:Transform")
			tr.CreateAttr("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116")
		}, ReasonTransformForbidden},
		{"enveloped transform missing", func(root *etree.Element) {
			ts := el(t, root, sigPath+"/Reference/Transforms")
			ts.RemoveChild(el(t, ts, "./Transform[1]"))
		}, ReasonTransformForbidden},
		{"inclusive CanonicalizationMethod", setAlg(t, sigPath+"/CanonicalizationMethod", "http://www.w3.org/2006/12/xml-c14n11"), ReasonTransformForbidden},
		{"MD5 signature", setAlg(t, sigPath+"/SignatureMethod", "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"), ReasonAlgorithmForbidden},
		{"MD5 digest", setAlg(t, sigPath+"/Reference/DigestMethod", "http://www.w3.org/2001/04/xmldsig-more#md5"), ReasonAlgorithmForbidden},
		{"HMAC-SHA1", setAlg(t, sigPath+"/SignatureMethod", "http://www.w3.org/2000/09/xmldsig#hmac-sha1"), ReasonAlgorithmForbidden},
		{"HMAC-SHA256", setAlg(t, sigPath+"/SignatureMethod", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"), ReasonAlgorithmForbidden},
		{"SHA-1 digest", setAlg(t, sigPath+"/Reference/DigestMethod", "http://www.w3.org/2000/09/xmldsig#sha1"), ReasonSHA1NotAllowed},
		{"empty reference URI", func(root *etree.Element) { el(t, root, sigPath+"/Reference").CreateAttr("URI", "") }, ReasonReferenceInvalid},
		{"reference to the Response", func(root *etree.Element) {
			id, _ := attrValue(root, "ID")
			el(t, root, sigPath+"/Reference").CreateAttr("URI", "#"+id)
		}, ReasonReferenceInvalid},
		{"two references", func(root *etree.Element) {
			si := el(t, root, sigPath)
			si.AddChild(el(t, si, "./Reference").Copy())
		}, ReasonReferenceInvalid},
		{"prefixed Algorithm next to the real one", func(root *etree.Element) {
			sm := el(t, root, sigPath+"/SignatureMethod")
			sm.CreateAttr("xmlns:x", "urn:x")
			sm.CreateAttr("x:Algorithm", "http://www.w3.org/2000/09/xmldsig#rsa-sha1")
		}, ReasonSignatureInvalid},
		{"object in signature", func(root *etree.Element) {
			el(t, root, "./Assertion/Signature").CreateElement("ds:Object")
		}, ReasonSignatureInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantRejected(t, tamper(t, signedResponse(t, baseOpts()), c.edit), c.want)
		})
	}
}

func TestDigestMismatchAndBitFlip(t *testing.T) {
	t.Run("attribute changed after signing", func(t *testing.T) {
		raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
			el(t, root, "./Assertion/AttributeStatement/Attribute[@Name='groups']/AttributeValue").SetText("superadmins")
		})
		wantRejected(t, raw, ReasonDigestMismatch)
	})
	t.Run("DigestValue changed", func(t *testing.T) {
		raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
			el(t, root, sigPath+"/Reference/DigestValue").SetText(base64.StdEncoding.EncodeToString(make([]byte, 32)))
		})
		wantRejected(t, raw, ReasonSignatureInvalid) // SignedInfo no longer matches its signature
	})
	t.Run("SignatureValue bit flip", func(t *testing.T) {
		raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
			sv := el(t, root, "./Assertion/Signature/SignatureValue")
			b, err := base64.StdEncoding.DecodeString(sv.Text())
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x10
			sv.SetText(base64.StdEncoding.EncodeToString(b))
		})
		wantRejected(t, raw, ReasonSignatureInvalid)
	})
}
