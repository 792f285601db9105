package cli

import (
	"context"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("user create", "add a user to a workspace (--email E --workspace SLUG --role admin|builder|end-user [--name N] [--password-stdin] [--super-admin])", runUserCreate)
}

// userCreateFlags are the flags of "user create".
type userCreateFlags struct {
	email, workspace, role, name string
	passwordStdin, superAdmin    bool
}

// runUserCreate creates the user (or reuses the account with that email)
// and its membership through workspace.Service, in one transaction.
func runUserCreate(env *Env) int {
	const cmd = "user create"
	var f userCreateFlags
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&f.email, "email", "", "email address (required)")
	fs.StringVar(&f.workspace, "workspace", "", "workspace slug (required)")
	fs.StringVar(&f.role, "role", "", "admin, builder or end-user (required)")
	fs.StringVar(&f.name, "name", "", "display name (default: the email's local part)")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "read a password from the first line of standard input (default: no password, SSO only)")
	fs.BoolVar(&f.superAdmin, "super-admin", false, "make the user a super admin of the instance")
	if err := parseCmdFlags(fs, env, "email", "workspace", "role"); err != nil {
		return exitUsage(env, cmd, err)
	}
	if _, ok := workspace.ParseRole(f.role); !ok {
		return exitUsage(env, cmd, fmt.Errorf("--role %q: want admin, builder or end-user", f.role))
	}
	password := ""
	if f.passwordStdin {
		var err error
		if password, err = readPasswordLine(env.Stdin); err != nil {
			return exitUsage(env, cmd, err)
		}
	}
	return createUser(env, cmd, f, password)
}

// createUser runs the service calls of "user create".
func createUser(env *Env, cmd string, f userCreateFlags, password string) int {
	return withWorkspace(env, cmd, f.workspace, func(ctx context.Context, st store.Store, svc *workspace.Service, ws *store.Workspace) int {
		u, err := svc.CreateUser(ctx, "", ws.ID, f.email, f.name, password, f.role)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		if f.superAdmin {
			if err := svc.SetSuperAdmin(ctx, "", u.ID, true); err != nil {
				return exitRefused(env, cmd, err)
			}
		}
		role, _ := workspace.ParseRole(f.role)
		fmt.Fprintf(env.Stdout, "added %s to workspace %s as %s (user id %s)\n", u.Email, ws.Slug, role, u.ID)
		return ExitOK
	})
}
