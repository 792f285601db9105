package workspace

import (
	"context"
	"sort"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Mapping row sources.
const (
	SourceEnv = "env"
	SourceUI  = "ui"
)

// Mappings are a workspace's effective group mappings (docs/access-rules.md, group sync rule 2).
type Mappings struct {
	// Rows in effect: the environment's first (sorted by IdP group), then
	// the UI's that the environment does not override.
	Rows []MappingRow
	// Overridden are UI rows whose key the environment also sets (no effect).
	Overridden []store.GroupMapping
	// EnvError is set when TJ_SAML_GROUP_MAPPINGS__{slug} is invalid;
	// group sync is then off for the workspace and Rows hold only the UI's.
	EnvError error
}

// MappingRow is one effective mapping.
type MappingRow struct {
	IdPGroup       string
	WorkspaceGroup string
	Source         string // SourceEnv or SourceUI
}

// EffectiveMappings merges the environment's and the UI's mappings.
func (s *Service) EffectiveMappings(ctx context.Context, ws *store.Workspace) (*Mappings, error) {
	ui, err := s.Store.ListGroupMappings(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	env, envErr := s.envMappings(ws.Slug)
	out := &Mappings{EnvError: envErr}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Rows = append(out.Rows, MappingRow{IdPGroup: k, WorkspaceGroup: env[k], Source: SourceEnv})
	}
	kept, overridden := splitOverridden(env, ui)
	out.Overridden = overridden
	for _, r := range kept {
		out.Rows = append(out.Rows, MappingRow{IdPGroup: r.IdPGroup, WorkspaceGroup: r.WorkspaceGroup, Source: SourceUI})
	}
	return out, nil
}

// splitOverridden separates the UI rows the environment overrides from
// those in effect (EnvOverrides). Both the admin page (EffectiveMappings)
// and sync (syncMapping) use it.
func splitOverridden(env map[string]string, ui []store.GroupMapping) (kept, overridden []store.GroupMapping) {
	for _, r := range ui {
		if EnvOverrides(env, r.IdPGroup) {
			overridden = append(overridden, r)
			continue
		}
		kept = append(kept, r)
	}
	return kept, overridden
}

// EnvOverrides reports whether the environment's mapping sets the key
// idpGroup, so that a UI row for it has no effect (docs/access-rules.md, group sync rule 2). Keys
// compare by GroupKey, as group sync compares IdP values: the same GUID
// in another case is the same key, otherwise both rows would be in effect
// and sync would pick one by map order.
func EnvOverrides(env map[string]string, idpGroup string) bool {
	key := GroupKey(idpGroup)
	for k := range env {
		if GroupKey(k) == key {
			return true
		}
	}
	return false
}

// ReplaceGroupMappings replaces the UI-edited mappings of a workspace.
// Rows are trimmed; empty sides and duplicate IdP groups are refused, so
// a save never silently loses a row. Targets may name a group that does
// not exist yet (sync ignores and reports it), and role names are stored
// in their canonical case.
func (s *Service) ReplaceGroupMappings(ctx context.Context, actorID, workspaceID string, rows []store.GroupMapping) error {
	clean, err := cleanMappings(rows)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(q store.Queries) error {
		if _, err := q.GetWorkspace(ctx, workspaceID); err != nil {
			return err
		}
		if err := q.ReplaceGroupMappings(ctx, workspaceID, clean); err != nil {
			return err
		}
		d := make(map[string]any, len(clean))
		for _, r := range clean {
			d[r.IdPGroup] = r.WorkspaceGroup
		}
		return s.audit(ctx, q, store.AuditEvent{WorkspaceID: workspaceID, ActorID: actorID, Kind: KindGroupMappings,
			Message: "group mappings saved"}, map[string]any{"mappings": d, "count": len(clean)})
	})
}

// cleanMappings validates and normalizes mapping rows.
func cleanMappings(rows []store.GroupMapping) ([]store.GroupMapping, error) {
	out := make([]store.GroupMapping, 0, len(rows))
	seen := map[string]bool{}
	for i, r := range rows {
		idp, target := strings.TrimSpace(r.IdPGroup), strings.TrimSpace(r.WorkspaceGroup)
		if idp == "" || target == "" {
			return nil, invalid("mappings", "Group mappings: row %d needs both an IdP group and a workspace group.", i+1)
		}
		if seen[GroupKey(idp)] {
			return nil, invalid("mappings", "Group mappings: IdP group %q appears twice.", idp)
		}
		seen[GroupKey(idp)] = true
		if role, ok := ParseRole(target); ok {
			target = role
		}
		out = append(out, store.GroupMapping{IdPGroup: idp, WorkspaceGroup: target})
	}
	return out, nil
}
