package web

import (
	"sort"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// mappingRow is one IdP group -> workspace group mapping as the settings
// page and the API show it.
type mappingRow struct {
	IdPGroup       string `json:"idpGroup"`
	WorkspaceGroup string `json:"workspaceGroup"`
	// Source is "environment" (read-only, from TJ_SAML_GROUP_MAPPINGS__*)
	// or "ui" (editable here and through the API).
	Source string `json:"source"`
	// Overridden marks a UI row whose key the environment also sets: the
	// environment wins (docs/access-rules.md, group sync rule 2), so this row has no effect.
	Overridden bool `json:"overridden,omitempty"`
}

// Mapping sources.
const (
	sourceEnv = "environment"
	sourceUI  = "ui"
)

// mergeMappings lists the environment's rows first (sorted by IdP group),
// then the UI's, marking UI rows that the environment overrides (compared
// as group sync compares them, workspace.EnvOverrides). env is nil
// when the variable is unset or invalid.
func mergeMappings(env map[string]string, ui []store.GroupMapping) []mappingRow {
	rows := make([]mappingRow, 0, len(env)+len(ui))
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rows = append(rows, mappingRow{IdPGroup: k, WorkspaceGroup: env[k], Source: sourceEnv})
	}
	for _, m := range ui {
		rows = append(rows, mappingRow{IdPGroup: m.IdPGroup, WorkspaceGroup: m.WorkspaceGroup, Source: sourceUI,
			Overridden: workspace.EnvOverrides(env, m.IdPGroup)})
	}
	return rows
}

// effectiveTarget is where an IdP group value goes under the merged rows:
// the environment first, then the UI. ok is false when the value is
// unmapped. Keys compare like group sync compares them: Entra Object IDs
// (GUIDs) case-insensitively, everything else exactly.
func effectiveTarget(rows []mappingRow, value string) (target, source string, ok bool) {
	key := workspace.GroupKey(value)
	for _, r := range rows {
		if workspace.GroupKey(r.IdPGroup) == key && !r.Overridden {
			return r.WorkspaceGroup, r.Source, true
		}
	}
	return "", "", false
}

// sourceDirect marks a seen value that, with no mapping configured at all,
// matches a workspace group of the same name (docs/access-rules.md, group sync rule 2).
const sourceDirect = "same name"

// seenTarget is what group sync does with an IdP value seen at a login:
// with mappings, the mapped target (or nothing: unmapped values are
// ignored); without any, the role or custom group of the same name (role
// names in any case), or nothing when there is none.
func seenTarget(rows []mappingRow, customGroups []string, value string) (target, source string) {
	if activeRows(rows) > 0 {
		target, source, _ = effectiveTarget(rows, value)
		return target, source
	}
	if role, ok := workspace.ParseRole(value); ok {
		return role, sourceDirect
	}
	for _, g := range customGroups {
		if g == strings.TrimSpace(value) {
			return g, sourceDirect
		}
	}
	return "", ""
}

// activeRows counts the rows that take effect.
func activeRows(rows []mappingRow) int {
	n := 0
	for _, r := range rows {
		if !r.Overridden {
			n++
		}
	}
	return n
}

// mappingInput is one submitted row, before validation.
type mappingInput struct {
	IdPGroup       string `json:"idpGroup"`
	WorkspaceGroup string `json:"workspaceGroup"`
}

// cleanMappingRows trims the rows, drops fully empty ones (the blank row
// the form always offers) and refuses half-filled rows and duplicate keys,
// so a save never silently loses a row the admin typed.
func cleanMappingRows(in []mappingInput) ([]store.GroupMapping, error) {
	out := make([]store.GroupMapping, 0, len(in))
	seen := map[string]bool{}
	for i, r := range in {
		idp, ws := strings.TrimSpace(r.IdPGroup), strings.TrimSpace(r.WorkspaceGroup)
		switch {
		case idp == "" && ws == "":
			continue
		case idp == "" || ws == "":
			return nil, &fieldError{"mappings", "Group mappings: row " + itoa(i+1) + " needs both an IdP group and a workspace group."}
		case seen[idp]:
			return nil, &fieldError{"mappings", "Group mappings: the IdP group " + quote(idp) + " is mapped twice."}
		}
		seen[idp] = true
		out = append(out, store.GroupMapping{IdPGroup: idp, WorkspaceGroup: ws})
	}
	return out, nil
}
