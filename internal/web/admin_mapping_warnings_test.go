package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMappingWarningsOnPageAndAPI: a mapping to a group that does not
// exist is saved (the group may come later) but shown as having no
// effect, with the closest existing name, on the page and in the API.
func TestMappingWarningsOnPageAndAPI(t *testing.T) {
	h := newHarness(t)
	h.createGroup("Engineering", true)
	h.envMappings["acme"] = map[string]string{"env-grp": "Salse"}
	form := url.Values{"section": {"mappings"}, "idp_group": {"eng", "boss"}, "workspace_group": {"Engineerng", "admin"}}
	body := h.postFollow("/settings/acme/workspace-login", h.adminToken, form).Body.String()
	warn := between(body, `id="mapping-warnings">`, "</div>")
	for _, want := range []string{
		`The IdP group &#34;eng&#34; is mapped to &#34;Engineerng&#34;`, `Did you mean &#34;Engineering&#34;?`,
		`&#34;Salse&#34;`, `Create the group first, or correct the name. (from TJ_SAML_GROUP_MAPPINGS__acme)`,
	} {
		if !strings.Contains(warn, want) {
			t.Errorf("page warning lacks %s\n%s", want, warn)
		}
	}
	if strings.Contains(warn, "boss") {
		t.Error("a valid row is warned about")
	}
	var out struct {
		Warnings []mappingWarningJSON `json:"warnings"`
	}
	res := h.api(http.MethodPut, "/api/v1/workspaces/acme/group-mappings", h.apiToken,
		map[string]any{"mappings": []map[string]string{{"idpGroup": "eng", "workspaceGroup": "engineering"}}})
	if res.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.Code, res.Body.String())
	}
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	var ui *mappingWarningJSON
	for i, w := range out.Warnings {
		if w.IdPGroup == "eng" {
			ui = &out.Warnings[i]
		}
	}
	if len(out.Warnings) != 2 || ui == nil || ui.Suggestion != "Engineering" || ui.Source != "ui" || ui.WorkspaceGroup != "engineering" {
		t.Fatalf("API warnings: %+v", out.Warnings)
	}
	// Fixed: no warning left for the UI row.
	h.api(http.MethodPut, "/api/v1/workspaces/acme/group-mappings", h.apiToken,
		map[string]any{"mappings": []map[string]string{{"idpGroup": "eng", "workspaceGroup": "Engineering"}}})
	res = h.api(http.MethodGet, "/api/v1/workspaces/acme/group-mappings", h.apiToken, nil)
	out.Warnings = nil
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil || len(out.Warnings) != 1 || out.Warnings[0].Source != "environment" {
		t.Fatalf("after the fix: %v %+v", err, out.Warnings)
	}
}

// TestMapLinkFocusesTheTarget: "map" on a seen group prefills the IdP
// group and puts the cursor in the workspace group field.
func TestMapLinkFocusesTheTarget(t *testing.T) {
	h := newHarness(t)
	body := h.get("/settings/acme/workspace-login?map=5e8f0000-0000-0000-0000-00000000abcd", h.adminToken).Body.String()
	if !strings.Contains(body, `value="5e8f0000-0000-0000-0000-00000000abcd" class="object-id" aria-label="New IdP group"`) ||
		!strings.Contains(body, `aria-label="New workspace group" autofocus`) {
		t.Error("map link does not prefill and focus the new row")
	}
}
