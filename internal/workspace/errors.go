package workspace

import (
	"errors"
	"fmt"
)

// AccessError is a refusal to sign someone in: a rule of docs/access-rules.md, a password
// login refusal, or a response that must not be used (replayed, unknown
// request). Code is stable (docs/access-rules.md lists every one); Message
// is the exact text shown to the user (the text of docs/access-rules.md where the rules word one).
type AccessError struct {
	Code    string
	Message string
}

// Error is "code: message", for logs.
func (e *AccessError) Error() string { return e.Code + ": " + e.Message }

// Access error codes. They never change meaning once released.
const (
	CodeNotAMember            = "not_a_member"
	CodeDomainNotAllowed      = "domain_not_allowed"
	CodeArchivedInWorkspace   = "archived_in_workspace"
	CodeArchivedInstance      = "archived_instance"
	CodeEmailMissing          = "email_missing"
	CodeInvalidCredentials    = "invalid_credentials"
	CodePasswordLoginDisabled = "password_login_disabled"
	CodeRequestUnknown        = "request_unknown"
	CodeAssertionReplayed     = "assertion_replayed"
	CodeNameIDMissing         = "nameid_missing"
)

// The exact messages of docs/access-rules.md, and ours for the codes the rules do not word.
const (
	MsgNotAMember            = "User does not exist in the workspace"
	MsgDomainNotAllowed      = "You cannot sign in using the mail id - Domain verification failed"
	MsgArchivedInWorkspace   = "User is archived in the workspace"
	MsgArchivedInstance      = "You have been archived from this instance. Contact super admin to know more."
	MsgInvalidCredentials    = "Incorrect email or password."
	MsgPasswordLoginDisabled = "Password sign-in is turned off for this workspace."
	MsgRequestUnknown        = "The sign-in request is unknown, expired or was already used. Start the sign-in again."
	MsgAssertionReplayed     = "This sign-in response was already used. Start the sign-in again."
	MsgNameIDMissing         = "The identity provider sent no NameID."
)

// accessError builds an *AccessError.
func accessError(code, msg string) *AccessError { return &AccessError{Code: code, Message: msg} }

// emailMissing is the attribute lookup's failure (docs/saml.md, "Attributes"): it lists the attribute names that did
// arrive, so the admin knows which claim to add or rename.
func emailMissing(attributeNames []string) *AccessError {
	names := "none"
	if len(attributeNames) > 0 {
		names = fmt.Sprintf("%q", attributeNames)
	}
	return accessError(CodeEmailMissing, "The identity provider sent no email address (looked for email, emailaddress, mail, and an email-shaped NameID); attributes received: "+names)
}

// ValidationError is a change refused by a rule (reserved group name, bad
// slug, last admin, automatic SSO, ...), as opposed to a failure. Message is
// safe to show to the admin who made the change.
type ValidationError struct {
	Field   string // the input that is wrong ("slug", "name", "role", ...); may be ""
	Message string
}

// Error is the message.
func (e *ValidationError) Error() string { return e.Message }

// UserMessage is the text a form shows.
func (e *ValidationError) UserMessage() string { return e.Message }

// invalid builds a *ValidationError.
func invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsValidation reports whether err is (or wraps) a *ValidationError.
func IsValidation(err error) bool {
	var ve *ValidationError
	return errors.As(err, &ve)
}
