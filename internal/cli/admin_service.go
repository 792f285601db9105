package cli

import (
	"context"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// adminBody is the body of an admin command once its flags are parsed.
type adminBody func(ctx context.Context, st store.Store, svc *workspace.Service) int

// withAdminService opens the database, runs fn over it and closes it
// again. A database that cannot be opened is a usage error (exit 2): the
// operator's environment is wrong, not the request.
func withAdminService(env *Env, cmd string, fn adminBody) int {
	ctx := context.Background()
	st, svc, closeFn, err := adminService(ctx, env)
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	defer closeFn()
	return fn(ctx, st, svc)
}

// adminService opens the database the way every CLI command does and
// builds the workspace.Service over it. closeFn releases the database.
// Other admin commands use it too.
func adminService(ctx context.Context, env *Env) (store.Store, *workspace.Service, func(), error) {
	st, _, svc, closeFn, err := adminServiceConfig(ctx, env)
	return st, svc, closeFn, err
}

// adminServiceConfig is adminService plus the loaded configuration.
func adminServiceConfig(ctx context.Context, env *Env) (store.Store, *config.Config, *workspace.Service, func(), error) {
	st, cfg, err := openStore(ctx, env)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	mappings := config.ParseGroupMappings(env.Environ())
	svc := &workspace.Service{Store: st, Now: time.Now, Log: cliLogger(env), EnvMappings: mappings.Lookup}
	return st, cfg, svc, func() { st.Close() }, nil
}

// workspaceBody is the body of an admin command that acts on one
// workspace, once that workspace is found.
type workspaceBody func(ctx context.Context, st store.Store, svc *workspace.Service, ws *store.Workspace) int

// withWorkspace is withAdminService for commands given --workspace SLUG:
// it looks the workspace up first, and an unknown slug is a usage error
// (exit 2) like a missing flag.
func withWorkspace(env *Env, cmd, slug string, fn workspaceBody) int {
	return withAdminService(env, cmd, func(ctx context.Context, st store.Store, svc *workspace.Service) int {
		ws, err := lookupWorkspace(ctx, st, slug)
		if err != nil {
			return exitUsage(env, cmd, err)
		}
		return fn(ctx, st, svc, ws)
	})
}

// runOnWorkspace is a whole command whose only flag is the required
// --workspace SLUG (the list commands): parse it, then withWorkspace.
func runOnWorkspace(env *Env, cmd string, fn workspaceBody) int {
	var slug string
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	if err := parseCmdFlags(fs, env, "workspace"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, fn)
}
