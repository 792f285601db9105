package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForwardAuthDocMatchesTestedConfigs: docs/forward-auth.md shows the
// nginx and Caddy site configurations the journeys run, byte for byte, so
// the documented snippets are the tested ones.
func TestForwardAuthDocMatchesTestedConfigs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "forward-auth.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, lang string }{{"nginx-site.conf", "nginx"}, {"Caddyfile-site", "caddyfile"}} {
		b, err := os.ReadFile(filepath.Join(forwardAuthTestdata, c.file))
		if err != nil {
			t.Fatal(err)
		}
		block := "```" + c.lang + "\n" + string(b) + "```\n"
		if !strings.Contains(string(doc), block) {
			t.Errorf("docs/forward-auth.md does not show %s verbatim in a ```%s block", c.file, c.lang)
		}
	}
}
