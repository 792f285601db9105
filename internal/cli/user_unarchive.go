package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("user unarchive", "unarchive a user in a workspace, or instance-wide without --workspace (--email E [--workspace SLUG])", runUserUnarchive)
}

// runUserUnarchive is the way back from "user archive" (and from an admin
// locked out of a workspace): the membership, or the instance-wide
// account, becomes active again.
func runUserUnarchive(env *Env) int {
	const cmd = "user unarchive"
	var email, slug string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&email, "email", "", "email address (required)")
	fs.StringVar(&slug, "workspace", "", "workspace slug; without it the user is unarchived instance-wide")
	if err := parseCmdFlags(fs, env, "email"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withAdminService(env, cmd, func(ctx context.Context, st store.Store, svc *workspace.Service) int {
		u, err := lookupUser(ctx, st, email)
		if err != nil {
			return exitUsage(env, cmd, err)
		}
		wsID, where := "", "instance-wide"
		if slug != "" {
			ws, err := lookupWorkspace(ctx, st, slug)
			if err != nil {
				return exitUsage(env, cmd, err)
			}
			wsID, where = ws.ID, "in workspace "+ws.Slug
		}
		if err := svc.UnarchiveUser(ctx, "", u.Email, wsID); err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "unarchived %s %s\n", u.Email, where)
		return ExitOK
	})
}
