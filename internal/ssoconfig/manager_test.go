package ssoconfig

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
	"github.com/gatehouse-sso/gatehouse/internal/workspace"
)

// TestConfigureSavesAndRefuses runs the path the CLI takes, without any
// web server: a good document is saved with its preview and Redirect URL;
// refused input is a typed error and changes nothing.
func TestConfigureSavesAndRefuses(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	svc := &workspace.Service{Store: st, Now: func() time.Time { return now }}
	if _, err := svc.CreateWorkspace(ctx, "", "Acme", "acme"); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Store: st, Service: svc, PublicURL: "https://sso.example.com/", Now: svc.Now})
	idp, err := samltest.NewIdP("https://idp.example.com/md")
	if err != nil {
		t.Fatal(err)
	}

	in, err := m.InputForWorkspace(ctx, "acme")
	if err != nil || !in.Enabled || in.IdPInitiated != "bounce" || in.ClockSkew != "3m" {
		t.Fatalf("defaults of a new config: %+v %v", in, err)
	}
	in.MetadataXML, in.Name = string(idp.MetadataXML()), "Entra ID"
	res, err := m.Configure(ctx, "acme", "", in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Preview.EntityID != idp.EntityID || res.RedirectURL != "https://sso.example.com/api/sso/saml/"+res.Config.ID {
		t.Errorf("result: preview %+v, Redirect URL %q", res.Preview, res.RedirectURL)
	}

	for name, bad := range map[string]Input{
		"field":    {ClockSkew: "1h"},
		"metadata": {MetadataXML: "<EntityDescriptor"},
	} {
		_, err := m.Configure(ctx, "acme", "", bad)
		var fe *FieldError
		var me *saml.MetadataError
		if name == "field" && (!errors.As(err, &fe) || fe.Field != "clock_skew") {
			t.Errorf("%s: %v, want a FieldError on clock_skew", name, err)
		}
		if name == "metadata" && !errors.As(err, &me) {
			t.Errorf("%s: %v, want a *saml.MetadataError", name, err)
		}
		if msg, _, refused := Refusal(err); !refused || msg == "" {
			t.Errorf("%s: Refusal = %q, %v", name, msg, refused)
		}
	}
	cfg, err := st.GetSAMLConfig(ctx, res.Config.ID)
	if err != nil || cfg.Name != "Entra ID" || cfg.ClockSkew != 3*time.Minute {
		t.Errorf("a refused save changed the stored config: %+v %v", cfg, err)
	}
	if _, _, refused := Refusal(errors.New("disk full")); refused {
		t.Error("a server failure counted as refused input")
	}
}
