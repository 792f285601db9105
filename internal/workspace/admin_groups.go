package workspace

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// CreateGroup creates a custom group. Role names are refused (any case);
// a taken name is an error wrapping store.ErrConflict.
func (s *Service) CreateGroup(ctx context.Context, actorID, workspaceID, name string, canEdit bool) (*store.Group, error) {
	if err := ValidateGroupName(name); err != nil {
		return nil, err
	}
	g := &store.Group{ID: newID(), WorkspaceID: workspaceID, Name: name, CanEditApps: canEdit, CreatedAt: s.now()}
	err := s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
			return err
		}
		if err := q.CreateGroup(ctx, g); err != nil {
			return conflictf(err, "a group named %q already exists", name)
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindGroupCreate,
			Message: "group " + name + " created"}, map[string]any{"group_id": g.ID, "name": name, "can_edit_apps": canEdit})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// UpdateGroup renames a custom group and sets its edit permission.
func (s *Service) UpdateGroup(ctx context.Context, actorID, workspaceID, groupID, name string, canEdit bool) error {
	if err := ValidateGroupName(name); err != nil {
		return err
	}
	return s.inTx(ctx, func(q store.Queries) error {
		g, err := s.workspaceGroup(ctx, q, workspaceID, groupID)
		if err != nil {
			return err
		}
		before := *g
		g.Name, g.CanEditApps = name, canEdit
		if err := q.UpdateGroup(ctx, g); err != nil {
			return conflictf(err, "a group named %q already exists", name)
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindGroupUpdate,
			Message: "group " + before.Name + " updated"}, map[string]any{"group_id": g.ID, "name_before": before.Name,
			"name": name, "can_edit_apps_before": before.CanEditApps, "can_edit_apps": canEdit})
	})
}

// DeleteGroup deletes a custom group (its memberships go with it).
func (s *Service) DeleteGroup(ctx context.Context, actorID, workspaceID, groupID string) error {
	return s.inTx(ctx, func(q store.Queries) error {
		g, err := s.workspaceGroup(ctx, q, workspaceID, groupID)
		if err != nil {
			return err
		}
		if err := q.DeleteGroup(ctx, g.ID); err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindGroupDelete,
			Message: "group " + g.Name + " deleted"}, map[string]any{"group_id": g.ID, "name": g.Name})
	})
}

// AddGroupMember puts a member of the workspace into one of its groups.
func (s *Service) AddGroupMember(ctx context.Context, actorID, workspaceID, groupID, userID string) error {
	return s.groupMember(ctx, actorID, workspaceID, groupID, userID, true)
}

// RemoveGroupMember takes a member out of one of the workspace's groups.
func (s *Service) RemoveGroupMember(ctx context.Context, actorID, workspaceID, groupID, userID string) error {
	return s.groupMember(ctx, actorID, workspaceID, groupID, userID, false)
}

// groupMember adds or removes, after checking that both the group and the
// membership belong to workspaceID.
func (s *Service) groupMember(ctx context.Context, actorID, workspaceID, groupID, userID string, add bool) error {
	return s.inTx(ctx, func(q store.Queries) error {
		g, err := s.workspaceGroup(ctx, q, workspaceID, groupID)
		if err != nil {
			return err
		}
		if _, err := q.GetMembership(ctx, workspaceID, userID); err != nil {
			return err
		}
		kind, verb := KindGroupMemberAdd, "added to "
		if add {
			err = q.AddGroupMember(ctx, g.ID, userID)
		} else {
			kind, verb = KindGroupMemberDel, "removed from "
			err = q.RemoveGroupMember(ctx, g.ID, userID)
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, UserID: userID, ActorID: actorID, Kind: kind,
			Message: verb + g.Name}, map[string]any{"group_id": g.ID, "group": g.Name})
	})
}

// workspaceGroup loads a group and checks it belongs to workspaceID.
func (s *Service) workspaceGroup(ctx context.Context, q store.Queries, workspaceID, groupID string) (*store.Group, error) {
	g, err := q.GetGroup(ctx, groupID)
	if err != nil {
		return nil, err
	}
	return g, inWorkspace(g.WorkspaceID, workspaceID, "group")
}
