package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("app create", "register an OpenID Connect application (--workspace S --name N --redirect-uri URL [--redirect-uri URL2] [--public] [--allowed-groups A,B] [--min-role builder])", runAppCreate)
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

// runAppCreate registers an application and prints its client_id and, for
// a confidential client, its client_secret (shown this once only).
func runAppCreate(env *Env) int {
	const cmd = "app create"
	var slug, name, groups, minRole, backChannel string
	var public bool
	var redirects, postLogout repeated
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	fs.StringVar(&name, "name", "", "application name (required)")
	fs.Var(&redirects, "redirect-uri", "redirect URI, matched exactly (required; repeat for several)")
	fs.Var(&postLogout, "post-logout-redirect-uri", "post-logout redirect URI, matched exactly (repeatable)")
	fs.BoolVar(&public, "public", false, "public client (no secret; PKCE S256 required), e.g. a single-page or native app")
	fs.StringVar(&groups, "allowed-groups", "", "comma-separated custom groups; only their members may sign in (empty: every member)")
	fs.StringVar(&minRole, "min-role", "", "minimum role: end-user, builder or admin (empty: any)")
	fs.StringVar(&backChannel, "backchannel-logout-uri", "", "where to POST OpenID Connect back-channel logout tokens")
	if err := parseCmdFlags(fs, env, "workspace", "name", "redirect-uri"); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withWorkspace(env, cmd, slug, func(ctx context.Context, st store.Store, _ *workspace.Service, ws *store.Workspace) int {
		var allowed []string
		if groups != "" {
			allowed = strings.Split(groups, ",")
		}
		// The back-channel URI rule follows the server's option.
		cfg, err := config.Load(env.Getenv, nil)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		apps := &oidc.Apps{Store: st, AllowPrivateBackChannel: cfg.OIDCAllowPrivateBackChannel}
		c, secret, err := apps.Create(ctx, "", ws.ID, oidc.AppInput{Name: name, RedirectURIs: redirects,
			PostLogoutRedirectURIs: postLogout, Public: public, AllowedGroups: allowed, MinRole: minRole, BackChannelLogoutURI: backChannel})
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "client_id: %s\n", c.ID)
		if secret != "" {
			fmt.Fprintf(env.Stdout, "client_secret: %s\n", secret)
			fmt.Fprintln(env.Stderr, "The client secret is shown only now; store it in the application's configuration.")
		}
		return ExitOK
	})
}
