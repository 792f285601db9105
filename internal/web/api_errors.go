package web

import (
	"encoding/json"
	"net/http"
)

// Stable codes of JSON API errors (docs/api.md lists them). Clients branch
// on the code; the error text is for humans and may change.
const (
	apiCodeUnauthorized     = "unauthorized" // no, malformed or unknown token
	apiCodeForbidden        = "forbidden"    // the token's creator is no longer an admin
	apiCodeNotFound         = "not_found"    // unknown workspace (or another workspace's)
	apiCodeMethodNotAllowed = "method_not_allowed"
	apiCodeBadRequest       = "bad_request"      // body is not the expected JSON
	apiCodeInvalidField     = "invalid_field"    // a field failed validation
	apiCodeInvalidMetadata  = "invalid_metadata" // the IdP metadata was refused
	apiCodeConflict         = "conflict"         // a uniqueness rule was violated
	apiCodeNotAllowed       = "not_allowed"      // a rule forbids the change (e.g. automatic SSO)
	apiCodeInternal         = "internal"         // our fault; details are in the server log
	apiCodeUnavailable      = "unavailable"      // the database is down; retry after Retry-After seconds
)

// apiError is the body of every JSON API error.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	// Field names the offending input field, when there is one.
	Field string `json:"field,omitempty"`
	// Line and Column locate a metadata parse error (1-based), when known.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// writeJSON writes v as the JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// Responses carry configuration; never let a shared cache keep them.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client hung up; nothing useful to do
}

// writeAPIError writes an error body with status.
func writeAPIError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, e)
}
