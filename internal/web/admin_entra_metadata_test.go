package web

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real Entra ID tenant federation metadata (UTF-8 BOM, signed, three
// signing keys, WS-Fed RoleDescriptors), pasted the way a browser submits
// a textarea: with CRLF line ends.
func TestWorkspaceLoginSavesRealEntraMetadata(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata/idp/entra", "tenant-8b966979-2017-FederationMetadata.xml"))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	pasted := strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n", "\r\n")
	h := newHarness(t)
	res := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(pasted))
	body := res.Body.String()
	if res.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", res.Code, between(body, `id="saml-error">`, "</div>"))
	}
	for _, want := range []string{
		"https://sts.windows.net/8b966979-910b-487c-a604-69229b1ac75c/",
		"https://login.microsoftonline.com/8b966979-910b-487c-a604-69229b1ac75c/saml2",
		"CN=accounts.accesscontrol.windows.net",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if n := strings.Count(body, `<code class="fingerprint">`); n != 3 {
		t.Errorf("%d signing certificates shown, want 3", n)
	}
	// Expiry is judged against the injected clock (2026): all have expired.
	if n := strings.Count(body, "(expired)"); n != 3 {
		t.Errorf("%d certificates marked expired, want 3", n)
	}
	cfg, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(cfg.MetadataXML, "\r") || cfg.IdPEntityID != "https://sts.windows.net/8b966979-910b-487c-a604-69229b1ac75c/" {
		t.Errorf("stored entity %q, CR kept: %v", cfg.IdPEntityID, strings.Contains(cfg.MetadataXML, "\r"))
	}
}
