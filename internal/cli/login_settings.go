package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func init() {
	register("workspace login-settings", "show or change a workspace's login settings (password login, signup, domains, automatic SSO)", runLoginSettings)
}

// loginSettingsFlags are the flags of "workspace login-settings"; unset
// flags keep the stored value, so with only --workspace it just prints.
type loginSettingsFlags struct {
	workspace      string
	signup         onOff
	passwordLogin  onOff
	autoSSO        onOff
	allowedDomains optString
}

// parseLoginSettingsFlags parses and checks the command line.
func parseLoginSettingsFlags(env *Env) (*loginSettingsFlags, error) {
	f := &loginSettingsFlags{}
	fs := newCmdFlags(env, "workspace login-settings")
	fs.StringVar(&f.workspace, "workspace", "", "workspace `SLUG` (required)")
	fs.Var(&f.signup, "signup", "create accounts at first SSO sign-in: `on|off`")
	fs.Var(&f.passwordLogin, "password-login", "password sign-in: `on|off`")
	fs.Var(&f.allowedDomains, "allowed-domains", "comma-separated email domains, `LIST` (empty allows all)")
	fs.Var(&f.autoSSO, "auto-sso", "skip the sign-in page: `on|off` (needs password login off and exactly one SSO)")
	if err := parseCmdFlags(fs, env, "workspace"); err != nil {
		return nil, err
	}
	return f, nil
}

// changed reports whether any setting flag was given.
func (f *loginSettingsFlags) changed() bool {
	return f.signup.set || f.passwordLogin.set || f.autoSSO.set || f.allowedDomains.set
}

// apply changes ls by the flags that were given.
func (f *loginSettingsFlags) apply(ls *store.LoginSettings) {
	f.signup.apply(&ls.Signup)
	f.passwordLogin.apply(&ls.PasswordLogin)
	f.autoSSO.apply(&ls.AutoSSO)
	if f.allowedDomains.set {
		ls.AllowedDomains = nil
		for _, d := range strings.Split(f.allowedDomains.value, ",") {
			if d = strings.TrimSpace(d); d != "" {
				ls.AllowedDomains = append(ls.AllowedDomains, d)
			}
		}
	}
}

// runLoginSettings saves the changed settings through workspace.Service
// (which enforces the automatic-SSO rule and writes the audit log) and
// prints the resulting settings.
func runLoginSettings(env *Env) int {
	f, err := parseLoginSettingsFlags(env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return exitUsage(env, "workspace login-settings", err)
	}
	ctx := context.Background()
	st, svc, closeFn, err := adminService(ctx, env)
	if err != nil {
		return exitUsage(env, "workspace login-settings", err)
	}
	defer closeFn()
	ws, err := st.GetWorkspaceBySlug(ctx, f.workspace)
	if err != nil {
		fmt.Fprintf(env.Stderr, "workspace login-settings: workspace %q: %v\n", f.workspace, err)
		return ExitUsage
	}
	ls, err := st.GetLoginSettings(ctx, ws.ID)
	if err != nil {
		return exitUsage(env, "workspace login-settings", err)
	}
	if f.changed() {
		f.apply(ls)
		ls.WorkspaceID = ws.ID
		if err := svc.SaveLoginSettings(ctx, "", ls); err != nil {
			fmt.Fprintln(env.Stderr, "workspace login-settings: nothing saved:", err)
			return ExitRejected
		}
		if ls, err = st.GetLoginSettings(ctx, ws.ID); err != nil {
			return exitUsage(env, "workspace login-settings", err)
		}
	}
	printLoginSettings(env.Stdout, ws.Slug, ls)
	return ExitOK
}

// printLoginSettings prints one setting per line (scripts grep them).
func printLoginSettings(w io.Writer, slug string, ls *store.LoginSettings) {
	domains := strings.Join(ls.AllowedDomains, ",")
	if domains == "" {
		domains = "(all)"
	}
	fmt.Fprintf(w, "workspace: %s\npassword login: %s\nsignup: %s\nallowed domains: %s\nautomatic SSO login: %s\n",
		slug, onOffText(ls.PasswordLogin), onOffText(ls.Signup), domains, onOffText(ls.AutoSSO))
}
