package workspace

import (
	"context"
	"encoding/json"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Audit event kinds written by the service. The web layer filters by
// prefix ("login", "config", "membership", "group", "groupsync", "token").
const (
	KindLoginSuccess     = "login.success"
	KindLoginFailure     = "login.failure"
	KindLogout           = "logout"
	KindSetup            = "setup"
	KindWorkspaceCreate  = "config.workspace"
	KindLoginSettings    = "config.login"
	KindSAMLConfig       = "config.saml"
	KindGroupMappings    = "config.mappings"
	KindUserCreate       = "membership.user_create"
	KindUserArchive      = "membership.user_archive"
	KindUserUnarchive    = "membership.user_unarchive"
	KindUserSuperAdmin   = "membership.super_admin"
	KindMembershipCreate = "membership.create"
	KindMembershipStatus = "membership.status"
	KindMembershipRole   = "membership.role"
	KindGroupCreate      = "group.create"
	KindGroupUpdate      = "group.update"
	KindGroupDelete      = "group.delete"
	KindGroupMemberAdd   = "group.member_add"
	KindGroupMemberDel   = "group.member_remove"
	KindGroupSync        = "groupsync"
	KindGroupSyncSkipped = "groupsync.skipped"
	KindTokenCreate      = "token.create"
	KindTokenDelete      = "token.delete"
	KindInviteCreate     = "invite.create"
	KindInviteResend     = "invite.resend"
	KindInviteRevoke     = "invite.revoke"
	KindInviteAccept     = "invite.accept"
	KindResetCreate      = "reset.create"
	KindResetUse         = "reset.use"
)

// Reasons of skipped group sync (KindGroupSyncSkipped). The web layer's
// overage banner looks for "overage".
const (
	ReasonGroupsOverage   = "groups_overage"
	ReasonMappingsInvalid = "mappings_invalid"
)

// details marshals an event's details; a value that cannot be marshalled
// (never expected: only maps of strings, bools, numbers and lists) is
// recorded as an error note rather than losing the event.
func details(d map[string]any) []byte {
	if len(d) == 0 {
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return []byte(`{"details_error":"unserializable"}`)
	}
	return b
}

// audit appends e with the service clock, inside q's transaction (or,
// with s.Store, on its own).
func (s *Service) audit(ctx context.Context, q store.Queries, e store.AuditEvent, d map[string]any) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.now()
	}
	if e.Details == nil {
		e.Details = details(d)
	}
	e.Message, e.RedactedResponse = capEvent(e.Message, e.RedactedResponse)
	return q.AppendAudit(ctx, &e)
}
