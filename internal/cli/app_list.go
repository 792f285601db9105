package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("app list", "list a workspace's OpenID Connect applications (--workspace S)", runAppList)
}

// runAppList prints one line per application (never a secret).
func runAppList(env *Env) int {
	const cmd = "app list"
	return runOnWorkspace(env, cmd, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		apps, err := (&oidc.Apps{Store: st}).List(ctx, ws.ID)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CLIENT_ID\tNAME\tTYPE\tREDIRECT_URIS\tACCESS")
		for _, a := range apps {
			kind := "confidential"
			if a.Public {
				kind = "public"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, kind, strings.Join(a.RedirectURIs, " "), accessText(a))
		}
		tw.Flush()
		return ExitOK
	})
}

// accessText describes an application's access rule.
func accessText(a store.OIDCClient) string {
	var parts []string
	if len(a.AllowedGroups) > 0 {
		parts = append(parts, "groups="+strings.Join(a.AllowedGroups, ","))
	}
	if a.MinRole != "" {
		parts = append(parts, "min-role="+a.MinRole)
	}
	if len(parts) == 0 {
		return "all members"
	}
	return strings.Join(parts, " ")
}
