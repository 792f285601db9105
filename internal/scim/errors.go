package scim

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// SchemaError is the URN of SCIM error bodies (RFC 7644 §3.12).
const SchemaError = "urn:ietf:params:scim:api:messages:2.0:Error"

// scimType values of RFC 7644 §3.12 that Gatehouse uses.
const (
	typeInvalidFilter = "invalidFilter"
	typeTooMany       = "tooMany"
	typeUniqueness    = "uniqueness"
	typeMutability    = "mutability"
	typeInvalidSyntax = "invalidSyntax"
	typeInvalidPath   = "invalidPath"
	typeNoTarget      = "noTarget"
	typeInvalidValue  = "invalidValue"
)

// Error is a SCIM error: an HTTP status, an optional scimType and a
// detail safe to show to the directory's administrator.
type Error struct {
	Status   int
	SCIMType string
	Detail   string
}

// Error is the detail, for logs.
func (e *Error) Error() string { return e.Detail }

// errorBody is the JSON of an Error.
type errorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	SCIMType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

// badRequest is a 400 with a scimType.
func badRequest(scimType, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, SCIMType: scimType, Detail: fmt.Sprintf(format, args...)}
}

// notFound is the 404 of an unknown (or another workspace's) resource.
func notFound(what, id string) *Error {
	return &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf("%s %q not found", what, id)}
}

// fromService turns a service error into a SCIM error; ok is false for
// failures that are ours (a 500 without details).
func fromService(err error, what, id string) (*Error, bool) {
	var se *Error
	var ve *workspace.ValidationError
	switch {
	case errors.As(err, &se):
		return se, true
	case errors.Is(err, store.ErrConflict):
		return &Error{Status: http.StatusConflict, SCIMType: typeUniqueness, Detail: conflictDetail(err)}, true
	case errors.As(err, &ve):
		return badRequest(typeInvalidValue, "%s", ve.Message), true
	case errors.Is(err, store.ErrNotFound):
		return notFound(what, id), true
	}
	return nil, false
}

// conflictDetail is the service's message without the store's suffix.
func conflictDetail(err error) string {
	msg := err.Error()
	if i := len(msg) - len(": "+store.ErrConflict.Error()); i > 0 && msg[i:] == ": "+store.ErrConflict.Error() {
		return msg[:i]
	}
	return "a resource with these unique attributes already exists"
}

// body is the JSON form of e.
func (e *Error) body() errorBody {
	return errorBody{Schemas: []string{SchemaError}, Status: strconv.Itoa(e.Status), SCIMType: e.SCIMType, Detail: e.Detail}
}
