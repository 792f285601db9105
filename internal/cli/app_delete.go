package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("app delete", "delete an OpenID Connect application and its tokens (--workspace S --client-id ID)", runAppDelete)
}

// runAppDelete deletes an application; its refresh tokens stop working.
func runAppDelete(env *Env) int {
	const cmd = "app delete"
	var slug, id string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	fs.StringVar(&id, "client-id", "", "the application's client_id (required)")
	if err := parseCmdFlags(fs, env, "workspace", "client-id"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		if err := (&oidc.Apps{Store: st}).Delete(ctx, "", ws.ID, id); err != nil {
			if oidc.IsNotFound(err) {
				return exitUsage(env, cmd, fmt.Errorf("workspace %s has no application %q", ws.Slug, id))
			}
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "deleted application %s from workspace %s\n", id, ws.Slug)
		return ExitOK
	})
}
