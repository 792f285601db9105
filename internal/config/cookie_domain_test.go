package config

import "testing"

func TestCookieDomain(t *testing.T) {
	cases := []struct {
		public, domain, want string
		ok                   bool
	}{
		{"https://sso.example.com", "example.com", "example.com", true},
		{"https://sso.example.com", ".Example.COM", "example.com", true},
		{"https://example.com", "example.com", "example.com", true},
		{"https://sso.example.com", "", "", true},
		{"https://sso.example.com", "other.com", "", false},           // browsers would drop the cookie
		{"https://sso.badexample.com", "example.com", "", false},      // not a parent, only a suffix
		{"https://sso.example.com", "com", "", false},                 // one label
		{"https://sso.example.com", "https://example.com", "", false}, // not a name
		{"https://sso.example.com", "example.com:443", "", false},
		{"https://sso.example.com", "exa mple.com", "", false},
	}
	for _, c := range cases {
		cfg, err := Load(env(map[string]string{"GATEHOUSE_PUBLIC_URL": c.public, "GATEHOUSE_COOKIE_DOMAIN": c.domain}), nil)
		if (err == nil) != c.ok {
			t.Errorf("%s with %q: err %v, want ok=%v", c.public, c.domain, err, c.ok)
			continue
		}
		if err == nil && cfg.CookieDomain != c.want {
			t.Errorf("%s with %q: domain %q, want %q", c.public, c.domain, cfg.CookieDomain, c.want)
		}
	}
}
