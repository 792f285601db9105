package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// fieldError is refused input in one field of a web-only form (mappings,
// API tokens); Field is the form field's name so the page can put the
// message next to it. The SAML settings' own is ssoconfig.FieldError.
type fieldError struct {
	Field   string
	Message string
}

func (e *fieldError) Error() string { return e.Message }

// errorStatus maps a save error to an HTTP status: refused input is 422,
// a duplicate name 409, a vanished record 404, anything else 500.
func errorStatus(err error) int {
	var fe *fieldError
	if _, _, refused := ssoconfig.Refusal(err); refused || errors.As(err, &fe) {
		return http.StatusUnprocessableEntity
	}
	switch {
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// formFailed answers a failed admin form save: a server error (5xx) gets
// the error page here (answered true); otherwise it returns the status the
// caller re-renders its form with, showing errorMessage(err).
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error) (status int, answered bool) {
	status = errorStatus(err)
	if status >= 500 {
		s.serverError(w, r, err)
		return status, true
	}
	return status, false
}

// errorCode is the JSON API code for err (see api_errors.go).
func errorCode(err error) string {
	var me *saml.MetadataError
	switch {
	case errors.As(err, &me):
		return apiCodeInvalidMetadata
	case isValidationError(err):
		return apiCodeNotAllowed
	}
	switch errorStatus(err) {
	case http.StatusUnprocessableEntity:
		return apiCodeInvalidField
	case http.StatusConflict:
		return apiCodeConflict
	case http.StatusNotFound:
		return apiCodeNotFound
	}
	return apiCodeInternal
}

// errorMessage is the text shown to the admin. Metadata errors name the
// line and column; conflicts and lookups get a fixed text (store errors
// carry SQL details that are no business of the page).
func errorMessage(err error) string {
	var fe *fieldError
	if msg, _, refused := ssoconfig.Refusal(err); refused {
		return msg
	}
	switch {
	case errors.As(err, &fe):
		return fe.Message
	case errors.Is(err, store.ErrConflict):
		return "That name is already taken in this workspace."
	case errors.Is(err, store.ErrNotFound):
		return "That item no longer exists; reload the page."
	}
	return "Something went wrong on our side; nothing was saved."
}

// errorField names the form field an error belongs to ("" for none).
func errorField(err error) string {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	_, field, _ := ssoconfig.Refusal(err)
	return field
}

// apiErrorFor builds the JSON error body for err.
func apiErrorFor(err error) apiError {
	e := apiError{Error: errorMessage(err), Code: errorCode(err), Field: errorField(err)}
	var me *saml.MetadataError
	if errors.As(err, &me) {
		e.Line, e.Column = me.Line, me.Column
	}
	return e
}
