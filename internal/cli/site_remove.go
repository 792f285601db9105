package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/forwardauth"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("site remove", "stop listing a protected site (--workspace SLUG --url https://dash.example.com)", runSiteRemove)
}

// runSiteRemove removes the site with the given origin; return URLs to it
// are refused from then on (within the forward-auth cache lifetime on
// running servers).
func runSiteRemove(env *Env) int {
	const cmd = "site remove"
	slug, rawURL, err := parseSiteFlags(env, cmd, "the site's origin as listed (required)")
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	origin, err := forwardauth.NormalizeSite(rawURL)
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		sites, err := st.ListSites(ctx, ws.ID)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		for _, s := range sites {
			if s.Origin == origin {
				if err := (forwardauth.Sites{Store: st}).Remove(ctx, "", ws.ID, s.ID); err != nil {
					return exitRefused(env, cmd, err)
				}
				fmt.Fprintf(env.Stdout, "removed protected site %s from workspace %s\n", origin, ws.Slug)
				return ExitOK
			}
		}
		return exitRefused(env, cmd, fmt.Errorf("%s is not a protected site of workspace %s", origin, ws.Slug))
	})
}
