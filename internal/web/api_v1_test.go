package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func decodeBody[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	return v
}

func TestAPIAuthentication(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name   string
		header string
		cookie bool
		status int
		code   string
	}{
		{"no token", "", false, 401, apiCodeUnauthorized},
		{"wrong scheme", "Basic " + h.apiToken, false, 401, apiCodeUnauthorized},
		{"unknown token", "Bearer not-a-token", false, 401, apiCodeUnauthorized},
		{"session cookie only", "", true, 401, apiCodeUnauthorized},
		{"other workspace's token", "Bearer " + h.otherAPIToken, false, 404, apiCodeNotFound},
		{"valid", "Bearer " + h.apiToken, false, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := h.newRequest(http.MethodGet, "/api/v1/workspaces/acme/login-settings", nil)
			if c.header != "" {
				req.Header.Set("Authorization", c.header)
			}
			if c.cookie {
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: h.adminToken})
			}
			res := h.serve(req)
			if res.Code != c.status {
				t.Fatalf("status %d, want %d: %s", res.Code, c.status, res.Body.String())
			}
			if c.code != "" {
				if e := decodeBody[apiError](t, res.Body.String()); e.Code != c.code || e.Error == "" {
					t.Errorf("error body %+v, want code %q", e, c.code)
				}
			}
			if c.status == 401 && res.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// Unknown workspace: the same answer as another workspace's.
	if res := h.api(http.MethodGet, "/api/v1/workspaces/nope/members", h.apiToken, nil); res.Code != 404 {
		t.Errorf("unknown workspace: %d", res.Code)
	}
	// A known path with another method: 405 with Allow.
	res405 := h.api(http.MethodDelete, "/api/v1/workspaces/acme/saml", h.apiToken, nil)
	if res405.Code != http.StatusMethodNotAllowed || res405.Header().Get("Allow") != "GET, HEAD, PUT" ||
		decodeBody[apiError](t, res405.Body.String()).Code != apiCodeMethodNotAllowed {
		t.Errorf("DELETE saml: %d %q", res405.Code, res405.Header().Get("Allow"))
	}
	// Unknown endpoint: a JSON 404, not the HTML page.
	res := h.api(http.MethodGet, "/api/v1/nothing", h.apiToken, nil)
	if res.Code != 404 || decodeBody[apiError](t, res.Body.String()).Code != apiCodeNotFound {
		t.Errorf("unknown endpoint: %d %s", res.Code, res.Body.String())
	}
}

// A token acts for the admin who created it: it stops working when they
// are no longer an active admin, and demoting them revokes it for good
// (re-promotion does not revive it; docs/access-rules.md, "Ending access").
func TestAPITokenFollowsItsCreator(t *testing.T) {
	h := newHarness(t)
	other, _ := h.member(h.ws, "carl@acme.example", "admin")
	tok := h.createAPIToken(h.ws, other.ID)
	if res := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", tok, nil); res.Code != http.StatusOK {
		t.Fatalf("fresh token: %d", res.Code)
	}
	// Changed behind the service's back (no revocation): the request-time
	// check still refuses.
	m, err := h.st.GetMembership(h.ctx, h.ws.ID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	m.Role = "builder"
	if err := h.st.UpdateMembership(h.ctx, m); err != nil {
		t.Fatal(err)
	}
	res := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", tok, nil)
	if res.Code != http.StatusForbidden || decodeBody[apiError](t, res.Body.String()).Code != apiCodeForbidden {
		t.Fatalf("token of a demoted admin: %d %s", res.Code, res.Body.String())
	}
	m.Role = "admin"
	if err := h.st.UpdateMembership(h.ctx, m); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"builder", "admin"} {
		if err := h.svc.SetMemberRole(h.ctx, h.adminUser.ID, h.ws.ID, other.ID, role); err != nil {
			t.Fatal(err)
		}
		res = h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", tok, nil)
		if res.Code != http.StatusUnauthorized {
			t.Fatalf("token after the service set role %s: %d %s", role, res.Code, res.Body.String())
		}
	}
}

func TestAPIPutSAML(t *testing.T) {
	h := newHarness(t)
	idp, md := goodMetadata(t)
	res := h.api(http.MethodPut, "/api/v1/workspaces/acme/saml", h.apiToken, map[string]any{
		"metadataXML": md, "name": "Okta", "groupSync": true, "idpInitiated": "accept", "clockSkew": "90s",
	})
	if res.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.Code, res.Body.String())
	}
	out := decodeBody[samlOutJSON](t, res.Body.String())
	if out.ID == "" || out.RedirectURL != "https://sso.example.com/api/sso/saml/"+out.ID ||
		out.SPMetadataURL != out.RedirectURL+"/metadata" || out.IdPEntityID != idp.EntityID ||
		out.Preview == nil || out.Preview.EntityID != idp.EntityID || len(out.Preview.Certs) != 1 ||
		out.Name != "Okta" || !out.GroupSync || out.IdPInitiated != "accept" || out.ClockSkew != "1m30s" || !out.Enabled {
		t.Fatalf("response: %+v", out)
	}
	// Partial PUT: only the name changes, the metadata is kept.
	res = h.api(http.MethodPut, "/api/v1/workspaces/acme/saml", h.apiToken, map[string]any{"name": "Okta EU"})
	if res.Code != http.StatusOK {
		t.Fatalf("partial PUT: %d %s", res.Code, res.Body.String())
	}
	cfg, _ := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if cfg.Name != "Okta EU" || cfg.IdPEntityID != idp.EntityID || cfg.ID != out.ID || !cfg.GroupSync {
		t.Errorf("after partial PUT: %+v", cfg)
	}
	get := decodeBody[samlOutJSON](t, h.api(http.MethodGet, "/api/v1/workspaces/acme/saml", h.apiToken, nil).Body.String())
	if get.Name != "Okta EU" || get.Preview == nil || get.RedirectURL != out.RedirectURL {
		t.Errorf("GET: %+v", get)
	}
}

func TestAPIGetSAMLWithoutConfig(t *testing.T) {
	h := newHarness(t)
	res := h.api(http.MethodGet, "/api/v1/workspaces/acme/saml", h.apiToken, nil)
	if res.Code != http.StatusNotFound || decodeBody[apiError](t, res.Body.String()).Code != apiCodeNotFound {
		t.Errorf("%d %s", res.Code, res.Body.String())
	}
}

func TestAPIPutSAMLBadMetadataSavesNothing(t *testing.T) {
	for name, c := range badMetadata(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			res := h.api(http.MethodPut, "/api/v1/workspaces/acme/saml", h.apiToken, map[string]any{"metadataXML": c.xml})
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %s", res.Code, res.Body.String())
			}
			e := decodeBody[apiError](t, res.Body.String())
			if e.Code != apiCodeInvalidMetadata || e.Field != "metadata_xml" || !strings.Contains(e.Error, c.want) {
				t.Errorf("error %+v, want invalid_metadata mentioning %q", e, c.want)
			}
			if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("config stored: %v", err)
			}
		})
	}
}

func TestAPIRefusesBadJSON(t *testing.T) {
	h := newHarness(t)
	for _, body := range []string{`{"group_sync": true}`, `{"enabled": "yes"}`, `{} {}`, `[`} {
		req := h.newRequest(http.MethodPut, "/api/v1/workspaces/acme/saml", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+h.apiToken)
		res := h.serve(req)
		if res.Code != http.StatusBadRequest || decodeBody[apiError](t, res.Body.String()).Code != apiCodeBadRequest {
			t.Errorf("%s: %d %s", body, res.Code, res.Body.String())
		}
	}
	res := h.api(http.MethodPut, "/api/v1/workspaces/acme/saml", h.apiToken, map[string]any{"clockSkew": "1h"})
	if e := decodeBody[apiError](t, res.Body.String()); res.Code != 422 || e.Field != "clock_skew" || e.Code != apiCodeInvalidField {
		t.Errorf("clock skew: %d %+v", res.Code, e)
	}
}

func TestAPILoginSettings(t *testing.T) {
	h := newHarness(t)
	res := h.api(http.MethodPut, "/api/v1/workspaces/acme/login-settings", h.apiToken, map[string]any{"signup": true, "allowedDomains": []string{"Example.com", "acme.example"}})
	if res.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.Code, res.Body.String())
	}
	got := decodeBody[loginSettingsJSON](t, res.Body.String())
	if !*got.Signup || !*got.PasswordLogin || *got.AutoSSO || !reflect.DeepEqual(got.AllowedDomains, []string{"example.com", "acme.example"}) {
		t.Errorf("response: %+v", got)
	}
	before, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID)
	res = h.api(http.MethodPut, "/api/v1/workspaces/acme/login-settings", h.apiToken, map[string]any{"autoSSO": true})
	if res.Code != http.StatusUnprocessableEntity || decodeBody[apiError](t, res.Body.String()).Code != apiCodeNotAllowed {
		t.Errorf("autoSSO with password login on: %d %s", res.Code, res.Body.String())
	}
	if after, _ := h.st.GetLoginSettings(h.ctx, h.ws.ID); !reflect.DeepEqual(before, after) {
		t.Errorf("changed: %+v -> %+v", before, after)
	}
}

func TestAPIGroupMappingsAndLists(t *testing.T) {
	h := newHarness(t)
	h.envMappings["acme"] = map[string]string{"g-env": "admin"}
	h.createGroup("Sales", true)
	res := h.api(http.MethodPut, "/api/v1/workspaces/acme/group-mappings", h.apiToken, map[string]any{
		"mappings": []map[string]string{{"idpGroup": "g-sales", "workspaceGroup": "Sales"}, {"idpGroup": "g-env", "workspaceGroup": "builder"}},
	})
	if res.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.Code, res.Body.String())
	}
	got := decodeBody[mappingsOutJSON](t, res.Body.String())
	want := []mappingRow{
		{IdPGroup: "g-env", WorkspaceGroup: "admin", Source: sourceEnv},
		{IdPGroup: "g-sales", WorkspaceGroup: "Sales", Source: sourceUI},
		{IdPGroup: "g-env", WorkspaceGroup: "builder", Source: sourceUI, Overridden: true},
	}
	if !reflect.DeepEqual(got.Mappings, want) || got.Environment.Variable != "TJ_SAML_GROUP_MAPPINGS__acme" || got.Environment.Error != "" {
		t.Errorf("mappings: %+v", got)
	}
	// Without "mappings" nothing is removed; [] removes the UI rows.
	if res := h.api(http.MethodPut, "/api/v1/workspaces/acme/group-mappings", h.apiToken, map[string]any{}); res.Code != http.StatusBadRequest {
		t.Errorf("PUT {}: %d", res.Code)
	}
	if rows, _ := h.st.ListGroupMappings(h.ctx, h.ws.ID); len(rows) != 2 {
		t.Errorf("rows after a refused PUT: %+v", rows)
	}
	h.envErr["acme"] = "not a JSON object"
	got = decodeBody[mappingsOutJSON](t, h.api(http.MethodGet, "/api/v1/workspaces/acme/group-mappings", h.apiToken, nil).Body.String())
	if got.Environment.Error != "not a JSON object" {
		t.Errorf("environment error not reported: %+v", got.Environment)
	}

	members := decodeBody[struct {
		Members []memberJSON `json:"members"`
	}](t, h.api(http.MethodGet, "/api/v1/workspaces/acme/members", h.apiToken, nil).Body.String()).Members
	roles := map[string]string{}
	for _, m := range members {
		roles[m.Email] = m.Role
	}
	if roles[h.adminUser.Email] != "admin" || roles[h.builderUser.Email] != "builder" || len(members) != 2 {
		t.Errorf("members: %+v", members)
	}
	groups := decodeBody[map[string][]groupJSON](t, h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", h.apiToken, nil).Body.String())["groups"]
	if len(groups) != 1 || groups[0].Name != "Sales" || !groups[0].CanEditApps {
		t.Errorf("groups: %+v", groups)
	}
	if err := h.st.RecordSeenIdPGroups(h.ctx, h.ws.ID, []string{"g-sales", "g-new"}, h.now); err != nil {
		t.Fatal(err)
	}
	seen := decodeBody[map[string][]seenGroupJSON](t, h.api(http.MethodGet, "/api/v1/workspaces/acme/idp-groups-seen", h.apiToken, nil).Body.String())["idpGroupsSeen"]
	mapped := map[string]string{}
	for _, s := range seen {
		mapped[s.Value] = s.MappedTo
	}
	if len(seen) != 2 || mapped["g-sales"] != "Sales" || mapped["g-new"] != "" {
		t.Errorf("seen: %+v", seen)
	}
}
