package web

import (
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// auditKindGroupSync is the audit kind prefix of group sync events (it
// matches workspace.KindGroupSync and workspace.KindGroupSyncSkipped).
const auditKindGroupSync = workspace.KindGroupSync

// auditKinds are the kind filters offered on the audit page: prefixes of
// the kinds workspace.Service writes.
var auditKinds = []string{"login", "logout", "config", "membership", "group", "groupsync", "token", "invite", "reset", "scim"}

// isOverageEvent reports whether a group sync event says the IdP omitted
// the groups (Entra overage, docs/saml.md, "Attributes").
func isOverageEvent(e store.AuditEvent) bool {
	return e.Kind == workspace.KindGroupSyncSkipped && e.Reason == workspace.ReasonGroupsOverage
}

// isValidationError reports whether the service refused a change by a rule
// (reserved name, last admin, automatic SSO, ...), as opposed to failing.
func isValidationError(err error) bool { return workspace.IsValidation(err) }
