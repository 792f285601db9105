package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// MaxSCIMGroupMembers bounds the member values one request may name (a
// group's PUT or POST, or all operations of a PATCH together).
const MaxSCIMGroupMembers = 1000

// SCIMGroupChange is what a group request changes. Nil fields are kept.
type SCIMGroupChange struct {
	DisplayName *string
	ExternalID  *string
	Add, Remove []string // member user IDs
	// ReplaceMembers sets the members to exactly Members (PUT, or a PATCH
	// replace of members).
	ReplaceMembers bool
	Members        []string
}

// memberCount is how many member values the change names.
func (c *SCIMGroupChange) memberCount() int { return len(c.Add) + len(c.Remove) + len(c.Members) }

// checkGroupName validates a directory group's display name.
func checkGroupName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if err := validateLabel("displayName", "displayName", name, maxGroupNameLen); err != nil {
		return "", err
	}
	return name, nil
}

// SCIMCreateGroup stores a directory group with its first members and
// applies group sync to them. A taken displayName wraps store.ErrConflict.
func (s *Service) SCIMCreateGroup(ctx context.Context, ws *store.Workspace, req SCIMRequest, displayName, externalID string, members []string) (*store.SCIMGroup, error) {
	name, err := checkGroupName(displayName)
	if err != nil {
		return nil, err
	}
	if len(members) > MaxSCIMGroupMembers {
		return nil, invalid("members", "At most %d members per request.", MaxSCIMGroupMembers)
	}
	now := s.now()
	g := &store.SCIMGroup{ID: newID(), WorkspaceID: ws.ID, DisplayName: name, ExternalID: strings.TrimSpace(externalID), CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(q store.Queries) error {
		if err := s.lockMembers(ctx, q, ws.ID, members, nil); err != nil {
			return err
		}
		if err := q.CreateSCIMGroup(ctx, g); err != nil {
			return conflictf(err, "a group named %q already exists", name)
		}
		added, err := s.addSCIMMembers(ctx, q, g, members)
		if err != nil {
			return err
		}
		if err := s.syncSCIMUsers(ctx, q, ws, req, added); err != nil {
			return err
		}
		return s.auditSCIM(ctx, q, ws.ID, "", KindSCIMGroup, req, fmt.Sprintf("created group %q with %d members", name, len(added)),
			map[string]any{"group_id": g.ID, "display_name": name, "external_id": g.ExternalID, "members_added": nonNil(added)})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// SCIMChangeGroup applies a PUT or PATCH to a directory group in one
// transaction and re-runs group sync for every member it affects.
// Members are added and removed one row at a time (never by rewriting
// the list), so concurrent PATCHes of one group lose no member.
func (s *Service) SCIMChangeGroup(ctx context.Context, ws *store.Workspace, req SCIMRequest, groupID string, c SCIMGroupChange) (*store.SCIMGroup, error) {
	if c.memberCount() > MaxSCIMGroupMembers {
		return nil, invalid("members", "At most %d member values per request.", MaxSCIMGroupMembers)
	}
	var g *store.SCIMGroup
	err := s.retryConflicts(ctx, func(q store.Queries) error {
		var err error
		g, err = s.changeGroupTx(ctx, q, ws, req, groupID, c)
		return err
	})
	return g, err
}

// changeGroupTx is one attempt of SCIMChangeGroup.
func (s *Service) changeGroupTx(ctx context.Context, q store.Queries, ws *store.Workspace, req SCIMRequest, groupID string, c SCIMGroupChange) (*store.SCIMGroup, error) {
	g, err := q.GetSCIMGroup(ctx, ws.ID, groupID)
	if err != nil {
		return nil, err
	}
	before := *g
	renamed, err := applyGroupAttrs(g, c)
	if err != nil {
		return nil, err
	}
	if renamed {
		g.UpdatedAt = s.now()
		if err := q.UpdateSCIMGroup(ctx, g); err != nil {
			return nil, conflictf(err, "a group named %q already exists", g.DisplayName)
		}
	}
	if err := s.lockGroupChange(ctx, q, g, c, renamed); err != nil {
		return nil, err
	}
	added, removed, err := s.changeSCIMMembers(ctx, q, g, c)
	if err != nil {
		return nil, err
	}
	affected := append(slices.Clone(added), removed...)
	if renamed {
		// Mappings may name the group by display name or Object ID: every
		// member's sync result may change.
		all, err := q.ListSCIMGroupMembers(ctx, g.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range all {
			affected = append(affected, m.UserID)
		}
	}
	if err := s.syncSCIMUsers(ctx, q, ws, req, affected); err != nil {
		return nil, err
	}
	d := map[string]any{"group_id": g.ID, "display_name": g.DisplayName, "external_id": g.ExternalID,
		"members_added": nonNil(added), "members_removed": nonNil(removed)}
	if before.DisplayName != g.DisplayName {
		d["display_name_before"] = before.DisplayName
	}
	return g, s.auditSCIM(ctx, q, ws.ID, "", KindSCIMGroup, req,
		fmt.Sprintf("group %q: %d members added, %d removed", g.DisplayName, len(added), len(removed)), d)
}

// applyGroupAttrs sets the display name and external ID; renamed reports
// whether either changed.
func applyGroupAttrs(g *store.SCIMGroup, c SCIMGroupChange) (bool, error) {
	changed := false
	if c.DisplayName != nil {
		name, err := checkGroupName(*c.DisplayName)
		if err != nil {
			return false, err
		}
		changed = changed || name != g.DisplayName
		g.DisplayName = name
	}
	if c.ExternalID != nil {
		ext := strings.TrimSpace(*c.ExternalID)
		changed = changed || ext != g.ExternalID
		g.ExternalID = ext
	}
	return changed, nil
}

// changeSCIMMembers applies the member part of a change and returns the
// users actually added and removed.
func (s *Service) changeSCIMMembers(ctx context.Context, q store.Queries, g *store.SCIMGroup, c SCIMGroupChange) (added, removed []string, err error) {
	add, remove := c.Add, c.Remove
	if c.ReplaceMembers {
		cur, err := q.ListSCIMGroupMembers(ctx, g.ID)
		if err != nil {
			return nil, nil, err
		}
		want := toSet(c.Members)
		for _, m := range cur {
			if !want[m.UserID] {
				remove = append(remove, m.UserID)
			}
		}
		add = append(add, c.Members...)
	}
	if added, err = s.addSCIMMembers(ctx, q, g, add); err != nil {
		return nil, nil, err
	}
	for _, id := range dedupeStrings(remove) {
		ok, err := q.RemoveSCIMGroupMember(ctx, g.ID, id)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			removed = append(removed, id)
		}
	}
	return added, removed, nil
}

// addSCIMMembers adds members of the group's workspace; a value that is
// no member of it refuses the whole request (nothing is written).
func (s *Service) addSCIMMembers(ctx context.Context, q store.Queries, g *store.SCIMGroup, ids []string) ([]string, error) {
	var added []string
	for _, id := range dedupeStrings(ids) {
		ok, err := q.AddSCIMGroupMember(ctx, g, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, invalid("members", "Member %q is not a user of this workspace.", id)
		}
		if err != nil {
			return nil, err
		}
		if ok {
			added = append(added, id)
		}
	}
	return added, nil
}

// SCIMDeleteGroup deletes a directory group and re-runs group sync for
// its former members.
func (s *Service) SCIMDeleteGroup(ctx context.Context, ws *store.Workspace, req SCIMRequest, groupID string) error {
	return s.inTx(ctx, func(q store.Queries) error {
		g, err := q.GetSCIMGroup(ctx, ws.ID, groupID)
		if err != nil {
			return err
		}
		members, err := q.ListSCIMGroupMembers(ctx, g.ID)
		if err != nil {
			return err
		}
		if err := q.DeleteSCIMGroup(ctx, ws.ID, g.ID); err != nil {
			return err
		}
		ids := make([]string, 0, len(members))
		for _, m := range members {
			ids = append(ids, m.UserID)
		}
		if err := s.syncSCIMUsers(ctx, q, ws, req, ids); err != nil {
			return err
		}
		return s.auditSCIM(ctx, q, ws.ID, "", KindSCIMGroup, req, fmt.Sprintf("deleted group %q", g.DisplayName),
			map[string]any{"group_id": g.ID, "display_name": g.DisplayName, "members_removed": nonNil(ids)})
	})
}

// dedupeStrings drops empty and repeated values, keeping the order.
func dedupeStrings(in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// lockGroupChange locks, before any row that references them is written,
// the memberships a group change may touch: members to add (which must
// exist), to remove, and for a replace or rename the current ones.
func (s *Service) lockGroupChange(ctx context.Context, q store.Queries, g *store.SCIMGroup, c SCIMGroupChange, renamed bool) error {
	lenient := slices.Clone(c.Remove)
	if c.ReplaceMembers || renamed {
		cur, err := q.ListSCIMGroupMembers(ctx, g.ID)
		if err != nil {
			return err
		}
		for _, m := range cur {
			lenient = append(lenient, m.UserID)
		}
	}
	return s.lockMembers(ctx, q, g.WorkspaceID, append(slices.Clone(c.Add), c.Members...), lenient)
}

// lockMembers takes the row locks of the memberships of strict and
// lenient user IDs, in one sorted order. On PostgreSQL, inserting a
// group member row takes a key-share lock on the membership it
// references, which conflicts with the update lock sync takes later: two
// pushes of overlapping members that wrote their rows first and locked
// second deadlock (found by the concurrent test and the benchmark).
// Locking first, in a fixed order, makes them queue instead. A strict ID
// that is no member refuses the request; a lenient one (a member being
// removed, perhaps deleted meanwhile) is skipped.
func (s *Service) lockMembers(ctx context.Context, q store.Queries, workspaceID string, strict, lenient []string) error {
	must := toSet(dedupeStrings(strict))
	ids := dedupeStrings(append(slices.Clone(strict), lenient...))
	slices.Sort(ids)
	for _, id := range ids {
		_, err := q.LockMembership(ctx, workspaceID, id)
		switch {
		case errors.Is(err, store.ErrNotFound) && must[id]:
			return invalid("members", "Member %q is not a user of this workspace.", id)
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		}
	}
	return nil
}
