package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/e2e/idp"
)

// SCIM provisioning (issue 14): Entra's requests replayed by the test
// against the real server, the user's side in Chromium at SimpleSAMLphp.
const (
	scimSlug      = "scim-co"
	guidAdmins    = "2f5c1a9e-7b3d-4e8f-a1c2-3d4e5f6a7b8c"
	guidEngineers = "9b0e4d2c-1a3f-4b5e-8c7d-6e5f4a3b2c1d"
)

func TestSCIMJourney(t *testing.T) {
	requireDeps(t)
	sam := idp.User{Username: "sam", Password: "sam-idp-pw", UID: "u-sam", Email: "sam@scim.example", GivenName: "Sam", Surname: "Sparks"}
	p := startIdP(t, []idp.User{sam})
	mapping := `{"` + guidAdmins + `": "admin", "` + guidEngineers + `": "builder"}`
	g := startGatehouse(t, "TJ_SAML_GROUP_MAPPINGS__scim_co="+mapping)
	g.cli(t, "", "workspace", "create", "--name", "SCIM Co", "--slug", scimSlug)
	g.cli(t, adminPassword+"\n", "user", "create", "--email", "admin@scim.example", "--workspace", scimSlug, "--role", "admin", "--password-stdin")
	g.cli(t, "", "workspace", "login-settings", "--workspace", scimSlug, "--signup", "off", "--password-login", "on")
	acs := g.configureSAML(t, p, scimSlug, "--group-sync", "on", "--group-attribute", "groups")
	if err := p.RegisterSP(idp.SP{EntityID: acs, ACS: acs}); err != nil {
		t.Fatal(err)
	}
	out := g.cli(t, "", "scim", "token", "--workspace", scimSlug)
	m := regexp.MustCompile(`Secret Token: (gtscim_\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("scim token printed no token:\n%s", out)
	}
	sc := &scimClient{t: t, base: g.url + "/scim/v2/" + scimSlug, token: m[1]}

	// Entra's cycle: the user, then the groups with their members.
	userID := sc.do("POST", "/Users", map[string]any{
		"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"}, "externalId": "sam-object-id",
		"userName": sam.Email, "active": true, "name": map[string]any{"givenName": "Sam", "familyName": "Sparks"},
		"emails": []any{map[string]any{"primary": true, "type": "work", "value": sam.Email}},
	}, 201)["id"].(string)
	admins := sc.do("POST", "/Groups", map[string]any{"displayName": "Gatehouse Admins", "externalId": guidAdmins,
		"members": []any{map[string]any{"value": userID}}}, 201)["id"].(string)

	r := runJourney(t, "scim_leaver.mjs", map[string]string{"GATEHOUSE_URL": g.url, "SLUG": scimSlug, "SSO_NAME": ssoName,
		"IDP_USER": sam.Username, "IDP_PASSWORD": sam.Password, "EMAIL": sam.Email, "EXPECT_ROLE": "admin",
		"SCIM_TOKEN": sc.token, "SCIM_USER_ID": userID})
	if r["signedInAfter"] != false {
		t.Fatalf("journey result %v", r)
	}
	if mv := g.userShow(t, sam.Email, scimSlug); mv.Status != "archived" {
		t.Fatalf("server side after active:false: %+v, want archived", mv)
	}

	// Reactivated, then a group push moves sam from admin to builder: the
	// next sign-in, the Members page and the audit log show it.
	sc.do("PATCH", "/Users/"+userID, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": true}}}}, 200)
	sc.do("PATCH", "/Groups/"+admins, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "Remove", "path": `members[value eq "` + userID + `"]`}}}, 204)
	sc.do("POST", "/Groups", map[string]any{"displayName": "Engineers", "externalId": guidEngineers,
		"members": []any{map[string]any{"value": userID}}}, 201)
	if mv := g.userShow(t, sam.Email, scimSlug); mv.Role != "builder" || mv.Status != "active" {
		t.Fatalf("server side after the group push: %+v, want an active builder", mv)
	}
	res := runJourney(t, "group_sync.mjs", map[string]string{"GATEHOUSE_URL": g.url, "SLUG": scimSlug, "SSO_NAME": ssoName,
		"IDP_USER": sam.Username, "IDP_PASSWORD": sam.Password, "EMAIL": sam.Email,
		"ADMIN_EMAIL": "admin@scim.example", "ADMIN_PASSWORD": adminPassword,
		"PHASE": "second", "EXPECT_ROLE": "builder", "EXPECT_GROUPS": ""})
	rows, _ := res["audit"].([]any)
	var pushed, archived bool
	for _, x := range rows {
		row, _ := x.(string)
		pushed = pushed || strings.Contains(row, "groupsync") && strings.Contains(row, "admin -> builder") && strings.Contains(row, "SCIM")
		archived = archived || strings.Contains(row, "membership.status") && strings.Contains(row, "archived")
	}
	if !pushed || !archived {
		t.Errorf("audit log for sam: group push found=%v, deactivation found=%v; rows:\n%s", pushed, archived, joinRows(rows))
	}
}

// scimClient sends Entra-shaped SCIM requests.
type scimClient struct {
	t           *testing.T
	base, token string
}

// do sends a request and checks its status; it returns the JSON body.
func (c *scimClient) do(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, bytes.NewReader(raw))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/scim+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != want {
		c.t.Fatalf("SCIM %s %s: %d, want %d: %v", method, path, res.StatusCode, want, out)
	}
	return out
}
