package saml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/netguard"
)

// Defaults of FetchOptions.
const (
	DefaultFetchMaxBytes = 1 << 20
	DefaultFetchTimeout  = 10 * time.Second
	maxFetchRedirects    = 3
)

// ErrPrivateAddress is returned when a metadata URL leads to a loopback,
// private, link-local or otherwise non-public address and the instance
// does not allow those.
var ErrPrivateAddress = netguard.ErrPrivateAddress

// ErrFetchTimeout is wrapped by the error of a metadata download that did
// not complete within its timeout.
var ErrFetchTimeout = errors.New("no complete answer")

// FetchStatusError is a metadata download answered with a status other
// than 200 OK.
type FetchStatusError struct{ StatusCode int }

func (e *FetchStatusError) Error() string {
	return fmt.Sprintf("the server answered HTTP %d", e.StatusCode)
}

// FetchOptions bound a metadata download (docs/saml.md, "IdP metadata").
type FetchOptions struct {
	// AllowPrivate permits private, loopback and link-local addresses and
	// plain http for the initial URL (development and tests).
	AllowPrivate bool
	// MaxBytes caps the document; 0 means DefaultFetchMaxBytes.
	MaxBytes int64
	// Timeout bounds the whole download; 0 means DefaultFetchTimeout.
	Timeout time.Duration
	// Client, when set, supplies TLS settings (e.g. a test CA) through its
	// *http.Transport, which is cloned: proxy, dialer and redirect policy
	// are always Gatehouse's own, so the address check cannot be bypassed.
	Client *http.Client
}

// FetchIdPMetadata downloads IdP metadata from an admin-supplied URL. That
// URL is a server-side request forgery vector, so: https only (unless
// AllowPrivate), every connection's resolved address is checked at dial
// time (which also defeats DNS rebinding and redirects to internal hosts),
// no proxy, at most three redirects and only to https, a size cap and a
// timeout. The result still has to pass ParseIdPMetadata.
//
// Error texts are sentences an admin can act on without a "fetch metadata"
// prefix: the settings page shows them after "Metadata URL:", and the
// refresh log line already says what failed.
func FetchIdPMetadata(ctx context.Context, rawURL string, o FetchOptions) ([]byte, error) {
	if err := checkFetchURL(rawURL, o.AllowPrivate); err != nil {
		return nil, err
	}
	client, err := o.client()
	if err != nil {
		return nil, err
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml, text/xml")
	res, err := client.Do(req)
	if err != nil {
		return nil, fetchFailure(err, timeout)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, &FetchStatusError{StatusCode: res.StatusCode}
	}
	return readCapped(res, o.MaxBytes, timeout)
}

// checkFetchURL accepts absolute https URLs without credentials (http too
// when allowPrivate).
func checkFetchURL(rawURL string, allowPrivate bool) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", rawURL)
	}
	if u.Scheme != "https" && !(allowPrivate && u.Scheme == "http") {
		return fmt.Errorf("only https URLs are allowed, got %q", u.Scheme)
	}
	if u.User != nil {
		return errors.New("URLs with credentials are not allowed")
	}
	return nil
}

// readCapped reads at most max bytes (0 = default) of the body.
func readCapped(res *http.Response, max int64, timeout time.Duration) ([]byte, error) {
	if max <= 0 {
		max = DefaultFetchMaxBytes
	}
	if res.ContentLength > max {
		return nil, fmt.Errorf("the document is larger than %d bytes", max)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, max+1))
	if err != nil {
		return nil, fetchFailure(err, timeout)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("the document is larger than %d bytes", max)
	}
	return body, nil
}

// client builds the HTTP client with the dial-time address check.
func (o FetchOptions) client() (*http.Client, error) {
	tr := &http.Transport{}
	if o.Client != nil && o.Client.Transport != nil {
		base, ok := o.Client.Transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("FetchOptions.Client must use an *http.Transport, got %T", o.Client.Transport)
		}
		tr = base.Clone()
	}
	dialer := &net.Dialer{Timeout: DefaultFetchTimeout, Control: netguard.Control(o.AllowPrivate)}
	tr.Proxy = nil // the check must see the real peer
	tr.DialContext = dialer.DialContext
	tr.DialTLSContext = nil
	tr.DisableKeepAlives = true
	return &http.Client{Transport: tr, CheckRedirect: checkFetchRedirect}, nil
}

// checkFetchRedirect allows a few redirects, to https only (a redirect
// must never downgrade to plain http).
func checkFetchRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxFetchRedirects {
		return fmt.Errorf("more than %d redirects", maxFetchRedirects)
	}
	if req.URL.Scheme != "https" {
		return fmt.Errorf("redirected to a non-https URL (%s)", req.URL.Scheme)
	}
	return nil
}

// fetchFailure keeps the two errors an admin can act on readable.
func fetchFailure(err error, timeout time.Duration) error {
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return ErrPrivateAddress
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w within %s", ErrFetchTimeout, timeout)
	}
	return err
}
