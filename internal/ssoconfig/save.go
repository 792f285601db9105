package ssoconfig

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// Result is a saved SAML config with its parsed metadata.
type Result struct {
	Config  *store.SAMLConfig
	Preview *Preview
	// RedirectURL is the config's SP entity ID and ACS URL (docs/saml.md, setup step 3).
	RedirectURL string
}

// errNoMetadata is returned when neither XML, a URL nor a stored metadata
// document is available.
var errNoMetadata = &FieldError{"metadata_xml", "Identity provider metadata: paste the IdP's metadata XML or give a metadata URL."}

// Save validates in, parses the metadata and saves the SAML config of ws
// through workspace.Service. The settings page, the JSON API and the CLI
// all call it. Nothing is written unless everything is valid.
func (m *Manager) Save(ctx context.Context, ws *store.Workspace, actorID string, in Input) (*Result, error) {
	set, err := in.validate()
	if err != nil {
		return nil, err
	}
	current, err := m.store.GetSAMLConfigByWorkspace(ctx, ws.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	cfg := &store.SAMLConfig{WorkspaceID: ws.ID}
	if current != nil {
		copyCfg := *current // keep the SP keys and advanced settings the form does not show
		cfg = &copyCfg
	}
	xml, err := m.resolveMetadata(ctx, set, current)
	if err != nil {
		return nil, err
	}
	md, err := saml.ParseIdPMetadata([]byte(xml), "")
	if err != nil {
		return nil, err
	}
	cfg.Enabled, cfg.Name = set.Enabled, set.Name
	cfg.MetadataXML, cfg.MetadataURL, cfg.IdPEntityID = xml, set.MetadataURL, md.EntityID
	cfg.IdPInitiated, cfg.ClockSkew, cfg.AllowSHA1 = set.IdPInitiated, set.ClockSkew, set.AllowSHA1
	cfg.GroupSync, cfg.GroupAttribute = set.GroupSync, set.GroupAttribute
	cfg.AllowUnsignedLogout = set.AllowUnsignedLogout
	if err := m.svc.SaveSAMLConfig(ctx, actorID, cfg); err != nil {
		return nil, err
	}
	return &Result{Config: cfg, Preview: NewPreview(md, m.now()), RedirectURL: ACSURL(m.publicURL, cfg.ID)}, nil
}

// resolveMetadata picks the metadata document, in this order: a new or
// changed metadata URL is fetched now (so a wrong URL is refused at save
// time, and the box showing the previous document does not silently win);
// else the pasted XML; else the stored document (so a form or API call that
// only flips a switch need not resend it); else an unchanged URL is fetched.
func (m *Manager) resolveMetadata(ctx context.Context, set settings, current *store.SAMLConfig) (string, error) {
	urlChanged := set.MetadataURL != "" && (current == nil || current.MetadataURL != set.MetadataURL)
	switch {
	case urlChanged:
		return m.fetchMetadata(ctx, set.MetadataURL)
	case set.MetadataXML != "":
		return set.MetadataXML, nil
	case current != nil && current.MetadataXML != "":
		return current.MetadataXML, nil
	case set.MetadataURL != "":
		return m.fetchMetadata(ctx, set.MetadataURL)
	}
	return "", errNoMetadata
}

// fetchMetadata downloads metadata with the same fetcher and options as
// the scheduled refresh (m.Fetch, bounded as docs/saml.md, "IdP metadata"
// says), so a URL that saves is one the refresh can fetch.
func (m *Manager) fetchMetadata(ctx context.Context, u string) (string, error) {
	raw, err := saml.FetchIdPMetadata(ctx, u, m.Fetch)
	if err != nil {
		return "", &FieldError{"metadata_url", "Metadata URL: " + metadataFetchMessage(err)}
	}
	return string(raw), nil
}

// metadataFetchMessage is the settings page's text for a failed download,
// worded for an admin with the next step (issue 12), never a raw Go error
// chain; a refused private address names the option that allows it.
func metadataFetchMessage(err error) string {
	const paste = " Or paste the metadata XML into the box below instead."
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var opErr *net.OpError
	var statusErr *saml.FetchStatusError
	switch {
	case errors.Is(err, saml.ErrPrivateAddress):
		return err.Error() + " (GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS)"
	case errors.As(err, &dnsErr):
		return "the host name " + strconv.Quote(dnsErr.Name) + " could not be found. Check the URL for typos " +
			"(Entra's App Federation Metadata Url starts with https://login.microsoftonline.com/) and that this server can resolve it." + paste
	case errors.As(err, &certErr):
		return "the server's TLS certificate is not trusted by this server (" + certErr.Err.Error() +
			"). Check the URL; if it is right, the server needs a certificate from a public CA." + paste
	case errors.As(err, &opErr):
		return "this server could not connect to the metadata server (" + opErr.Err.Error() +
			"). Check the URL, and that outgoing HTTPS from this server is allowed (a firewall or proxy may block it)." + paste
	case errors.As(err, &statusErr):
		return err.Error() + ". Check that the URL is the metadata URL itself (in Entra: App Federation Metadata Url)." + paste
	case errors.Is(err, saml.ErrFetchTimeout):
		return "the metadata server sent " + err.Error() + ". Try again later." + paste
	}
	return err.Error()
}
