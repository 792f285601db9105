package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// syncOnLogin, when the config has group sync on, applies group sync (docs/access-rules.md) to
// membership m (whose role the caller then writes) and the user's custom
// groups, with its audit event, inside q's transaction. It returns nil
// when sync did not run. The IdP values seen are recorded after the
// commit, outside the transaction (recordSeenGroups).
func (s *Service) syncOnLogin(ctx context.Context, q store.Queries, in SAMLLogin, u *store.User, m *store.Membership) (*SyncResult, error) {
	ws := in.Workspace
	if !in.Config.GroupSync {
		return nil, nil
	}
	if on, err := s.scimAuthoritative(ctx, q, ws.ID); err != nil || on {
		return nil, firstError(err, s.auditSyncSkipped(ctx, q, in, u, ReasonSCIMAuthoritative,
			"Group sync from the SAML groups claim skipped: SCIM provisioning manages this workspace's groups, so a sign-in cannot undo what the directory pushed."))
	}
	if in.Identity.GroupsOverage {
		return nil, s.auditSyncSkipped(ctx, q, in, u, ReasonGroupsOverage,
			"Group sync skipped: the IdP omitted the groups (Entra group overage: the user is in too many groups). "+
				"In Entra, assign the groups to the application (or filter the groups claim) so that the groups are sent.")
	}
	env, envErr := s.envMappings(ws.Slug)
	if envErr != nil {
		return nil, s.auditSyncSkipped(ctx, q, in, u, ReasonMappingsInvalid,
			"Group sync skipped: "+envErr.Error())
	}
	mapping, err := syncMapping(ctx, q, ws.ID, env)
	if err != nil {
		return nil, err
	}
	res, err := s.runSync(ctx, q, ws.ID, u.ID, m, in.Identity.Groups, mapping)
	if err != nil {
		return nil, err
	}
	return res, s.auditSync(ctx, q, in, u, res)
}

// runSync loads the sync inputs, decides, and writes the custom groups;
// the role is set on m for the caller to write. A demotion from admin
// revokes the API tokens the member created (they act with their
// creator's admin rights), whichever sync (SAML or SCIM) demoted.
func (s *Service) runSync(ctx context.Context, q store.Queries, workspaceID, userID string, m *store.Membership, idpGroups []string, mapping map[string]string) (*SyncResult, error) {
	all, err := q.ListGroups(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	current, err := q.MemberGroups(ctx, workspaceID, userID)
	if err != nil {
		return nil, err
	}
	byName, canEdit := map[string]string{}, map[string]bool{}
	for _, g := range all {
		byName[g.Name], canEdit[g.Name] = g.ID, g.CanEditApps
	}
	in := SyncInput{CurrentRole: m.Role, CurrentGroups: groupNames(current), IdPGroups: idpGroups,
		Mapping: mapping, WorkspaceGroups: canEdit}
	res := SyncGroups(in)
	if res.Role != "" && res.Role != RoleAdmin {
		// Only a demotion needs the last-admin count (and its lock, which
		// would otherwise serialize every admin's login).
		if in.LastActiveAdmin, err = s.isLastActiveAdmin(ctx, q, m); err != nil {
			return nil, err
		}
		if in.LastActiveAdmin {
			res = SyncGroups(in)
		}
	}
	if res.Role != "" {
		m.Role = res.Role
	}
	if in.CurrentRole == RoleAdmin && m.Role != RoleAdmin {
		if _, err := s.revokeAdminTokens(ctx, q, workspaceID, userID); err != nil {
			return nil, err
		}
	}
	if len(res.Added) > 0 || len(res.Removed) > 0 {
		ids := make([]string, 0, len(res.Groups))
		for _, n := range res.Groups {
			ids = append(ids, byName[n])
		}
		if err := q.SetMemberGroups(ctx, workspaceID, userID, ids); err != nil {
			return nil, err
		}
	}
	return &res, nil
}

// isLastActiveAdmin reports whether m is the workspace's only active admin.
func (s *Service) isLastActiveAdmin(ctx context.Context, q store.Queries, m *store.Membership) (bool, error) {
	if m.Role != RoleAdmin || m.Status != store.StatusActive {
		return false, nil
	}
	// Serialized with admin changes: otherwise a demotion on the admin
	// page and this login's demotion could both count the other admin.
	if err := q.LockWorkspaceAdmins(ctx, m.WorkspaceID); err != nil {
		return false, err
	}
	n, err := q.CountActiveAdmins(ctx, m.WorkspaceID)
	return n <= 1, err
}

// syncMapping is the mapping group sync uses: the valid environment
// mapping env and the UI rows, the environment winning per key
// (docs/access-rules.md, group sync rule 2). A nil map means no mapping:
// IdP values match workspace groups directly.
func syncMapping(ctx context.Context, q store.Queries, workspaceID string, env map[string]string) (map[string]string, error) {
	ui, err := q.ListGroupMappings(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	if len(env) == 0 && len(ui) == 0 {
		return nil, nil
	}
	merged := make(map[string]string, len(env)+len(ui))
	kept, _ := splitOverridden(env, ui)
	for _, r := range kept {
		merged[r.IdPGroup] = r.WorkspaceGroup
	}
	for k, v := range env {
		merged[k] = v
	}
	return merged, nil
}

// envMappings asks the configured source; nil source = no mapping.
func (s *Service) envMappings(slug string) (map[string]string, error) {
	if s.EnvMappings == nil {
		return nil, nil
	}
	env, err := s.EnvMappings(slug)
	if err == nil {
		err = CheckEnvMappings(env)
	}
	if err != nil {
		return nil, err
	}
	return env, nil
}

// CheckEnvMappings refuses an environment mapping with two keys that sync
// would treat as one (the same GUID in different case), as a repeated key
// is refused: otherwise which of them applies would depend on map order.
// The admin page runs the same check, so it shows the error sync obeys.
func CheckEnvMappings(env map[string]string) error {
	seen := make(map[string]string, len(env))
	for k := range env {
		if prev, dup := seen[GroupKey(k)]; dup {
			return fmt.Errorf("IdP groups %q and %q are the same group (Object IDs compare in any case)", min(prev, k), max(prev, k))
		}
		seen[GroupKey(k)] = k
	}
	return nil
}

// auditSync writes the groupsync event (docs/access-rules.md, "Audit event groupsync"): role before/after,
// groups added/removed, the IdP values, unknown targets, skipped demotion.
// It is written on every sync, also without changes, so the admin page can
// tell that sync ran (and an overage banner can clear).
func (s *Service) auditSync(ctx context.Context, q store.Queries, in SAMLLogin, u *store.User, res *SyncResult) error {
	before := res.PreviousRole
	d := map[string]any{"role_before": before, "role_after": res.Role, "groups_added": nonNil(res.Added),
		"groups_removed": nonNil(res.Removed), "groups": res.Groups, "idp_groups": cleanValues(in.Identity.Groups),
		"unknown_targets": nonNil(res.UnknownTargets), "unmapped": nonNil(res.Unmapped), "matched": res.Matched}
	if res.DemotionSkipped {
		d["demotion_skipped"], d["skipped_role"] = true, res.SkippedRole
	}
	return s.audit(ctx, q, store.AuditEvent{WorkspaceID: in.Workspace.ID, UserID: u.ID, Kind: KindGroupSync, TraceID: in.TraceID,
		Message: syncMessage(before, res)}, d)
}

// syncMessage is the one-line summary of a sync.
func syncMessage(before string, res *SyncResult) string {
	parts := []string{}
	if res.RoleChanged {
		parts = append(parts, fmt.Sprintf("role %s -> %s", before, res.Role))
	}
	if len(res.Added) > 0 {
		parts = append(parts, "added to "+strings.Join(res.Added, ", "))
	}
	if len(res.Removed) > 0 {
		parts = append(parts, "removed from "+strings.Join(res.Removed, ", "))
	}
	if res.DemotionSkipped {
		parts = append(parts, fmt.Sprintf("demotion to %s skipped: last active admin", res.SkippedRole))
	}
	if len(res.UnknownTargets) > 0 {
		parts = append(parts, "ignored unknown groups "+strings.Join(res.UnknownTargets, ", "))
	}
	if len(parts) == 0 {
		return "group sync: no change"
	}
	return "group sync: " + strings.Join(parts, "; ")
}

// auditSyncSkipped records why sync did not run.
func (s *Service) auditSyncSkipped(ctx context.Context, q store.Queries, in SAMLLogin, u *store.User, reason, message string) error {
	return s.audit(ctx, q, store.AuditEvent{WorkspaceID: in.Workspace.ID, UserID: u.ID, Kind: KindGroupSyncSkipped, TraceID: in.TraceID,
		Reason: reason, Message: message}, map[string]any{"idp_groups": cleanValues(in.Identity.Groups)})
}

// groupNames lists the names of groups.
func groupNames(gs []store.Group) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

// nonNil makes an absent list serialize as [] in audit details.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
