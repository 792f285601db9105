// Package saml implements the SAML 2.0 service-provider side of Web Browser
// SSO: IdP metadata parsing, AuthnRequests, strict response validation,
// encrypted assertions and SP metadata. It has no HTTP handlers and no
// database: the caller supplies the clock, the trust configuration and small
// interfaces for the outstanding-request and replay checks.
package saml

import (
	"crypto/rsa"
	"crypto/x509"
	"time"
)

// SAML URIs used across the package.
const (
	BindingHTTPRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	BindingHTTPPost     = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

	NameIDFormatPersistent  = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	NameIDFormatTransient   = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	NameIDFormatEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDFormatUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	NameIDFormatEntity      = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"

	StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success"
)

// Defaults applied when the corresponding Expectations field is zero.
const (
	DefaultClockSkew       = 3 * time.Minute
	DefaultMaxAssertionAge = 5 * time.Minute // plus the clock skew
	DefaultMaxResponseSize = 256 << 10       // decoded bytes
)

// Endpoint is a protocol endpoint of an IdP (SingleSignOnService,
// SingleLogoutService).
type Endpoint struct {
	Binding  string
	Location string
}

// IdPMetadata is what Gatehouse needs from an IdP's metadata (docs/saml.md, "IdP metadata").
type IdPMetadata struct {
	EntityID      string
	SSO           []Endpoint
	SLO           []Endpoint
	SigningCerts  []*x509.Certificate // every signing (or use-less) key, in document order
	NameIDFormats []string
	// WantAuthnRequestsSigned is the IDPSSODescriptor attribute.
	WantAuthnRequestsSigned bool
	// SigningMethods are the alg:SigningMethod algorithms the metadata
	// advertises (often none); only used for warnings.
	SigningMethods []string
	// ValidUntil is the earliest validUntil of the entity and its
	// enclosing EntitiesDescriptors (zero when none); only warned about.
	ValidUntil time.Time
}

// TrustConfig is what a response is checked against: the IdP's identity
// and keys, from configured metadata only.
type TrustConfig struct {
	IdPEntityID string
	Certs       []*x509.Certificate
	AllowSHA1   bool
	// DecryptionKey is the SP encryption key for EncryptedAssertion (docs/saml.md, "Encrypted assertions");
	// nil means encrypted assertions are rejected.
	DecryptionKey *rsa.PrivateKey
}

// RequestChecker reports whether id is an outstanding AuthnRequest of this
// SP configuration. It returns nil when it is, any error otherwise. The
// caller consumes the request afterwards, atomically, with the rest of the
// login.
type RequestChecker interface {
	CheckRequest(id string) error
}

// Expectations are the SP-side facts a response must match.
type Expectations struct {
	SPEntityID string // the audience, and SPNameQualifier when present
	ACSURL     string // Destination and Recipient
	// ClockSkew tolerated on every time check; 0 means DefaultClockSkew.
	ClockSkew time.Duration
	// MaxAssertionAge bounds IssueInstant; 0 means DefaultMaxAssertionAge.
	MaxAssertionAge time.Duration
	// Requests checks InResponseTo. With nil Requests every solicited
	// response is rejected (in_response_to_unknown).
	Requests RequestChecker
	// AllowUnsolicited accepts responses without InResponseTo.
	AllowUnsolicited bool
	// MaxResponseSize caps the response XML in bytes, as DecodeResponse's
	// maxSize does for the form value; 0 means DefaultMaxResponseSize.
	MaxResponseSize int
}

// Attribute is one SAML attribute with all its values, in document order.
type Attribute struct {
	Name         string
	FriendlyName string
	NameFormat   string
	Values       []string
}

// Assertion is the verified outcome of a successful validation. Every field
// comes from the element the verified signature covers.
type Assertion struct {
	ID              string // the Assertion's ID (replay cache key)
	ResponseID      string
	Issuer          string
	NameID          string
	NameIDFormat    string
	SPNameQualifier string
	SessionIndex    string
	InResponseTo    string // "" for unsolicited
	AuthnInstant    time.Time
	IssueInstant    time.Time
	// NotOnOrAfter is the earliest expiry among Conditions and the bearer
	// SubjectConfirmationData.
	NotOnOrAfter time.Time
	// ReplayUntil is NotOnOrAfter plus the clock skew: until then the
	// caller must remember ID and refuse it again (docs/saml.md, validation
	// rule 6), atomically with the sign-in, which is why validation does
	// not check it.
	ReplayUntil time.Time
	Attributes  []Attribute
	// SignedElement is "Response", "Assertion" or "Response+Assertion".
	SignedElement string
	// SigningCertSHA256 is the lowercase hex SHA-256 of the DER of the
	// certificate whose key verified the signature.
	SigningCertSHA256 string
	// Encrypted is true when the assertion arrived as EncryptedAssertion.
	Encrypted bool
	// ClockDifference is now minus the response's IssueInstant.
	ClockDifference time.Duration
}
