package web

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

func TestEmailMissingListsArrivedAttributes(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	id := e.startLogin(e.client, "")
	resp := e.postACS(e.client, e.response(id, "opaque-subject-id", map[string][]string{"department": {"R&D"}, "employeeNumber": {"42"}}), "")
	page := body(t, resp)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "department") || !strings.Contains(page, "employeeNumber") {
		t.Fatalf("missing email: %d, want 403 naming the attributes that arrived:\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, "R&amp;D") || strings.Contains(page, ">42<") {
		t.Error("the page shows attribute values")
	}
	if e.countUsers() != 0 {
		t.Error("a user without email was created")
	}
}

func TestGroupSyncThroughACS(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	ctx := context.Background()
	if _, err := e.svc.CreateGroup(ctx, "", e.ws.ID, "Engineering", false); err != nil {
		t.Fatal(err)
	}
	e.cfg.GroupSync = true
	must(t, e.st.SaveSAMLConfig(ctx, e.cfg))
	id := e.startLogin(e.client, "")
	attrs := emailAttrs("lee@example.com")
	attrs["groups"] = []string{"Engineering", "Admin", "Unknown"}
	resp := e.postACS(e.client, e.response(id, "nameid-lee", attrs), "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ACS %d", resp.StatusCode)
	}
	page := body(t, e.get(e.client, "/w/acme"))
	if !regexp.MustCompile(`data-testid="role">admin<`).MatchString(page) || !strings.Contains(page, "Engineering") {
		t.Errorf("group sync not applied (want role admin and group Engineering):\n%s", page)
	}
}

func TestInvitedMemberActivatedBySSO(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: false})
	ctx := context.Background()
	u := &store.User{Email: "mo@example.com", Name: "Mo"}
	must(t, e.st.CreateUser(ctx, u))
	must(t, e.st.CreateMembership(ctx, &store.Membership{WorkspaceID: e.ws.ID, UserID: u.ID, Status: store.StatusInvited, Role: "builder"}))
	resp := e.signIn(e.client, "mo@example.com", "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme" {
		t.Fatalf("invited member: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	m, err := e.st.GetMembership(ctx, e.ws.ID, u.ID)
	must(t, err)
	if m.Status != store.StatusActive || m.Role != "builder" {
		t.Errorf("membership %s/%s, want active/builder", m.Status, m.Role)
	}
}

func TestSessionIsBoundToItsWorkspace(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	other := &store.Workspace{Name: "Other", Slug: "other"}
	must(t, e.st.CreateWorkspace(context.Background(), other))
	e.signIn(e.client, "nia@example.com", "").Body.Close()
	resp := e.get(e.client, "/w/other")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login/other") {
		t.Errorf("acme session on /w/other: %d to %q, want the other sign-in page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestOversizedOrGarbageResponseIs400(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	genericFailure(t, e.postACS(e.client, "not base64 !!!", ""), http.StatusBadRequest)
	big := base64.StdEncoding.EncodeToString(make([]byte, e.web.maxResponseBytes()+1024))
	genericFailure(t, e.postACS(e.client, big, ""), http.StatusBadRequest)
	if n := len(e.audit("login.failure")); n != 2 {
		t.Errorf("login.failure events = %d, want 2", n)
	}
}

func TestPostBindingLoginCompletes(t *testing.T) {
	e := newTestEnv(t, testOptions{signup: true})
	e.cfg.MetadataXML = regexp.MustCompile(`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*/>`).
		ReplaceAllString(e.cfg.MetadataXML, "")
	must(t, e.st.SaveSAMLConfig(context.Background(), e.cfg))
	page := body(t, e.get(e.client, "/api/sso/saml/"+e.cfg.ID+"/login?redirect_to=%2Fw%2Facme%3Fx%3D1"))
	m := regexp.MustCompile(`name="SAMLRequest" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no SAMLRequest field:\n%s", page)
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	must(t, err)
	id := requestIDRe.FindSubmatch(raw)
	if id == nil {
		t.Fatalf("no ID in %s", raw)
	}
	resp := e.postACS(e.client, e.response(string(id[1]), "nameid-ola", emailAttrs("ola@example.com")), "")
	body(t, resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/w/acme?x=1" {
		t.Fatalf("ACS after POST binding: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
