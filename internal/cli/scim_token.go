package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse-sso/gatehouse/internal/scim"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func init() {
	register("scim token", "create or rotate a workspace's SCIM provisioning token, printed once (--workspace SLUG [--revoke])", runSCIMToken)
}

// runSCIMToken creates (or rotates: the previous token stops working) the
// workspace's SCIM token and prints it with the Tenant URL; --revoke
// deletes it instead. The operator is the actor ("" in the audit log).
func runSCIMToken(env *Env) int {
	const cmd = "scim token"
	var slug string
	var revoke bool
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	fs.BoolVar(&revoke, "revoke", false, "revoke the token instead: provisioning stops")
	if err := parseCmdFlags(fs, env, "workspace"); err != nil {
		return exitUsage(env, cmd, err)
	}
	ctx := context.Background()
	st, cfg, svc, closeFn, err := adminServiceConfig(ctx, env)
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	defer closeFn()
	ws, err := lookupWorkspace(ctx, st, slug)
	if err != nil {
		return exitUsage(env, cmd, err)
	}
	if revoke {
		if err := svc.RevokeSCIMToken(ctx, "", ws.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				err = fmt.Errorf("workspace %s has no SCIM token", ws.Slug)
			}
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "SCIM token of %s revoked: provisioning is off\n", ws.Slug)
		return ExitOK
	}
	tok, err := svc.CreateSCIMToken(ctx, "", ws.ID)
	if err != nil {
		return exitRefused(env, cmd, err)
	}
	tenant := scim.PathPrefix + ws.Slug
	if cfg.PublicURL != "" {
		tenant = scim.TenantURL(cfg.PublicURL, ws.Slug)
	}
	fmt.Fprintf(env.Stdout, "Tenant URL:   %s\nSecret Token: %s\n", tenant, tok)
	fmt.Fprintln(env.Stderr, "The token is shown only once; any previous SCIM token of this workspace no longer works.")
	return ExitOK
}
