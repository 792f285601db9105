package forwardauth

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCheckReturnURL: whatever the input, an accepted return URL is an
// absolute http(s) URL without user info, backslashes or control
// characters, whose origin is a listed one, and which parses back to the
// same origin (what a browser would follow).
func FuzzCheckReturnURL(f *testing.F) {
	origins := []string{"https://dash.example.com", "http://127.0.0.1:8081"}
	for _, s := range []string{"https://dash.example.com/", "//evil", "/\\evil", "https://dash.example.com@evil/",
		"https://evil#@dash.example.com", "https://dash.example.com%2F@evil", "http://127.0.0.1:8081/x?y=1",
		"HTTPS://DASH.EXAMPLE.COM:443/a", "https:/\\dash.example.com", "javascript://dash.example.com/%0a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := CheckReturnURL(raw, origins)
		if got == "" {
			return
		}
		if strings.ContainsAny(got, "\\\x00\r\n\t ") {
			t.Fatalf("%q accepted as %q with a backslash, space or control character", raw, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.User != nil || (u.Scheme != "http" && u.Scheme != "https") {
			t.Fatalf("%q accepted as %q: %v", raw, got, err)
		}
		o, ok := origin(u)
		if !ok || (o != origins[0] && o != origins[1]) {
			t.Fatalf("%q accepted as %q with origin %q", raw, got, o)
		}
	})
}
