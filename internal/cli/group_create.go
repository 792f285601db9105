package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("group create", "create a custom group in a workspace (--workspace SLUG --name NAME [--can-edit])", runGroupCreate)
}

// runGroupCreate creates a custom group through workspace.Service, which
// refuses the reserved role names (admin, builder, end-user, any case).
func runGroupCreate(env *Env) int {
	const cmd = "group create"
	var slug, name string
	var canEdit bool
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	fs.StringVar(&name, "name", "", "group name, exact (required)")
	fs.BoolVar(&canEdit, "can-edit", false, "members may edit apps: group sync gives them the builder role")
	if err := parseCmdFlags(fs, env, "workspace", "name"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, func(ctx context.Context, st store.Store, svc *workspace.Service, ws *store.Workspace) int {
		g, err := svc.CreateGroup(ctx, "", ws.ID, name, canEdit)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "created group %q in workspace %s (id %s, can edit apps: %v)\n", g.Name, ws.Slug, g.ID, g.CanEditApps)
		return ExitOK
	})
}
