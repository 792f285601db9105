package web

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Limits of a metadata URL fetch (SPEC §4.3: size and time limits).
const (
	metadataFetchTimeout   = 10 * time.Second
	metadataFetchRedirects = 3
)

// errPrivateAddress is returned when a metadata URL resolves to an address
// the instance does not allow.
var errPrivateAddress = errors.New("the host resolves to a private, loopback or link-local address, which this instance does not allow (GATEHOUSE_ALLOW_PRIVATE_METADATA_URLS)")

// metadataFetcher downloads IdP metadata from an admin-supplied URL. The
// URL comes from a settings form, so it is a server-side request forgery
// vector: only https, and unless allowPrivate, every address the
// connection actually goes to (after DNS, and after each redirect) must be
// public; checking at dial time also defeats DNS rebinding.
type metadataFetcher struct {
	allowPrivate bool
	// rootCAs overrides the system roots (tests); nil = system roots.
	rootCAs *x509.CertPool
}

// fetch returns the document at u (an https URL checked by
// checkMetadataURL), at most maxMetadataLen bytes.
func (f *metadataFetcher) fetch(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, metadataFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/samlmetadata+xml, application/xml, text/xml")
	res, err := f.client().Do(req)
	if err != nil {
		return nil, fetchError(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered HTTP %d", res.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxMetadataLen+1))
	if err != nil {
		return nil, fetchError(err)
	}
	if len(body) > maxMetadataLen {
		return nil, fmt.Errorf("the document is larger than %d KiB", maxMetadataLen>>10)
	}
	return body, nil
}

// client is a fresh client: no proxy (the address check must see the real
// peer), https-only redirects, a bounded number of them.
func (f *metadataFetcher) client() *http.Client {
	dialer := &net.Dialer{Timeout: metadataFetchTimeout, Control: f.checkAddress}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         dialer.DialContext,
			TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: f.rootCAs},
			TLSHandshakeTimeout: metadataFetchTimeout,
			MaxIdleConns:        1,
			DisableKeepAlives:   true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= metadataFetchRedirects {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "https" {
				return errors.New("redirected to a non-https URL")
			}
			return nil
		},
	}
}

// checkAddress runs for every connection, with the resolved IP.
func (f *metadataFetcher) checkAddress(network, address string, _ syscall.RawConn) error {
	if f.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errPrivateAddress
	}
	if ip := ap.Addr().Unmap(); !isPublicAddr(ip) {
		return errPrivateAddress
	}
	return nil
}

// isPublicAddr refuses loopback, private (RFC 1918, ULA), link-local
// (including cloud metadata at 169.254.169.254), CGNAT, unspecified and
// multicast addresses.
func isPublicAddr(ip netip.Addr) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	return !cgnat.Contains(ip)
}

// cgnat is the shared address space of RFC 6598, private in practice.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// fetchError keeps the address refusal readable (it arrives wrapped in
// url.Error and net.OpError).
func fetchError(err error) error {
	if errors.Is(err, errPrivateAddress) {
		return errPrivateAddress
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s", metadataFetchTimeout)
	}
	return err
}
