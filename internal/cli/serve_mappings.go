package cli

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// logMappingWarnings says at start-up what would otherwise fail silently
// (docs/access-rules.md): a TJ_SAML_GROUP_MAPPINGS__* variable that matches
// no workspace (with the variable each workspace expects), and a valid
// variable whose targets name no role or group of its workspace. A
// database error only skips the check; serving goes on.
func logMappingWarnings(ctx context.Context, st store.Store, m *config.GroupMappings, log *slog.Logger) {
	wss, err := st.ListWorkspaces(ctx)
	if err != nil {
		log.Warn("group mappings: could not list workspaces to check the variables", "err", err)
		return
	}
	slugs := make([]string, 0, len(wss))
	expected := make([]string, 0, len(wss))
	for _, ws := range wss {
		slugs = append(slugs, ws.Slug)
		expected = append(expected, config.GroupMappingsVar(ws.Slug)+" ("+ws.Name+")")
	}
	for _, name := range m.Unmatched(slugs) {
		log.Warn("group mappings: variable matches no workspace and is ignored",
			"variable", name, "expected", strings.Join(expected, ", "))
	}
	for _, ws := range wss {
		env, err := m.Lookup(ws.Slug)
		if err != nil || len(env) == 0 {
			continue // invalid ones are reported by Problems
		}
		groups, err := st.ListGroups(ctx, ws.ID)
		if err != nil {
			log.Warn("group mappings: could not list groups", "workspace", ws.Slug, "err", err)
			continue
		}
		names := make([]string, 0, len(groups))
		for _, g := range groups {
			names = append(names, g.Name)
		}
		keys := make([]string, 0, len(env))
		for k := range env {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		pairs := make([][2]string, 0, len(keys))
		for _, k := range keys {
			pairs = append(pairs, [2]string{k, env[k]})
		}
		for _, w := range workspace.UnknownTargets(pairs, names) {
			log.Warn("group mappings: unknown target", "variable", config.GroupMappingsVar(ws.Slug), "problem", w.Message())
		}
	}
}
