package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
)

func init() {
	register("saml configure", "set a workspace's SAML SSO from IdP metadata; prints the Redirect URL last", runSAMLConfigure)
}

// samlConfigureFlags are the flags of "saml configure"; unset flags keep
// the stored value (or the default for a new config).
type samlConfigureFlags struct {
	workspace      string
	metadata       string
	name           optString
	idpInitiated   optString
	groupAttribute optString
	clockSkew      optString
	groupSync      onOff
	enabled        onOff
	allowSHA1      onOff
	spKeys         [2]spKeyFlag // signing, encryption
	// unsignedLogout: accept IdP LogoutRequests without a signature.
	unsignedLogout onOff
}

// parseSAMLConfigureFlags parses and checks the command line.
func parseSAMLConfigureFlags(env *Env) (*samlConfigureFlags, error) {
	f := &samlConfigureFlags{}
	fs := newCmdFlags(env, "saml configure")
	fs.StringVar(&f.workspace, "workspace", "", "workspace `SLUG` (required)")
	fs.StringVar(&f.metadata, "metadata", "", "IdP metadata XML `FILE`, or - for standard input (required for a new config)")
	fs.Var(&f.name, "name", "SSO `NAME`, the sign-in button's label")
	fs.Var(&f.idpInitiated, "idp-initiated", "IdP-initiated sign-in: `bounce|accept|reject`")
	fs.Var(&f.groupSync, "group-sync", "enable group sync: `on|off`")
	fs.Var(&f.groupAttribute, "group-attribute", "SAML `ATTRIBUTE` with the user's groups (default groups)")
	fs.Var(&f.enabled, "enabled", "enable the SSO: `on|off` (a new config is enabled)")
	fs.Var(&f.clockSkew, "clock-skew", "tolerated clock `DURATION`, e.g. 3m (0s to 10m)")
	fs.Var(&f.allowSHA1, "allow-sha1", "accept SHA-1 signatures: `on|off` (insecure)")
	f.spKeys[0].use, f.spKeys[1].use = "signing", "encryption"
	fs.StringVar(&f.spKeys[0].value, "sp-signing-key", "", "SP signing key: `generate|FILE` (PEM key and certificate); the current one stays in the SP metadata as previous")
	fs.StringVar(&f.spKeys[1].value, "sp-encryption-key", "", "SP encryption key: `generate|FILE` (PEM key and certificate); the current one keeps decrypting as previous")
	fs.Var(&f.unsignedLogout, "allow-unsigned-logout", "accept unsigned IdP logout requests: `on|off` (any site can then sign users out; default off)")
	if err := parseCmdFlags(fs, env, "workspace"); err != nil {
		return nil, err
	}
	for i := range f.spKeys {
		if err := f.spKeys[i].load(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// apply changes in by the flags that were given.
func (f *samlConfigureFlags) apply(in *ssoconfig.Input, metadataXML string) {
	in.MetadataXML = metadataXML // "" keeps the stored metadata
	f.enabled.apply(&in.Enabled)
	f.groupSync.apply(&in.GroupSync)
	f.allowSHA1.apply(&in.AllowSHA1)
	f.unsignedLogout.apply(&in.AllowUnsignedLogout)
	for _, o := range []struct {
		flag *optString
		dst  *string
	}{{&f.name, &in.Name}, {&f.idpInitiated, &in.IdPInitiated}, {&f.groupAttribute, &in.GroupAttribute}, {&f.clockSkew, &in.ClockSkew}} {
		if o.flag.set {
			*o.dst = o.flag.value
		}
	}
}

// runSAMLConfigure validates the metadata exactly like the settings page
// (both call ssoconfig.Manager.Configure), prints the preview and, on its
// last line, the Redirect URL (scripts and the e2e tests read it).
func runSAMLConfigure(env *Env) int {
	f, err := parseSAMLConfigureFlags(env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return exitUsage(env, "saml configure", err)
	}
	metadataXML, err := readMetadataFile(env, f.metadata)
	if err != nil {
		return exitUsage(env, "saml configure", err)
	}
	ctx := context.Background()
	sso, closeFn, err := adminSSOConfig(ctx, env)
	if err != nil {
		return exitUsage(env, "saml configure", err)
	}
	defer closeFn()
	in, err := sso.InputForWorkspace(ctx, f.workspace)
	if err != nil {
		fmt.Fprintf(env.Stderr, "saml configure: workspace %q: %v\n", f.workspace, err)
		return ExitUsage
	}
	f.apply(&in, metadataXML)
	res, err := sso.Configure(ctx, f.workspace, "", in)
	if err != nil {
		if msg, _, refused := ssoconfig.Refusal(err); refused {
			fmt.Fprintln(env.Stderr, "saml configure: nothing saved:", msg)
			return ExitRejected
		}
		fmt.Fprintln(env.Stderr, "saml configure: nothing saved:", err)
		return ExitUsage
	}
	for _, k := range f.spKeys {
		if k.value == "" {
			continue
		}
		if err := sso.InstallSPKey(ctx, f.workspace, "", k.use, k.keyPEM, k.certPEM); err != nil {
			msg, _, _ := ssoconfig.Refusal(err)
			if msg == "" {
				msg = err.Error()
			}
			fmt.Fprintf(env.Stderr, "saml configure: SP %s key not saved: %s\n", k.use, msg)
			return ExitRejected
		}
		fmt.Fprintf(env.Stdout, "SP %s key: installed (SP metadata: %s/metadata)\n", k.use, res.RedirectURL)
	}
	printSAMLResult(env.Stdout, res)
	return ExitOK
}

// readMetadataFile reads --metadata ("" = none, "-" = standard input).
func readMetadataFile(env *Env, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	in := env.Stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return "", err
		}
		defer fh.Close()
		in = fh
	}
	b, err := io.ReadAll(io.LimitReader(in, maxMetadataFile+1))
	if err != nil {
		return "", err
	}
	return checkMetadataSize(b)
}

// maxMetadataFile is the settings page's limit on metadata.
const maxMetadataFile = ssoconfig.MaxMetadataLen

// checkMetadataSize refuses oversized and empty metadata files.
func checkMetadataSize(b []byte) (string, error) {
	if len(b) > maxMetadataFile {
		return "", fmt.Errorf("metadata larger than %d KiB", maxMetadataFile>>10)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return "", fmt.Errorf("metadata file is empty")
	}
	return string(b), nil
}

// printSAMLResult prints the preview (docs/saml.md, setup step 2) and the Redirect URL last.
func printSAMLResult(w io.Writer, res *ssoconfig.Result) {
	c, p := res.Config, res.Preview
	fmt.Fprintf(w, "SAML config %s saved (enabled: %s, IdP-initiated: %s, group sync: %s, group attribute: %s)\n",
		c.ID, onOffText(c.Enabled), c.IdPInitiated, onOffText(c.GroupSync), c.GroupAttribute)
	fmt.Fprintf(w, "IdP entity ID: %s\n", p.EntityID)
	for _, e := range p.SSO {
		fmt.Fprintf(w, "SSO URL (%s): %s\n", e.Binding, e.Location)
	}
	for _, cert := range p.Certs {
		fmt.Fprintf(w, "Signing certificate: %s\n  SHA-256: %s\n  expires: %s\n", cert.Subject, cert.SHA256, cert.NotAfter.Format(time.RFC3339))
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warn)
	}
	fmt.Fprintf(w, "SP metadata: %s/metadata\n", res.RedirectURL)
	fmt.Fprintln(w, "Register the Redirect URL at the IdP as both the Identifier (Entity ID) and the Reply URL (ACS URL).")
	fmt.Fprintln(w, res.RedirectURL)
}

// adminSSOConfig is the ssoconfig.Manager over the CLI's database, so that
// "saml configure" runs the settings page's own validation and save. The
// Redirect URL comes from GATEHOUSE_PUBLIC_URL.
func adminSSOConfig(ctx context.Context, env *Env) (*ssoconfig.Manager, func(), error) {
	st, cfg, svc, closeFn, err := adminServiceConfig(ctx, env)
	if err != nil {
		return nil, nil, err
	}
	return ssoconfig.New(ssoconfig.Options{Store: st, Service: svc, PublicURL: cfg.PublicURL,
		AllowPrivateMetadataURLs: cfg.AllowPrivateMetadataURLs, Logger: cliLogger(env)}), closeFn, nil
}
