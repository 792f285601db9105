package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// hiddenFields are the hidden inputs of a confirmation page (the CSRF
// token aside), as the browser would post them back.
func hiddenFields(body string) url.Values {
	f := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		if m[1] != csrfField {
			f.Add(m[1], htmlUnescape(m[2]))
		}
	}
	return f
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">").Replace(s)
}

// TestConfirmPageCannotBeRetargeted (security review, finding 5): a crafted
// link to a confirmation page must never lead to a form that does
// something else than the page says. The page says "Remove bob from
// Sales?"; clicking it must not add bob to the group, and "Archive bob?"
// must not unarchive.
func TestConfirmPageCannotBeRetargeted(t *testing.T) {
	h := newHarness(t)
	g := h.createGroup("Sales", false)
	bob := h.builderUser.ID
	// Crafted: remove_group's page, add_group's action.
	page := h.get("/settings/acme/confirm/member.remove_group?action=add_group&user_id="+bob+"&group_id="+g.ID, h.adminToken)
	if page.Code == http.StatusOK {
		h.post("/settings/acme/members", h.adminToken, hiddenFields(page.Body.String()))
	}
	if gs, _ := h.st.MemberGroups(h.ctx, h.ws.ID, bob); len(gs) != 0 {
		t.Errorf("the page said remove from Sales, the click added to it (page %d)", page.Code)
	}
	// Crafted: archive's page, unarchive's action.
	if err := h.svc.SetMemberStatus(h.ctx, h.adminUser.ID, h.ws.ID, bob, store.StatusArchived); err != nil {
		t.Fatal(err)
	}
	page = h.get("/settings/acme/confirm/member.archive?action=unarchive&user_id="+bob, h.adminToken)
	if page.Code == http.StatusOK {
		h.post("/settings/acme/members", h.adminToken, hiddenFields(page.Body.String()))
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, bob); m.Status != store.StatusArchived {
		t.Errorf("the page said archive, the click unarchived (page %d)", page.Code)
	}
}

// TestConfirmLinkIsSignedPerSession: the link and the confirmed form are
// signed for the admin's session; another admin's session, an unsigned
// link, or a confirmed form with a changed field never act.
func TestConfirmLinkIsSignedPerSession(t *testing.T) {
	h := newHarness(t)
	_, carol := h.member(h.ws, "carol@acme.example", "admin")
	bob := h.builderUser.ID
	res := h.post("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {bob}})
	link := res.Header().Get("Location")
	if !strings.Contains(link, "sig=") {
		t.Fatalf("unsigned confirmation link %q", link)
	}
	if page := h.get(link, carol); page.Code != http.StatusBadRequest {
		t.Errorf("another admin opened the link: %d, want 400", page.Code)
	}
	if page := h.get("/settings/acme/confirm/member.archive?user_id="+bob, h.adminToken); page.Code != http.StatusBadRequest {
		t.Errorf("unsigned link: %d, want 400", page.Code)
	}
	// The confirmed form with another target: asked again, nothing done.
	f := h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {bob}})
	f.Set("user_id", h.adminUser.ID)
	res = h.post("/settings/acme/members", h.adminToken, f)
	if res.Code != http.StatusSeeOther || !strings.Contains(res.Header().Get("Location"), "/confirm/member.archive?") {
		t.Errorf("tampered confirmed form: %d %q, want the confirmation page again", res.Code, res.Header().Get("Location"))
	}
	// Another admin replaying the signed form: asked again.
	f = h.confirmed("/settings/acme/members", h.adminToken, url.Values{"action": {"archive"}, "user_id": {bob}})
	if res = h.post("/settings/acme/members", carol, f); res.Code != http.StatusSeeOther {
		t.Errorf("replayed in another session: %d", res.Code)
	}
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, bob); m.Status != store.StatusActive {
		t.Fatalf("archived without a valid confirmation: %q", m.Status)
	}
	// The real form acts.
	h.postFollow("/settings/acme/members", h.adminToken, f)
	if m, _ := h.st.GetMembership(h.ctx, h.ws.ID, bob); m.Status != store.StatusArchived {
		t.Fatalf("confirmed archive did not archive: %q", m.Status)
	}
}
