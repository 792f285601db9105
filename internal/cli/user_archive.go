package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("user archive", "archive a user in a workspace, or instance-wide without --workspace (--email E [--workspace SLUG])", runUserArchive)
}

// runUserArchive archives through workspace.Service: in one workspace
// (never its last active admin) or, without --workspace, instance-wide.
func runUserArchive(env *Env) int {
	return runArchiveChange(env, "user archive", "archived", (*workspace.Service).ArchiveUser)
}

// archiveChange is workspace.Service's ArchiveUser or UnarchiveUser.
type archiveChange func(svc *workspace.Service, ctx context.Context, actorID, email, workspaceID string) error

// runArchiveChange is "user archive" and "user unarchive": the same flags
// and lookups, then change applied to the user in the workspace or, without
// --workspace, instance-wide; done is the past tense printed on success.
func runArchiveChange(env *Env, cmd, done string, change archiveChange) int {
	var email, slug string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&email, "email", "", "email address (required)")
	fs.StringVar(&slug, "workspace", "", "workspace slug; without it the user is "+done+" instance-wide")
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
		if err := change(svc, ctx, "", u.Email, wsID); err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "%s %s %s\n", done, u.Email, where)
		return ExitOK
	})
}
