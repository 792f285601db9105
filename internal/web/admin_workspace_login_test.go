package web

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// samlForm is a complete SAML form submission.
func samlForm(metadata string) url.Values {
	return url.Values{
		"section": {"saml"}, "enabled": {"on"}, "name": {"Entra ID"}, "metadata_xml": {metadata},
		"idp_initiated": {"bounce"}, "clock_skew": {"2m"}, "group_sync": {"on"}, "group_attribute": {"groups"},
	}
}

func TestWorkspaceLoginSaveGoodMetadata(t *testing.T) {
	h := newHarness(t)
	idp, md := goodMetadata(t)
	res := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(md))
	body := res.Body.String()
	if res.Code != http.StatusOK {
		t.Fatalf("status %d, body:\n%s", res.Code, body)
	}
	cfg, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
	if err != nil {
		t.Fatalf("config not stored: %v", err)
	}
	if cfg.IdPEntityID != idp.EntityID || !cfg.Enabled || cfg.Name != "Entra ID" || !cfg.GroupSync ||
		cfg.ClockSkew.String() != "2m0s" || cfg.IdPInitiated != store.IdPInitiatedBounce || cfg.GroupAttribute != "groups" {
		t.Errorf("stored config: %+v", cfg)
	}
	redirect := "https://sso.example.com/api/sso/saml/" + cfg.ID
	for _, want := range []string{
		"SAML settings saved",
		idp.EntityID,
		idp.SSOURL,
		saml.CertSHA256(idp.Cert),
		idp.Cert.Subject.String(),
		`id="redirect-url" value="` + redirect + `" readonly`,
		`data-copy="redirect-url"`,
		`href="/api/sso/saml/` + cfg.ID + `/metadata"`,
		"Identifier (Entity ID)",
		"Reply URL (Assertion Consumer Service URL)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Reloading the page shows the same preview from the stored config.
	get := h.get("/settings/acme/workspace-login", h.adminToken)
	if get.Code != http.StatusOK || !strings.Contains(get.Body.String(), redirect) || !strings.Contains(get.Body.String(), saml.CertSHA256(idp.Cert)) {
		t.Errorf("GET after save: %d, lacks the Redirect URL or fingerprint", get.Code)
	}
}

func TestWorkspaceLoginBadMetadataSavesNothing(t *testing.T) {
	for name, c := range badMetadata(t) {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			// First without any config, then over a good one.
			res := h.post("/settings/acme/workspace-login", h.adminToken, samlForm(c.xml))
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Code)
			}
			if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("a config was stored: %v", err)
			}
			_, good := goodMetadata(t)
			if res := h.postFollow("/settings/acme/workspace-login", h.adminToken, samlForm(good)); res.Code != http.StatusOK {
				t.Fatalf("good save: %d", res.Code)
			}
			before, _ := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
			form := samlForm(c.xml)
			form.Set("name", "Changed")
			form.Del("enabled")
			res = h.post("/settings/acme/workspace-login", h.adminToken, form)
			body := res.Body.String()
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Code)
			}
			for _, want := range []string{"Nothing was saved.", "Identity provider metadata: ", c.want} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			// The submitted values are shown back, not the stored ones.
			if !strings.Contains(body, `id="saml-name" name="name" value="Changed"`) {
				t.Error("submitted SSO name not shown back")
			}
			after, _ := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID)
			if !reflect.DeepEqual(before, after) {
				t.Errorf("config changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

func TestWorkspaceLoginFieldErrors(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	form := samlForm(md)
	form.Set("clock_skew", "1h")
	res := h.post("/settings/acme/workspace-login", h.adminToken, form)
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Clock skew: must be between 0s and 10m.") {
		t.Fatalf("status %d; body lacks the clock skew message", res.Code)
	}
	if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a config was stored: %v", err)
	}
}

func TestWorkspaceLoginNeedsAdminAndCSRF(t *testing.T) {
	h := newHarness(t)
	_, md := goodMetadata(t)
	if res := h.get("/settings/acme/workspace-login", h.builderToken); res.Code != http.StatusForbidden {
		t.Errorf("builder GET: %d, want 403", res.Code)
	}
	if res := h.post("/settings/acme/workspace-login", h.builderToken, samlForm(md)); res.Code != http.StatusForbidden {
		t.Errorf("builder POST: %d, want 403", res.Code)
	}
	if res := h.postNoCSRF("/settings/acme/workspace-login", h.adminToken, samlForm(md)); res.Code != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", res.Code)
	}
	if res := h.get("/settings/acme/workspace-login", ""); res.Code != http.StatusSeeOther {
		t.Errorf("signed out GET: %d, want 303 to the sign-in page", res.Code)
	}
	if _, err := h.st.GetSAMLConfigByWorkspace(h.ctx, h.ws.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused request stored a config: %v", err)
	}
}
