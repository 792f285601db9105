package web

import (
	"errors"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// auditKindGroupSync is the audit kind prefix of group sync events
// written by workspace.Service.
const auditKindGroupSync = "groupsync"

// auditKinds are the kind filters offered on the audit page (prefixes).
var auditKinds = []string{"login", "config", "membership", "group", "groupsync", "token"}

// isOverageEvent reports whether a group sync event says the IdP omitted
// the groups (Entra overage, SPEC §5).
func isOverageEvent(e store.AuditEvent) bool {
	return strings.Contains(e.Kind, "overage") || strings.Contains(e.Reason, "overage")
}

// isValidationError reports whether the service refused a change by a rule
// (reserved name, last admin, automatic SSO, ...), as opposed to failing.
func isValidationError(err error) bool { return workspace.IsValidation(err) }

// validationMessage is the service's message for a refused change, which
// is safe to show to the admin who made it.
func validationMessage(err error) string {
	var ve *workspace.ValidationError
	if errors.As(err, &ve) {
		return ve.Message
	}
	return err.Error()
}

// validationField is the input a refused change names ("" for none).
func validationField(err error) string {
	var ve *workspace.ValidationError
	if errors.As(err, &ve) {
		return ve.Field
	}
	return ""
}
