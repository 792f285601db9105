package ssoconfig

import (
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Refusal explains refused input: the admin-facing message and the form
// field it belongs to, for a *FieldError, a *saml.MetadataError (the
// metadata's content, with its line and column) or a
// *workspace.ValidationError (the service's own checks). ok is false for
// any other error, which is a failure of the server, not of the input.
func Refusal(err error) (message, field string, ok bool) {
	var fe *FieldError
	var me *saml.MetadataError
	var ve *workspace.ValidationError
	switch {
	case errors.As(err, &fe):
		return fe.Message, fe.Field, true
	case errors.As(err, &me):
		return "Identity provider metadata: " + MetadataErrorText(me), "metadata_xml", true
	case errors.As(err, &ve):
		return ve.Message, ve.Field, true
	}
	return "", "", false
}

// MetadataErrorText prints a metadata error with its position.
func MetadataErrorText(me *saml.MetadataError) string {
	if me.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", me.Line, me.Column, me.Msg)
	}
	return me.Msg
}
