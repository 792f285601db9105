package web

import (
	"context"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// mappingWarningJSON is one warning in the group-mappings API answer (and
// the data of the page's warning list).
type mappingWarningJSON struct {
	IdPGroup       string `json:"idpGroup"`
	WorkspaceGroup string `json:"workspaceGroup"`
	Source         string `json:"source"`
	Suggestion     string `json:"suggestion,omitempty"`
	Message        string `json:"message"`
}

// mappingWarnings lists the effective rows (environment and UI, not
// overridden) whose target group sync would ignore, with the closest
// existing name.
func (s *Server) mappingWarnings(ctx context.Context, ws *store.Workspace, rows []mappingRow) ([]mappingWarningJSON, error) {
	groups, err := s.store.ListGroups(ctx, ws.ID)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, g.Name)
	}
	var pairs [][2]string
	var sources []string
	for _, r := range rows {
		if !r.Overridden {
			pairs = append(pairs, [2]string{r.IdPGroup, r.WorkspaceGroup})
			sources = append(sources, r.Source)
		}
	}
	out := []mappingWarningJSON{}
	for _, w := range workspace.UnknownTargets(pairs, names) {
		src := sourceUI
		for i, p := range pairs {
			if p[0] == w.IdPGroup && p[1] == w.Target {
				src = sources[i]
				break
			}
		}
		out = append(out, mappingWarningJSON{IdPGroup: w.IdPGroup, WorkspaceGroup: w.Target, Source: src,
			Suggestion: w.Suggestion, Message: w.Message()})
	}
	return out, nil
}
