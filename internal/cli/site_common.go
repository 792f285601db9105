package cli

// parseSiteFlags parses the flags "site add" and "site remove" share: the
// workspace and the site's URL, both required; urlUsage is the --url help.
func parseSiteFlags(env *Env, cmd, urlUsage string) (slug, rawURL string, err error) {
	fs := newCmdFlags(env, cmd)
	fs.StringVar(&slug, "workspace", "", "workspace slug (required)")
	fs.StringVar(&rawURL, "url", "", urlUsage)
	err = parseCmdFlags(fs, env, "workspace", "url")
	return slug, rawURL, err
}
