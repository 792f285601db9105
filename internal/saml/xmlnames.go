package saml

import dsig "github.com/russellhaering/goxmldsig"

// The one set of XML namespace and algorithm names internal/saml reads and
// writes: responses, metadata, logout messages and encrypted assertions
// all match elements against these (always by namespace and local name,
// never by prefix). goxmldsig's constants are used where it exports them,
// so the verifier and the signer cannot disagree on a URI.
const (
	nsProtocol   = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion  = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsMetadata   = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsAlgSupport = "urn:oasis:names:tc:SAML:metadata:algsupport"
	nsDSig       = dsig.Namespace
	nsXMLEnc     = "http://www.w3.org/2001/04/xmlenc#"
	nsXMLEnc11   = "http://www.w3.org/2009/xmlenc11#"

	// cmBearer is the bearer SubjectConfirmation method.
	cmBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

	// algExcC14N is exclusive canonicalization without comments; it is
	// also the namespace of its InclusiveNamespaces element.
	algExcC14N   = string(dsig.CanonicalXML10ExclusiveAlgorithmId)
	algEnveloped = string(dsig.EnvelopedSignatureAltorithmId)

	// Digest methods (XML-DSig and XML-Enc name them alike).
	digestSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	digestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	digestSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	digestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

	// Mask generation functions of XML-Enc 1.1 RSA-OAEP.
	mgf1SHA1   = "http://www.w3.org/2009/xmlenc11#mgf1sha1"
	mgf1SHA256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256"
	mgf1SHA384 = "http://www.w3.org/2009/xmlenc11#mgf1sha384"
	mgf1SHA512 = "http://www.w3.org/2009/xmlenc11#mgf1sha512"

	// XML-Enc Type values.
	typeElement      = "http://www.w3.org/2001/04/xmlenc#Element"
	typeEncryptedKey = "http://www.w3.org/2001/04/xmlenc#EncryptedKey"

	// Names XML reserves, and XInclude, which is never processed.
	nsXMLReserved   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNSReserved = "http://www.w3.org/2000/xmlns/"
	nsXInclude      = "http://www.w3.org/2001/XInclude"
)
