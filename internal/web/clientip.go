package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address rate limits apply to. It is the peer address,
// unless the peer is a trusted proxy (Options.TrustedProxies): then it is
// the right-most X-Forwarded-For entry that is not itself a trusted proxy.
// Entries left of that are client-supplied and never trusted, or a client
// could pick any value and escape its limit.
func (s *Server) clientIP(r *http.Request) string {
	peer := remoteAddr(r)
	if !s.trusted(peer) {
		return peer.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a.Unmap()) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}

// remoteAddr parses r.RemoteAddr (the zero Addr when it is not an IP).
func remoteAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// trusted reports whether a is in one of the trusted proxy ranges.
func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
