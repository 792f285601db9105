package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("workspace create", "create a workspace (--name NAME --slug SLUG)", runWorkspaceCreate)
}

// runWorkspaceCreate creates a workspace through workspace.Service (which
// validates the slug and writes the audit log) and prints its ID.
func runWorkspaceCreate(env *Env) int {
	const cmd = "workspace create"
	var name, slug string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&name, "name", "", "display name (required)")
	fs.StringVar(&slug, "slug", "", "URL name: lowercase a-z, 0-9 and '-' (required)")
	if err := parseCmdFlags(fs, env, "name", "slug"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withAdminService(env, cmd, func(ctx context.Context, _ store.Store, svc *workspace.Service) int {
		ws, err := svc.CreateWorkspace(ctx, "", name, slug)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "created workspace %q (slug %s, id %s)\n", ws.Name, ws.Slug, ws.ID)
		return ExitOK
	})
}

// newCmdFlags is a flag set that reports to the command's stderr.
func newCmdFlags(env *Env, cmd string) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parseCmdFlags parses env.Args, refuses positional arguments, and checks
// that every flag named in required was given a non-empty value.
func parseCmdFlags(fs *flag.FlagSet, env *Env, required ...string) error {
	if err := fs.Parse(env.Args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, name := range required {
		if f := fs.Lookup(name); f == nil || f.Value.String() == "" {
			return fmt.Errorf("--%s is required", name)
		}
	}
	return nil
}

// exitUsage prints a usage problem and returns ExitUsage.
func exitUsage(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "%s: %v\n", cmd, err)
	return ExitUsage
}

// exitRefused prints why the service said no and returns ExitRejected.
func exitRefused(env *Env, cmd string, err error) int {
	fmt.Fprintf(env.Stderr, "%s: %v\n", cmd, err)
	return ExitRejected
}
