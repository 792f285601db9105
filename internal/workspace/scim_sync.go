package workspace

import (
	"context"
	"slices"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// syncSCIMUsers applies group sync (docs/access-rules.md) to each member
// whose directory groups changed, in a fixed order (so two transactions
// never lock the same members in opposite orders), with the mapping read
// once. The IdP values of a member are the display names of their
// directory groups and, when a mapping exists, their external IDs (Entra
// Object IDs) too, so a mapping row may name a group either way.
func (s *Service) syncSCIMUsers(ctx context.Context, q store.Queries, ws *store.Workspace, req SCIMRequest, userIDs []string) error {
	ids := dedupeStrings(userIDs)
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	env, envErr := s.envMappings(ws.Slug)
	var mapping map[string]string
	if envErr == nil { // an invalid variable is reported per member below
		var err error
		if mapping, err = syncMapping(ctx, q, ws.ID, env); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if err := s.syncSCIMUser(ctx, q, ws, req, id, mapping, envErr); err != nil {
			return err
		}
	}
	return nil
}

// syncSCIMUser re-runs group sync for one member. The membership row is
// locked first, so that the member's directory groups read next include
// every concurrent push that committed before (PostgreSQL reads committed
// rows per statement).
func (s *Service) syncSCIMUser(ctx context.Context, q store.Queries, ws *store.Workspace, req SCIMRequest, userID string, mapping map[string]string, envErr error) error {
	m, err := q.LockMembership(ctx, ws.ID, userID)
	if err != nil {
		return err
	}
	groups, err := q.SCIMUserGroups(ctx, ws.ID, userID)
	if err != nil {
		return err
	}
	values := scimGroupValues(groups, len(mapping) > 0)
	if envErr != nil {
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: ws.ID, UserID: userID, Kind: KindGroupSyncSkipped, TraceID: req.TraceID,
			Reason: ReasonMappingsInvalid, Message: "Group sync skipped: " + envErr.Error()},
			map[string]any{"idp_groups": values, "source": "scim"})
	}
	res, err := s.runSync(ctx, q, ws.ID, userID, m, values, mapping)
	if err != nil {
		return err
	}
	if res.RoleChanged {
		m.UpdatedAt = s.now()
		if err := q.UpdateMembership(ctx, m); err != nil {
			return err
		}
	}
	if !res.RoleChanged && len(res.Added) == 0 && len(res.Removed) == 0 && !res.DemotionSkipped {
		return nil
	}
	d := map[string]any{"role_before": res.PreviousRole, "role_after": res.Role, "groups_added": nonNil(res.Added),
		"groups_removed": nonNil(res.Removed), "groups": res.Groups, "idp_groups": values,
		"unknown_targets": nonNil(res.UnknownTargets), "unmapped": nonNil(res.Unmapped), "matched": res.Matched,
		"source": "scim", "verb": req.Verb, "resource": req.Resource}
	if res.DemotionSkipped {
		d["demotion_skipped"], d["skipped_role"] = true, res.SkippedRole
	}
	return s.audit(ctx, q, store.AuditEvent{WorkspaceID: ws.ID, UserID: userID, Kind: KindGroupSync, TraceID: req.TraceID,
		Message: syncMessage(res.PreviousRole, res) + " (SCIM " + req.Verb + " " + req.Resource + ")"}, d)
}

// scimGroupValues are the IdP group values of a member's directory groups.
func scimGroupValues(groups []store.SCIMGroup, withExternalIDs bool) []string {
	out := make([]string, 0, 2*len(groups))
	for _, g := range groups {
		out = append(out, g.DisplayName)
		if withExternalIDs && g.ExternalID != "" {
			out = append(out, g.ExternalID)
		}
	}
	return out
}
