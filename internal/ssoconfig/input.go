// Package ssoconfig is the one home of a workspace's SAML configuration as a
// domain concern: it validates the settings an admin submits, fetches and
// parses the IdP metadata, saves the config through workspace.Service, and
// refreshes metadata given by URL on a schedule and on an unknown signing
// key. The settings page and the JSON API (internal/web) and `gatehouse
// saml configure` (internal/cli) all call it, so they accept and refuse
// exactly the same input with the same messages.
//
// Refused input is a *FieldError (or a *saml.MetadataError for the
// metadata's content, or a *workspace.ValidationError from the service);
// callers tell them apart with errors.As.
package ssoconfig

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// Bounds of the per-workspace clock skew (docs/saml.md, validation rule 4). Zero skew is allowed
// only when an admin types it explicitly; the default is 3 minutes. The upper
// bound stops a typo ("30m") from silently weakening every time check.
const (
	defaultClockSkew = saml.DefaultClockSkew
	maxClockSkew     = workspace.MaxClockSkew // the bound the save enforces again
	// defaultGroupAttribute is the default of "Group attribute" (docs/concepts.md).
	defaultGroupAttribute = workspace.DefaultGroupAttribute
	// maxSSONameLen keeps the "Sign in with …" button readable.
	maxSSONameLen = 80
	// maxAttributeNameLen bounds "Group attribute"; Entra's full claim
	// URIs are about 60 characters.
	maxAttributeNameLen = 256
)

// MaxMetadataLen bounds the metadata document, pasted or fetched; Entra's
// federation metadata is ~25 KiB, ADFS's ~70 KiB.
const MaxMetadataLen = 1 << 20

// Input is what the SAML settings form (and the JSON API and the CLI,
// which mirror it) submits, before the metadata is parsed. Field names follow the UI
// labels (docs/concepts.md, "SSO config").
type Input struct {
	Enabled      bool
	Name         string // "SSO name"
	MetadataXML  string // "Identity provider metadata"
	MetadataURL  string // optional metadata URL (docs/saml.md, "IdP metadata")
	IdPInitiated string // "IdP-initiated sign-in"
	ClockSkew    string // "Clock skew", as typed ("3m", "90s")
	AllowSHA1    bool   // "Allow SHA-1"
	// AllowUnsignedLogout: "Accept unsigned logout requests" (logout CSRF).
	AllowUnsignedLogout bool
	GroupSync           bool   // "Enable group sync"
	GroupAttribute      string // "Group attribute"
}

// FieldError is refused input in one field; Field is the settings form's
// field name so the page can put Message (a sentence for the admin) next
// to it.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Message }

// settings is a validated Input, except for the metadata, which the
// caller parses (it needs the network for a URL and the clock for warnings).
type settings struct {
	Enabled        bool
	Name           string
	MetadataXML    string
	MetadataURL    string
	IdPInitiated   string
	ClockSkew      time.Duration
	AllowSHA1      bool
	GroupSync      bool
	GroupAttribute string
	// AllowUnsignedLogout mirrors Input.AllowUnsignedLogout.
	AllowUnsignedLogout bool
}

// validate checks every field except the metadata's content and returns
// the normalized settings, or the first field error (in form order, so the
// admin fixes the page top to bottom).
func (in Input) validate() (settings, error) {
	s := settings{
		Enabled:             in.Enabled,
		Name:                strings.TrimSpace(in.Name),
		MetadataXML:         normalizeNewlines(strings.TrimSpace(in.MetadataXML)),
		MetadataURL:         strings.TrimSpace(in.MetadataURL),
		AllowSHA1:           in.AllowSHA1,
		GroupSync:           in.GroupSync,
		AllowUnsignedLogout: in.AllowUnsignedLogout,
	}
	if len([]rune(s.Name)) > maxSSONameLen {
		return s, &FieldError{"name", fmt.Sprintf("SSO name: at most %d characters.", maxSSONameLen)}
	}
	if looksLikeURL(s.MetadataXML) {
		return s, &FieldError{"metadata_xml", "Identity provider metadata: this is a URL, not the metadata XML. " +
			"Put it in the Metadata URL field instead (Gatehouse then downloads the metadata and refreshes it), or open it in a browser and paste the XML it shows."}
	}
	if len(s.MetadataXML) > MaxMetadataLen {
		return s, &FieldError{"metadata_xml", fmt.Sprintf("Identity provider metadata: larger than %d KiB.", MaxMetadataLen>>10)}
	}
	if s.MetadataURL != "" {
		u, err := checkMetadataURL(s.MetadataURL)
		if err != nil {
			return s, err
		}
		s.MetadataURL = u
	}
	mode, err := parseIdPInitiated(in.IdPInitiated)
	if err != nil {
		return s, err
	}
	s.IdPInitiated = mode
	if s.ClockSkew, err = parseClockSkew(in.ClockSkew); err != nil {
		return s, err
	}
	if s.GroupAttribute, err = parseGroupAttribute(in.GroupAttribute); err != nil {
		return s, err
	}
	return s, nil
}

// normalizeNewlines turns the CRLF line ends browsers submit textareas
// with into LF, so the stored document is the one the admin pasted. Every
// XML parser does the same before parsing (and before canonicalizing a
// signature), so this never changes what the metadata means.
func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// checkMetadataURL refuses anything but an absolute https URL and returns
// it normalized (scheme and host as the fetcher will use them). Whether the
// host is private is decided when it is fetched, at connect time, since a
// name can resolve differently later.
func checkMetadataURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", &FieldError{"metadata_url", "Metadata URL: must be an absolute https:// URL without credentials."}
	}
	return u.String(), nil
}

// parseIdPInitiated maps the form value to a store mode; empty means the
// safe default, bounce (docs/saml.md, validation rule 5).
func parseIdPInitiated(v string) (string, error) {
	switch strings.TrimSpace(v) {
	case "", store.IdPInitiatedBounce:
		return store.IdPInitiatedBounce, nil
	case store.IdPInitiatedAccept:
		return store.IdPInitiatedAccept, nil
	case store.IdPInitiatedReject:
		return store.IdPInitiatedReject, nil
	}
	return "", &FieldError{"idp_initiated", "IdP-initiated sign-in: choose bounce, accept or reject."}
}

// parseClockSkew accepts a Go duration ("3m", "90s"); empty means the
// default. A bare number is refused rather than guessed (seconds? minutes?).
func parseClockSkew(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return defaultClockSkew, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, &FieldError{"clock_skew", fmt.Sprintf("Clock skew: %q is not a duration; write it like 3m or 90s.", v)}
	}
	if d < 0 || d > maxClockSkew {
		return 0, &FieldError{"clock_skew", fmt.Sprintf("Clock skew: must be between 0s and %s.", FormatDuration(maxClockSkew))}
	}
	return d, nil
}

// parseGroupAttribute trims the attribute name; empty means "groups".
func parseGroupAttribute(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return defaultGroupAttribute, nil
	}
	if len(v) > maxAttributeNameLen || strings.ContainsAny(v, "\r\n\t") {
		return "", &FieldError{"group_attribute", fmt.Sprintf("Group attribute: at most %d characters on one line.", maxAttributeNameLen)}
	}
	return v, nil
}

// FormatDuration prints a duration the way an admin types it: "3m", "90s",
// "1m30s" (time.Duration.String would print "3m0s").
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// looksLikeURL reports whether the metadata box holds a URL (one line,
// http:// or https://) rather than XML: the most common paste mistake.
func looksLikeURL(v string) bool {
	l := strings.ToLower(v)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && !strings.ContainsAny(v, "<\n")
}

// InputFor shows a stored config as the settings form does; a new config
// (no ID) shows the defaults.
func InputFor(c *store.SAMLConfig) Input {
	in := Input{
		Enabled: c.Enabled, Name: c.Name, MetadataXML: c.MetadataXML, MetadataURL: c.MetadataURL,
		IdPInitiated: c.IdPInitiated, ClockSkew: FormatDuration(c.ClockSkew),
		AllowSHA1: c.AllowSHA1, GroupSync: c.GroupSync, GroupAttribute: c.GroupAttribute,
		AllowUnsignedLogout: c.AllowUnsignedLogout,
	}
	if c.ID == "" {
		in.Enabled = true // the admin journey: paste, save, it works
		in.ClockSkew = FormatDuration(defaultClockSkew)
	}
	if in.IdPInitiated == "" {
		in.IdPInitiated = store.IdPInitiatedBounce
	}
	if in.GroupAttribute == "" {
		in.GroupAttribute = defaultGroupAttribute
	}
	return in
}
