package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("site list", "list a workspace's protected sites (--workspace SLUG)", runSiteList)
}

// runSiteList prints one "origin<TAB>id" line per site, by origin.
func runSiteList(env *Env) int {
	const cmd = "site list"
	return runOnWorkspace(env, cmd, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		sites, err := st.ListSites(ctx, ws.ID)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		for _, s := range sites {
			fmt.Fprintf(env.Stdout, "%s\t%s\n", s.Origin, s.ID)
		}
		return ExitOK
	})
}
