package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAPITokensCreateUseDelete(t *testing.T) {
	h := newHarness(t)
	res := h.postFollow("/settings/acme/api-tokens", h.adminToken, url.Values{"action": {"create"}, "name": {"terraform"}})
	if res.Code != http.StatusOK {
		t.Fatalf("create: %d", res.Code)
	}
	token := between(res.Body.String(), `id="new-token" value="`, `"`)
	if len(token) < 20 {
		t.Fatalf("token not shown: %q", token)
	}
	if r := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", token, nil); r.Code != http.StatusOK {
		t.Fatalf("new token refused: %d", r.Code)
	}
	// Shown once: the list does not repeat it.
	list := h.get("/settings/acme/api-tokens", h.adminToken).Body.String()
	if strings.Contains(list, token) || !strings.Contains(list, "terraform") {
		t.Fatal("list shows the token value or lacks its name")
	}
	tokens, _ := h.st.ListAPITokens(h.ctx, h.ws.ID)
	var id string
	for _, tk := range tokens {
		if tk.Name == "terraform" {
			id = tk.ID
		}
	}
	if res := h.postFollow("/settings/acme/api-tokens", h.adminToken, h.confirmed("/settings/acme/api-tokens", h.adminToken, url.Values{"action": {"delete"}, "token_id": {id}})); res.Code != http.StatusOK {
		t.Fatalf("delete: %d", res.Code)
	}
	if r := h.api(http.MethodGet, "/api/v1/workspaces/acme/groups", token, nil); r.Code != http.StatusUnauthorized {
		t.Fatalf("deleted token: %d", r.Code)
	}
	if res := h.post("/settings/acme/api-tokens", h.builderToken, url.Values{"action": {"create"}, "name": {"x"}}); res.Code != http.StatusForbidden {
		t.Errorf("builder create: %d", res.Code)
	}
}
