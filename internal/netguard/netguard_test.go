package netguard

import (
	"errors"
	"net/netip"
	"testing"
)

func TestIsPublic(t *testing.T) {
	public := []string{"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.4.4"}
	private := []string{"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"100.127.255.254", "0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00::1", "fd12::1",
		"::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "198.18.0.1"}
	for _, s := range public {
		if !IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s refused", s)
		}
	}
	for _, s := range private {
		if IsPublic(netip.MustParseAddr(s)) {
			t.Errorf("%s allowed", s)
		}
	}
	check := Control(false)
	if err := check("tcp", "8.8.8.8:443", nil); err != nil {
		t.Errorf("public dial refused: %v", err)
	}
	for _, a := range []string{"127.0.0.1:443", "[::1]:443", "[fe80::1%eth0]:443", "not-an-address"} {
		if err := check("tcp", a, nil); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("dial to %s: %v", a, err)
		}
	}
	if err := Control(true)("tcp", "127.0.0.1:443", nil); err != nil {
		t.Errorf("AllowPrivate refused loopback: %v", err)
	}
}
