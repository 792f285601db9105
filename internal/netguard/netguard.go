// Package netguard keeps Gatehouse's outgoing requests to URLs that
// workspace admins choose (IdP metadata, OpenID Connect back-channel
// logout) away from loopback, private, link-local and other special-use
// addresses: server-side request forgery protection. The check runs at
// dial time on the address actually dialled, so DNS rebinding and
// redirects cannot get around it.
package netguard

import (
	"errors"
	"net/netip"
	"syscall"
)

// ErrPrivateAddress is what a refused dial returns.
var ErrPrivateAddress = errors.New("the host resolves to a private, loopback or link-local address, which this instance does not allow")

// Control is a net.Dialer Control function that refuses every non-public
// address (nothing when allowPrivate). Use it with no proxy: with one,
// the check would see the proxy, not the destination.
func Control(allowPrivate bool) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !IsPublic(ap.Addr()) {
			return ErrPrivateAddress
		}
		return nil
	}
}

// nonPublicPrefixes are ranges the stdlib predicates do not cover.
var nonPublicPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT (RFC 6598)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: may embed a private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2002::/16"),       // 6to4: may embed a private IPv4
	netip.MustParsePrefix("2001::/32"),       // Teredo: may embed a private IPv4
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
}

// IsPublic refuses loopback, RFC 1918 and ULA, link-local (cloud metadata
// at 169.254.169.254 included), multicast, unspecified and the special
// ranges above; IPv4-mapped IPv6 is judged as IPv4.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublicPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}
