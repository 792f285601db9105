package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("site add", "list a protected site of a workspace for forward auth (--workspace SLUG --url https://dash.example.com)", runSiteAdd)
}

// runSiteAdd lists a site's origin as one the workspace's return URLs may
// point to (docs/forward-auth.md).
func runSiteAdd(env *Env) int {
	const cmd = "site add"
	slug, rawURL, err := parseSiteFlags(env, cmd, "the site's origin, e.g. https://dash.example.com (required)")
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		site, err := forwardauth.Sites{Store: st}.Add(ctx, "", ws.ID, rawURL)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "added protected site %s to workspace %s (id %s)\n", site.Origin, ws.Slug, site.ID)
		return ExitOK
	})
}
