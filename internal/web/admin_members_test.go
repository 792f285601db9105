package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestMembersListAndRoleChange(t *testing.T) {
	h := newHarness(t)
	body := h.get("/settings/acme/members", h.adminToken).Body.String()
	for _, want := range []string{h.adminUser.Email, h.builderUser.Email, "Change role"} {
		if !strings.Contains(body, want) {
			t.Errorf("members page lacks %q", want)
		}
	}
	res := h.postFollow("/settings/acme/members", h.adminToken, url.Values{"action": {"role"}, "user_id": {h.builderUser.ID}, "role": {"end-user"}})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Role changed.") {
		t.Fatalf("role change: %d", res.Code)
	}
	m, err := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID)
	if err != nil || m.Role != "end-user" {
		t.Fatalf("role not stored: %+v %v", m, err)
	}
}

func TestMembersAdminCannotDemoteThemselves(t *testing.T) {
	h := newHarness(t)
	res := h.post("/settings/acme/members", h.adminToken, h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"role"}, "user_id": {h.adminUser.ID}, "role": {"builder"}}))
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.Code)
	}
	if !strings.Contains(res.Body.String(), "You cannot archive or demote yourself") {
		t.Error("page does not explain the self-lockout rule")
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.adminUser.ID); m.Role != "admin" {
		t.Errorf("admin demoted themselves to %q", m.Role)
	}
}

func TestMembersArchiveAndGroups(t *testing.T) {
	h := newHarness(t)
	g := h.createGroup("Sales", false)
	res := h.postFollow("/settings/acme/members", h.adminToken, url.Values{"action": {"add_group"}, "user_id": {h.builderUser.ID}, "group_id": {g.ID}})
	if res.Code != http.StatusOK {
		t.Fatalf("add to group: %d", res.Code)
	}
	if gs, _ := h.st.MemberGroups(h.ctx, h.ws.ID, h.builderUser.ID); len(gs) != 1 || gs[0].ID != g.ID {
		t.Fatalf("groups after add: %+v", gs)
	}
	h.postFollow("/settings/acme/members", h.adminToken, h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"remove_group"}, "user_id": {h.builderUser.ID}, "group_id": {g.ID}}))
	if gs, _ := h.st.MemberGroups(h.ctx, h.ws.ID, h.builderUser.ID); len(gs) != 0 {
		t.Fatalf("groups after remove: %+v", gs)
	}
	h.postFollow("/settings/acme/members", h.adminToken, h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {h.builderUser.ID}}))
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Status != store.StatusArchived {
		t.Fatalf("status after archive: %q", m.Status)
	}
	body := h.get("/settings/acme/members", h.adminToken).Body.String()
	if !strings.Contains(body, "Unarchive "+h.builderUser.Email) {
		t.Error("archived member lacks the unarchive button")
	}
	h.postFollow("/settings/acme/members", h.adminToken, url.Values{"action": {"unarchive"}, "user_id": {h.builderUser.ID}})
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.builderUser.ID); m.Status != store.StatusActive {
		t.Fatalf("status after unarchive: %q", m.Status)
	}
}

func TestGroupsCreateRenameDelete(t *testing.T) {
	h := newHarness(t)
	res := h.postFollow("/settings/acme/groups", h.adminToken, url.Values{"action": {"create"}, "name": {"Sales"}, "can_edit_apps": {"on"}})
	if res.Code != http.StatusOK {
		t.Fatalf("create: %d\n%s", res.Code, res.Body.String())
	}
	groups, _ := h.st.ListGroups(h.ctx, h.ws.ID)
	if len(groups) != 1 || groups[0].Name != "Sales" || !groups[0].CanEditApps {
		t.Fatalf("after create: %+v", groups)
	}
	id := groups[0].ID
	res = h.postFollow("/settings/acme/groups", h.adminToken, url.Values{"action": {"update"}, "group_id": {id}, "name": {"Sales EU"}})
	if res.Code != http.StatusOK {
		t.Fatalf("rename: %d", res.Code)
	}
	if g, _ := h.st.GetGroup(h.ctx, id); g.Name != "Sales EU" || g.CanEditApps {
		t.Fatalf("after rename: %+v", g)
	}
	res = h.postFollow("/settings/acme/groups", h.adminToken, h.confirmed("/settings/acme/groups", h.adminToken, url.Values{"action": {"delete"}, "group_id": {id}}))
	if res.Code != http.StatusOK {
		t.Fatalf("delete: %d", res.Code)
	}
	if groups, _ := h.st.ListGroups(h.ctx, h.ws.ID); len(groups) != 0 {
		t.Fatalf("after delete: %+v", groups)
	}
}

func TestGroupsReservedNameRefused(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"admin", "Builder", "END-USER"} {
		res := h.post("/settings/acme/groups", h.adminToken, url.Values{"action": {"create"}, "name": {name}})
		if res.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", name, res.Code)
		}
		if !strings.Contains(res.Body.String(), "is a role name (admin, builder, end-user are reserved, in any case).") {
			t.Errorf("%s: no reserved-name message", name)
		}
	}
	g := h.createGroup("Ops", false)
	res := h.post("/settings/acme/groups", h.adminToken, url.Values{"action": {"update"}, "group_id": {g.ID}, "name": {"admin"}})
	if res.Code != http.StatusUnprocessableEntity {
		t.Errorf("rename to admin: %d", res.Code)
	}
	if groups, _ := h.st.ListGroups(h.ctx, h.ws.ID); len(groups) != 1 || groups[0].Name != "Ops" {
		t.Errorf("groups: %+v", groups)
	}
}

func TestGroupOfAnotherWorkspaceUntouchable(t *testing.T) {
	h := newHarness(t)
	other := h.otherWorkspaceGroup("Finance")
	// The confirmation page is a 404; a confirmed POST (signed for this
	// session, as a page of this workspace would sign it) is refused.
	form := url.Values{"action": {"delete"}, "group_id": {other.ID}}
	if page := h.follow(h.post("/settings/acme/groups", h.adminToken, form), h.adminToken); page.Code != http.StatusNotFound {
		t.Errorf("confirmation page of another workspace's group: %d", page.Code)
	}
	req := h.newRequest(http.MethodGet, "/settings/acme/groups", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookieName("acme"), Value: h.adminToken})
	sig := h.srv.confirmSig(withAuth(req, &authInfo{Workspace: h.ws}), "group.delete", form)
	form.Set(confirmedField, "yes")
	form.Set(confirmSigField, sig)
	res := h.post("/settings/acme/groups", h.adminToken, form)
	if res.Code < 400 || res.Code >= 500 {
		t.Errorf("deleting another workspace's group: %d, want a 4xx", res.Code)
	}
	if _, err := h.st.GetGroup(h.ctx, other.ID); err != nil {
		t.Errorf("other workspace's group gone: %v", err)
	}
}

func TestMembersLastAdminCannotBeArchived(t *testing.T) {
	h := newHarness(t)
	res := h.post("/settings/acme/members", h.adminToken, h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {h.adminUser.ID}}))
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.Code)
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, h.adminUser.ID); m.Status != store.StatusActive {
		t.Errorf("last admin archived: %q", m.Status)
	}
}
