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

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/web"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// onOff is an optional on/off flag: set records whether it was given, so
// that a command changes only what the operator asked for.
type onOff struct {
	set   bool
	value bool
}

// String prints the value as the flag takes it.
func (o *onOff) String() string {
	if o == nil || !o.set {
		return ""
	}
	if o.value {
		return "on"
	}
	return "off"
}

// Set accepts on/off (and the usual true/false, yes/no spellings).
func (o *onOff) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "true", "yes", "1":
		o.value = true
	case "off", "false", "no", "0":
		o.value = false
	default:
		return fmt.Errorf("want on or off, got %q", s)
	}
	o.set = true
	return nil
}

// apply stores the flag's value in *dst when it was given.
func (o *onOff) apply(dst *bool) {
	if o.set {
		*dst = o.value
	}
}

// optString is an optional string flag that remembers whether it was given
// (an empty --name "" is a deliberate reset).
type optString struct {
	set   bool
	value string
}

// String is the value given (or "").
func (o *optString) String() string {
	if o == nil {
		return ""
	}
	return o.value
}

// Set records the value.
func (o *optString) Set(s string) error { o.value, o.set = s, true; return nil }

var _ flag.Value = (*onOff)(nil)
var _ flag.Value = (*optString)(nil)

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
}

// parseSAMLConfigureFlags parses and checks the command line.
func parseSAMLConfigureFlags(env *Env) (*samlConfigureFlags, error) {
	f := &samlConfigureFlags{}
	fs := flag.NewFlagSet("saml configure", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.workspace, "workspace", "", "workspace `SLUG` (required)")
	fs.StringVar(&f.metadata, "metadata", "", "IdP metadata XML `FILE`, or - for standard input (required for a new config)")
	fs.Var(&f.name, "name", "SSO `NAME`, the sign-in button's label")
	fs.Var(&f.idpInitiated, "idp-initiated", "IdP-initiated sign-in: `bounce|accept|reject`")
	fs.Var(&f.groupSync, "group-sync", "enable group sync: `on|off`")
	fs.Var(&f.groupAttribute, "group-attribute", "SAML `ATTRIBUTE` with the user's groups (default groups)")
	fs.Var(&f.enabled, "enabled", "enable the SSO: `on|off` (a new config is enabled)")
	fs.Var(&f.clockSkew, "clock-skew", "tolerated clock `DURATION`, e.g. 3m (0s to 10m)")
	fs.Var(&f.allowSHA1, "allow-sha1", "accept SHA-1 signatures: `on|off` (insecure)")
	if err := fs.Parse(env.Args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if f.workspace == "" {
		return nil, fmt.Errorf("--workspace is required")
	}
	return f, nil
}

// apply changes in by the flags that were given.
func (f *samlConfigureFlags) apply(in *web.SAMLInput, metadataXML string) {
	in.MetadataXML = metadataXML // "" keeps the stored metadata
	f.enabled.apply(&in.Enabled)
	f.groupSync.apply(&in.GroupSync)
	f.allowSHA1.apply(&in.AllowSHA1)
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
// (web.Server.ConfigureSAML), prints the preview and, on its last line,
// the Redirect URL (scripts and the e2e tests read it).
func runSAMLConfigure(env *Env) int {
	f, err := parseSAMLConfigureFlags(env)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "saml configure:", err)
		return ExitUsage
	}
	metadataXML, err := readMetadataFile(env, f.metadata)
	if err != nil {
		fmt.Fprintln(env.Stderr, "saml configure:", err)
		return ExitUsage
	}
	ctx := context.Background()
	srv, closeFn, err := adminServer(ctx, env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "saml configure:", err)
		return ExitUsage
	}
	defer closeFn()
	in, err := srv.SAMLInputFor(ctx, f.workspace)
	if err != nil {
		fmt.Fprintf(env.Stderr, "saml configure: workspace %q: %v\n", f.workspace, err)
		return ExitUsage
	}
	f.apply(&in, metadataXML)
	res, err := srv.ConfigureSAML(ctx, f.workspace, "", in)
	if err != nil {
		fmt.Fprintln(env.Stderr, "saml configure: nothing saved:", web.ErrorMessage(err))
		if web.IsInputError(err) {
			return ExitRejected
		}
		return ExitUsage
	}
	printSAMLResult(env.Stdout, res)
	return ExitOK
}

// readMetadataFile reads --metadata ("" = none, "-" = standard input).
func readMetadataFile(env *Env, name string) (string, error) {
	switch name {
	case "":
		return "", nil
	case "-":
		b, err := io.ReadAll(io.LimitReader(env.Stdin, maxMetadataFile+1))
		if err != nil {
			return "", err
		}
		return checkMetadataSize(b)
	}
	fh, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxMetadataFile+1))
	if err != nil {
		return "", err
	}
	return checkMetadataSize(b)
}

// maxMetadataFile matches the settings page's limit on pasted metadata.
const maxMetadataFile = 1 << 20

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

// printSAMLResult prints the preview of SPEC §2 and the Redirect URL last.
func printSAMLResult(w io.Writer, res *web.SAMLResult) {
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

// onOffText prints a switch the way the flags spell it.
func onOffText(b bool) string {
	if b {
		return "on"
	}
	return "off"
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

// adminServer is a web.Server over the CLI's database, so that "saml
// configure" runs the settings page's own validation and save (no HTTP is
// served). The Redirect URL comes from GATEHOUSE_PUBLIC_URL.
func adminServer(ctx context.Context, env *Env) (*web.Server, func(), error) {
	st, cfg, svc, closeFn, err := adminServiceConfig(ctx, env)
	if err != nil {
		return nil, nil, err
	}
	srv, err := web.New(web.Options{Store: st, Service: svc, PublicURL: cfg.PublicURL,
		GroupMappings: svc.EnvMappings, AllowPrivateMetadataURLs: cfg.AllowPrivateMetadataURLs,
		Logger: cliLogger(env)})
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	return srv, closeFn, nil
}
