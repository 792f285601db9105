package web

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/config"
)

func TestLoginSettingsSave(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"section": {"login"}, "password_login": {"on"}, "signup": {"on"}, "allowed_domains": {" Example.com, example.org , ACME.example"}}
	res := h.postFollow("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Login settings saved.") {
		t.Fatalf("status %d", res.Code)
	}
	ls, err := h.st.GetLoginSettings(h.ctx, h.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !ls.PasswordLogin || !ls.Signup || ls.AutoSSO || !reflect.DeepEqual(ls.AllowedDomains, []string{"example.com", "example.org", "acme.example"}) {
		t.Errorf("stored: %+v", ls)
	}
}

func TestLoginSettingsAutoSSORefused(t *testing.T) {
	h := newHarness(t)
	before, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID)
	// Password login on and no SSO: automatic SSO login is not allowed.
	form := url.Values{"section": {"login"}, "password_login": {"on"}, "signup": {"on"}, "auto_sso": {"on"}}
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.Code)
	}
	if !strings.Contains(res.Body.String(), "<strong>Nothing was saved.</strong> Automatic SSO login needs password login off and exactly one enabled SSO") {
		t.Error("page lacks the automatic SSO message")
	}
	after, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("settings changed: %+v -> %+v", before, after)
	}
}

func TestGroupMappingsFromEnvironmentAndUI(t *testing.T) {
	h := newHarness(t)
	h.envMappings["acme"] = map[string]string{"0f6b-guid": "admin"}
	form := url.Values{"section": {"mappings"}, "idp_group": {"0f6b-guid", "Sales"}, "workspace_group": {"builder", "end-user"}}
	if res := h.postFollow("/settings/acme/workspace-login", h.adminToken, form); res.Code != http.StatusOK {
		t.Fatalf("save mappings: %d\n%s", res.Code, res.Body.String())
	}
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if !strings.Contains(body, `<tr class="from-env"><td><code>0f6b-guid</code></td><td>admin</td><td>from environment</td></tr>`) {
		t.Error("environment row not shown as from environment")
	}
	if !strings.Contains(body, "(overridden by the environment)") {
		t.Error("UI row for the same key not marked overridden")
	}
	if !strings.Contains(body, `name="idp_group" value="Sales"`) {
		t.Error("UI row not editable")
	}
	if strings.Contains(body, "group sync is off") {
		t.Error("banner shown for a valid variable")
	}
}

func TestGroupMappingsInvalidEnvironmentBanner(t *testing.T) {
	h := newHarness(t)
	h.envErr["acme"] = "invalid JSON at offset 3"
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	for _, want := range []string{"TJ_SAML_GROUP_MAPPINGS__acme is invalid:", "invalid JSON at offset 3", "Group sync is off until this is fixed."} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestGroupMappingsHalfRowRefused(t *testing.T) {
	h := newHarness(t)
	form := url.Values{"section": {"mappings"}, "idp_group": {"x", "y"}, "workspace_group": {"admin", ""}}
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "row 2 needs both") {
		t.Fatalf("status %d", res.Code)
	}
	if rows, _ := h.st.ListGroupMappings(h.ctx, h.ws.ID); len(rows) != 0 {
		t.Errorf("rows saved: %+v", rows)
	}
}

func TestSeenGroupsShowMappingState(t *testing.T) {
	h := newHarness(t)
	h.envMappings["acme"] = map[string]string{"guid-admins": "admin"}
	if err := h.st.RecordSeenIdPGroups(h.ctx, h.ws.ID, []string{"guid-admins", "guid-other"}, h.now); err != nil {
		t.Fatal(err)
	}
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if !strings.Contains(body, "admin (from environment)") {
		t.Error("mapped value not shown with its target")
	}
	if !strings.Contains(body, "<em>unmapped</em>") || !strings.Contains(body, "?map=guid-other") {
		t.Error("unmapped value lacks the map action")
	}
	// The map action prefills the new row.
	body = h.get("/settings/acme/workspace-login?map=guid-other", h.adminToken).Body.String()
	if !strings.Contains(body, `name="idp_group" value="guid-other" class="object-id" aria-label="New IdP group"`) {
		t.Error("map action did not prefill the new row")
	}
}

func TestGroupMappingsInvalidEnvironmentFromConfig(t *testing.T) {
	h := newHarness(t)
	// The real parser of the variable, as the serve command wires it.
	env := config.ParseGroupMappings([]string{`TJ_SAML_GROUP_MAPPINGS__acme={"a": "admin",}`})
	h.srv.opts.GroupMappings = env.Lookup
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if !strings.Contains(body, "<strong>TJ_SAML_GROUP_MAPPINGS__acme is invalid:</strong> ") || !strings.Contains(body, "Group sync is off until this is fixed.") {
		t.Fatal("banner missing")
	}
	if strings.Count(body, "TJ_SAML_GROUP_MAPPINGS__acme") > strings.Count(body, "TJ_SAML_GROUP_MAPPINGS__acme is invalid")+1 {
		t.Error("variable name repeated in the banner text")
	}
}

func TestLoginSettingsAutoSSOAllowedWithOneSSO(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	if res := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md)); res.Code != http.StatusOK {
		t.Fatalf("save SAML: %d", res.Code)
	}
	form := url.Values{"section": {"login"}, "signup": {"on"}, "auto_sso": {"on"}} // password login off
	if res := h.postFollow("/settings/acme/workspace-login", h.adminToken, form); res.Code != http.StatusOK {
		t.Fatalf("auto SSO with one SSO and no password login: %d", res.Code)
	}
	if ls, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID); !ls.AutoSSO || ls.PasswordLogin {
		t.Fatalf("stored: %+v", ls)
	}
	// The page shows the stored state after the save.
	body := h.get("/settings/acme/workspace-login", h.adminToken).Body.String()
	if !strings.Contains(body, `id="login-autosso" name="auto_sso" value="on" checked`) {
		t.Error("automatic SSO not shown as on")
	}
}
