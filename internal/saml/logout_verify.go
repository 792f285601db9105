package saml

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"net/url"
	"strings"

	dsig "github.com/russellhaering/goxmldsig"
)

// redirectSigAlgs are the SigAlg values accepted on HTTP-Redirect messages
// from the IdP, with their hash and whether they are SHA-1.
var redirectSigAlgs = map[string]struct {
	hash crypto.Hash
	sha1 bool
}{
	dsig.RSASHA256SignatureMethod:   {crypto.SHA256, false},
	dsig.RSASHA384SignatureMethod:   {crypto.SHA384, false},
	dsig.RSASHA512SignatureMethod:   {crypto.SHA512, false},
	dsig.ECDSASHA256SignatureMethod: {crypto.SHA256, false},
	dsig.ECDSASHA384SignatureMethod: {crypto.SHA384, false},
	dsig.ECDSASHA512SignatureMethod: {crypto.SHA512, false},
	dsig.RSASHA1SignatureMethod:     {crypto.SHA1, true},
	dsig.ECDSASHA1SignatureMethod:   {crypto.SHA1, true},
}

// VerifyRedirectSignature checks the query signature of an HTTP-Redirect
// message from the IdP (SAML bindings §3.4.4.1). rawQuery is the request's
// raw, still percent-encoded query: the signature covers exactly those
// octets ("SAMLRequest=...&RelayState=...&SigAlg=..."), so they must not be
// re-encoded. Keys come only from trust.Certs; SHA-1 needs trust.AllowSHA1.
func VerifyRedirectSignature(rawQuery string, trust *TrustConfig) error {
	raw, err := rawQueryParams(rawQuery)
	if err != nil {
		return err
	}
	msgParam := "SAMLRequest"
	if _, ok := raw["SAMLResponse"]; ok {
		msgParam = "SAMLResponse"
	}
	if _, ok := raw[msgParam]; !ok {
		return rejectf(ReasonMalformedXML, "expected a SAMLRequest or SAMLResponse parameter, got neither")
	}
	if raw["Signature"] == "" || raw["SigAlg"] == "" {
		return rejectf(ReasonSignatureMissing, "expected a signed HTTP-Redirect message (SigAlg and Signature), got none")
	}
	sigAlg, err1 := url.QueryUnescape(raw["SigAlg"])
	sigB64, err2 := url.QueryUnescape(raw["Signature"])
	sig, err3 := base64.StdEncoding.DecodeString(sigB64)
	if err1 != nil || err2 != nil || err3 != nil {
		return rejectf(ReasonBadBase64, "expected a percent-encoded SigAlg and base64 Signature, got invalid encoding")
	}
	alg, ok := redirectSigAlgs[sigAlg]
	switch {
	case !ok:
		return rejectf(ReasonAlgorithmForbidden, "expected an RSA or ECDSA SHA-2 SigAlg, got %q", sigAlg)
	case alg.sha1 && !trust.AllowSHA1:
		return rejectf(ReasonSHA1NotAllowed, "expected a SHA-2 SigAlg (SHA-1 is not allowed for this configuration), got %q", sigAlg)
	}
	signed := msgParam + "=" + raw[msgParam]
	if rs, ok := raw["RelayState"]; ok {
		signed += "&RelayState=" + rs
	}
	signed += "&SigAlg=" + raw["SigAlg"]
	h := alg.hash.New()
	h.Write([]byte(signed))
	digest := h.Sum(nil)
	for _, c := range trust.Certs {
		if verifyDigest(c, alg.hash, digest, sig) {
			return nil
		}
	}
	return rejectf(ReasonSignatureInvalid, "expected a query signature that one of the %d trusted IdP certificates verifies, got none that does", len(trust.Certs))
}

// rawQueryParams splits a raw query into still-encoded values, refusing
// repeated parameters (which would make "the" signed value ambiguous).
func rawQueryParams(rawQuery string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(rawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := out[k]; dup {
			return nil, rejectf(ReasonMalformedXML, "expected each query parameter once, got %q twice", k)
		}
		out[k] = v
	}
	return out, nil
}

// verifyDigest verifies sig over digest with the certificate's key: RSA
// PKCS#1 v1.5 (2048 bits or more), or ECDSA as r||s or ASN.1.
func verifyDigest(c *x509.Certificate, h crypto.Hash, digest, sig []byte) bool {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen() >= MinRSAKeyBits && rsa.VerifyPKCS1v15(k, h, digest, sig) == nil
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) == 2*size {
			der, err := ecdsaRawToASN1(base64.StdEncoding.EncodeToString(sig), k)
			if err != nil {
				return false
			}
			sig, _ = base64.StdEncoding.DecodeString(der)
		}
		return ecdsa.VerifyASN1(k, digest, sig)
	}
	return false
}

// ParseSignedLogoutRequest is ParseLogoutRequest for the HTTP-POST binding
// with an enveloped signature over the LogoutRequest required, verified
// with the same policy as responses (exclusive c14n, SHA-2 unless
// AllowSHA1, keys only from trust.Certs). Every field is read from the
// element the verified signature covers.
func ParseSignedLogoutRequest(raw []byte, trust *TrustConfig) (*LogoutRequest, error) {
	root, err := parseLogoutXML(raw, "LogoutRequest")
	if err != nil {
		return nil, err
	}
	sigs := childElems(root, nsDSig, "Signature")
	if len(sigs) != 1 {
		return nil, rejectf(ReasonSignatureMissing, "expected one Signature in the LogoutRequest, got %d", len(sigs))
	}
	verified, _, err := verifySignature(root, sigs[0], trust)
	if err != nil {
		return nil, err
	}
	lr, err := readLogoutRequest(verified)
	if err != nil {
		return nil, err
	}
	lr.XML = raw
	return lr, nil
}
