package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/oidc"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

func init() {
	register("keys rotate", "rotate the OpenID Connect signing key (the old public key stays published until its tokens expire)", runKeysRotate)
}

// runKeysRotate adds a new signing key. It starts signing after the
// activation delay, by which time every running replica publishes it.
func runKeysRotate(env *Env) int {
	const cmd = "keys rotate"
	var now bool
	var alg string
	fs := newCmdFlags(env, cmd)
	fs.BoolVar(&now, "now", false, "sign with the new key at once (only safe with a single replica, or after a key leak)")
	fs.StringVar(&alg, "alg", oidc.AlgRS256, "algorithm of the new key: RS256 or ES256")
	if err := parseCmdFlags(fs, env); err != nil {
		return exitUsage(env, cmd, err)
	}
	return withAdminService(env, cmd, func(ctx context.Context, st store.Store, _ *workspace.Service) int {
		delay := oidc.KeyActivationDelay
		if now {
			delay = 0
		}
		if _, err := oidc.ParseSigningAlg(alg); err != nil {
			return exitUsage(env, cmd, err)
		}
		id, err := oidc.RotateKeys(ctx, st, time.Now(), delay, oidc.MaxTokenLifetime, alg)
		if err != nil {
			return exitRefused(env, cmd, err)
		}
		fmt.Fprintf(env.Stdout, "new signing key %s signs from %s; previous keys stay published for %s more\n",
			id, time.Now().Add(delay).UTC().Format(time.RFC3339), oidc.MaxTokenLifetime)
		return ExitOK
	})
}
