package web

import (
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// loginMessages maps the codes the sign-in page accepts in ?error= to the
// exact texts it shows (docs/access-rules.md, "Provisioning and access rules"). The query value itself is never echoed:
// an unknown code shows nothing.
var loginMessages = map[string]string{
	workspace.CodeNotAMember:            workspace.MsgNotAMember,
	workspace.CodeDomainNotAllowed:      workspace.MsgDomainNotAllowed,
	workspace.CodeArchivedInWorkspace:   workspace.MsgArchivedInWorkspace,
	workspace.CodeArchivedInstance:      workspace.MsgArchivedInstance,
	workspace.CodeInvalidCredentials:    workspace.MsgInvalidCredentials,
	workspace.CodePasswordLoginDisabled: workspace.MsgPasswordLoginDisabled,
	workspace.CodeEmailMissing:          "Your identity provider did not send an email address. Ask your administrator to add an email claim.",
	workspace.CodeNameIDMissing:         workspace.MsgNameIDMissing,
	"rate_limited":                      "Too many attempts. Wait a minute and try again.",
}

// loginNotices are informational (not error) texts for ?notice=.
var loginNotices = map[string]string{
	"signed_out":     "You have been signed out.",
	"password_reset": "Your password was changed and your other sessions were ended. Sign in with the new password.",
}

// accessMessage is the text for an AccessError code on the sign-in page:
// the documented text when we know the code, else the service's own message.
func accessMessage(ae *workspace.AccessError) string {
	if m, ok := loginMessages[ae.Code]; ok {
		return m
	}
	return ae.Message
}

// isUserError reports whether err is the user's to fix (shown on a form).
func isUserError(err error) bool {
	var ae *workspace.AccessError
	var ve interface{ UserMessage() string }
	return errors.As(err, &ae) || errors.As(err, &ve)
}

// userMessage is what a form shows for a user error.
func userMessage(err error) string {
	var ae *workspace.AccessError
	if errors.As(err, &ae) {
		return accessMessage(ae)
	}
	var ve interface{ UserMessage() string }
	if errors.As(err, &ve) {
		return ve.UserMessage()
	}
	if errors.Is(err, store.ErrConflict) {
		return "That name or email is already taken."
	}
	return "The request could not be processed."
}
