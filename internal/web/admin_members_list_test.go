package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// syncedConfig stores an enabled SAML config with group sync on and links
// user to it, as a first SSO sign-in would.
func (h *harness) syncedConfig(user *store.User, groupSync bool) *store.SAMLConfig {
	h.t.Helper()
	cfg := &store.SAMLConfig{WorkspaceID: h.ws.ID, Enabled: true, Name: "Entra ID", GroupSync: groupSync, GroupAttribute: "groups",
		IdPInitiated: store.IdPInitiatedBounce}
	if err := h.st.SaveSAMLConfig(h.ctx, cfg); err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.CreateSSOLink(h.ctx, cfg.ID, "nameid-"+user.ID, user.ID, h.now); err != nil {
		h.t.Fatal(err)
	}
	return cfg
}

// TestMembersShowWhatGroupSyncManages: with sync on, a member who signs
// in with SSO is marked, and changing their role says the change lasts
// only until their next sign-in; members without SSO are not marked.
func TestMembersShowWhatGroupSyncManages(t *testing.T) {
	h := newHarness(t)
	h.syncedConfig(h.builderUser, true)
	body := h.get("/settings/acme/members", h.adminToken).Body.String()
	if !strings.Contains(body, "Group sync is on (Entra ID)") {
		t.Error("no group sync note")
	}
	row := between(body, "<td>"+h.builderUser.Email, "</tr>")
	if !strings.Contains(row, "managed by sync") {
		t.Error("synced member not marked")
	}
	if strings.Contains(between(body, "<td>"+h.adminUser.Email, "</tr>"), "managed by sync") {
		t.Error("password member marked as synced")
	}
	page := h.postFollow("/settings/acme/members", h.adminToken, url.Values{"action": {"role"}, "user_id": {h.builderUser.ID}, "role": {"end-user"}})
	if !strings.Contains(page.Body.String(), "Group sync is on: "+h.builderUser.Email+"&#39;s role and groups are set again") {
		t.Errorf("no sync warning after editing a synced member:\n%s", between(page.Body.String(), "<h1>", "<form"))
	}
	// The API reports it too, and filters by it.
	var out struct {
		Members []memberJSON `json:"members"`
		Total   int          `json:"total"`
	}
	res := h.api(http.MethodGet, "/api/v1/workspaces/acme/members?sync=managed", h.apiToken, nil)
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil || out.Total != 1 || !out.Members[0].ManagedBySync || out.Members[0].Email != h.builderUser.Email {
		t.Fatalf("API sync=managed: %v %s", err, res.Body.String())
	}
}

// TestMembersUnmanagedWhenSyncOff: the same link with sync off marks nobody.
func TestMembersUnmanagedWhenSyncOff(t *testing.T) {
	h := newHarness(t)
	h.syncedConfig(h.builderUser, false)
	if body := h.get("/settings/acme/members", h.adminToken).Body.String(); strings.Contains(body, "managed by sync</span>\n    </td>") || strings.Contains(body, "Group sync is on") {
		t.Error("members marked as synced while sync is off")
	}
}

// TestMembersSearchFilterPage: search by email or name, filters by role,
// group and status, and pages of 50 with links that keep the filters.
func TestMembersSearchFilterPage(t *testing.T) {
	h := newHarness(t)
	sales := h.createGroup("Sales", false)
	for i := range 120 {
		role := "end-user"
		if i%10 == 0 {
			role = "builder"
		}
		u, _ := h.member(h.ws, fmt.Sprintf("user%03d@acme.example", i), role)
		if i%3 == 0 {
			if err := h.st.AddGroupMember(h.ctx, sales.ID, u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	body := h.get("/settings/acme/members", h.adminToken).Body.String()
	if !strings.Contains(body, "Showing 1–50 of 122 member(s).") || !strings.Contains(body, `rel="next"`) {
		t.Fatalf("first page: %s", between(body, `id="member-count"`, "</p>"))
	}
	body = h.get("/settings/acme/members?page=3", h.adminToken).Body.String()
	if !strings.Contains(body, "Showing 101–122 of 122 member(s).") || strings.Contains(body, `rel="next"`) {
		t.Errorf("last page: %s", between(body, `id="member-count"`, "</p>"))
	}
	for q, want := range map[string]string{
		"q=USER01":                 "of 10 member(s)",  // user010..user019, case-insensitive
		"role=builder":             "of 13 member(s)",  // 12 + bob
		"group=Sales":              "of 40 member(s)",  // every third
		"group=Sales&role=builder": "of 4 member(s)",   // 0, 30, 60, 90
		"status=archived":          "No members match", // none yet
		"q=ada":                    "of 1 member(s)",   // by name or email
	} {
		body := h.get("/settings/acme/members?"+q, h.adminToken).Body.String()
		if !strings.Contains(body, want) {
			t.Errorf("%s: %s, want %q", q, between(body, `id="member-count"`, "</p>"), want)
		}
	}
	// An action from a filtered page comes back to the same filters.
	res := h.post("/settings/acme/members", h.adminToken, url.Values{"action": {"add_group"}, "user_id": {h.builderUser.ID},
		"group_id": {sales.ID}, "back": {"role=builder&page=1&evil=x"}})
	if loc := res.Header().Get("Location"); loc != "/settings/acme/members?role=builder" {
		t.Errorf("redirect after a filtered action: %q", loc)
	}
	// The API pages the same way.
	var out struct {
		Members []memberJSON `json:"members"`
		Total   int          `json:"total"`
		Next    string       `json:"next"`
	}
	r := h.api(http.MethodGet, "/api/v1/workspaces/acme/members?group=Sales&perPage=15", h.apiToken, nil)
	if err := json.Unmarshal(r.Body.Bytes(), &out); err != nil || out.Total != 41 || len(out.Members) != 15 ||
		out.Next != "/api/v1/workspaces/acme/members?group=Sales&page=2&perPage=15" {
		t.Fatalf("API page: %v total=%d n=%d next=%q", err, out.Total, len(out.Members), out.Next)
	}
}

// BenchmarkMembersPage renders the members page of a workspace with
// 10,000 members (search and paging included), the size of an
// Entra-synced tenant; docs/performance.md records the result.
func BenchmarkMembersPage(b *testing.B) {
	h := newHarness(b)
	benchMembers(b, h, 10_000)
	b.ResetTimer()
	for range b.N {
		res := h.get("/settings/acme/members?q=user09", h.adminToken)
		if res.Code != http.StatusOK {
			b.Fatal(res.Code)
		}
	}
}

// BenchmarkMembersAPI is the JSON API's list of the same workspace.
func BenchmarkMembersAPI(b *testing.B) {
	h := newHarness(b)
	benchMembers(b, h, 10_000)
	b.ResetTimer()
	for range b.N {
		if res := h.api(http.MethodGet, "/api/v1/workspaces/acme/members?perPage=100", h.apiToken, nil); res.Code != http.StatusOK {
			b.Fatal(res.Code)
		}
	}
}

// benchMembers adds n members, a tenth of them in a group, in one transaction.
func benchMembers(b *testing.B, h *harness, n int) {
	g := &store.Group{WorkspaceID: h.ws.ID, Name: "Sales"}
	err := h.st.InTx(h.ctx, func(q store.Queries) error {
		if err := q.CreateGroup(h.ctx, g); err != nil {
			return err
		}
		for i := range n {
			u := &store.User{Email: fmt.Sprintf("user%05d@acme.example", i), Name: fmt.Sprintf("User %d", i)}
			if err := q.CreateUser(h.ctx, u); err != nil {
				return err
			}
			if err := q.CreateMembership(h.ctx, &store.Membership{WorkspaceID: h.ws.ID, UserID: u.ID, Status: store.StatusActive, Role: "end-user"}); err != nil {
				return err
			}
			if i%10 == 0 {
				if err := q.AddGroupMember(h.ctx, g.ID, u.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
