package saml

import "fmt"

// Reason is a stable, machine-readable code for why a response was
// rejected. Codes never change meaning once released; docs/reason-codes.md
// lists every one.
type Reason string

// Error is a rejection: a stable Reason and an operator-readable Message
// that says what was expected and what arrived. Messages may quote values
// from the response; they are for logs and the audit log, never for the
// browser.
type Error struct {
	Reason  Reason
	Message string
	// IdPStatus holds the IdP's status code and message for
	// ReasonStatusNotSuccess.
	IdPStatus string
}

func (e *Error) Error() string { return string(e.Reason) + ": " + e.Message }

// rejectf builds an *Error.
func rejectf(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Message: fmt.Sprintf(format, args...)}
}

// Reason codes. Grouped by the validation rule of docs/saml.md they enforce.
const (
	// Rule 1: input
	ReasonBadBase64        Reason = "bad_base64"
	ReasonResponseTooLarge Reason = "response_too_large"
	ReasonMalformedXML     Reason = "malformed_xml"
	ReasonXMLForbidden     Reason = "xml_forbidden_construct" // DOCTYPE, entity, external reference
	ReasonXMLTooDeep       Reason = "xml_too_deep"
	ReasonXMLRoundTrip     Reason = "xml_round_trip_mismatch"

	// Rule 8: structure
	ReasonNotAResponse Reason = "not_a_response"
	// ReasonUnexpectedMessage: a logout message whose root is not the
	// samlp:LogoutRequest or LogoutResponse the endpoint expects.
	ReasonUnexpectedMessage Reason = "unexpected_message"
	// ReasonMetadataInvalid: IdP metadata that does not parse or lacks
	// what Gatehouse needs (every *MetadataError unwraps to it).
	ReasonMetadataInvalid     Reason = "metadata_invalid"
	ReasonUnsupportedVersion  Reason = "unsupported_version"
	ReasonMissingID           Reason = "missing_id"
	ReasonDuplicateID         Reason = "duplicate_id"
	ReasonNoAssertion         Reason = "no_assertion"
	ReasonMultipleAssertions  Reason = "multiple_assertions"
	ReasonIssuerFormatInvalid Reason = "issuer_format_invalid"

	// Rule 2: signatures
	ReasonSignatureMissing      Reason = "signature_missing"
	ReasonSignatureInvalid      Reason = "signature_invalid"
	ReasonDigestMismatch        Reason = "digest_mismatch"
	ReasonAlgorithmForbidden    Reason = "signature_algorithm_forbidden"
	ReasonSHA1NotAllowed        Reason = "sha1_not_allowed"
	ReasonTransformForbidden    Reason = "signature_transform_forbidden"
	ReasonReferenceInvalid      Reason = "signature_reference_invalid"
	ReasonMultipleSignatures    Reason = "multiple_signatures"
	ReasonUntrustedCertificate  Reason = "untrusted_certificate"
	ReasonKeyTooShort           Reason = "key_too_short"
	ReasonNoTrustedCertificates Reason = "no_trusted_certificates"

	// Encrypted assertions
	ReasonEncryptionAlgorithmForbidden Reason = "encryption_algorithm_forbidden"
	ReasonDecryptionFailed             Reason = "decryption_failed"
	ReasonNoDecryptionKey              Reason = "no_decryption_key"

	// Rule 3: response
	ReasonStatusNotSuccess    Reason = "status_not_success"
	ReasonDestinationMismatch Reason = "destination_mismatch"
	ReasonIssuerMismatch      Reason = "issuer_mismatch"

	// Rule 4: assertion
	ReasonIssuerMissing              Reason = "issuer_missing"
	ReasonConditionsMissing          Reason = "conditions_missing"
	ReasonNotYetValid                Reason = "assertion_not_yet_valid"
	ReasonExpired                    Reason = "assertion_expired"
	ReasonAudienceMissing            Reason = "audience_missing"
	ReasonAudienceMismatch           Reason = "audience_mismatch"
	ReasonBearerMissing              Reason = "bearer_confirmation_missing"
	ReasonRecipientMismatch          Reason = "recipient_mismatch"
	ReasonSubjectConfirmationExpired Reason = "subject_confirmation_expired"
	ReasonInResponseToUnknown        Reason = "in_response_to_unknown"
	ReasonInResponseToMismatch       Reason = "in_response_to_mismatch"
	ReasonUnsolicitedNotAllowed      Reason = "unsolicited_not_allowed"
	ReasonIssueInstantTooOld         Reason = "issue_instant_too_old"
	ReasonIssueInstantInFuture       Reason = "issue_instant_in_future"

	// Rule 7: subject
	ReasonNameIDMissing           Reason = "nameid_missing"
	ReasonSPNameQualifierMismatch Reason = "sp_name_qualifier_mismatch"
)

// Reasons added with response validation (appended; existing codes keep
// their meaning).
const (
	// Rule 8: the one Assertion is not a direct child of the Response.
	ReasonAssertionMisplaced Reason = "assertion_misplaced"
	// Rule 8: a Signature outside the Response and Assertion.
	ReasonSignatureMisplaced Reason = "signature_misplaced"
	// Attributes (docs/saml.md): the email attribute arrived twice, or with two
	// different values; which one is the user is not for us to guess.
	ReasonEmailAmbiguous Reason = "email_ambiguous"
)
