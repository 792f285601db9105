package cli

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/config"
	"github.com/gatehouse-sso/gatehouse/internal/store"
	"github.com/gatehouse-sso/gatehouse/internal/store/storetest"
)

// TestStartupLogsMappingMistakes: a variable for no workspace names the
// variables that would work, and a mapping to a missing group suggests
// the closest name.
func TestStartupLogsMappingMistakes(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.Options{DataDir: t.TempDir()})
	for _, ws := range []*store.Workspace{{Name: "Acme Corp", Slug: "acme-corp"}, {Name: "Beta", Slug: "beta"}} {
		if err := st.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		if ws.Slug == "beta" {
			if err := st.CreateGroup(ctx, &store.Group{WorkspaceID: ws.ID, Name: "Engineering"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := config.ParseGroupMappings([]string{
		`TJ_SAML_GROUP_MAPPINGS__acme={"x":"admin"}`,
		`TJ_SAML_GROUP_MAPPINGS__BETA={"eng":"Engineerng","boss":"admin"}`,
	})
	var buf syncBuffer
	logMappingWarnings(ctx, st, m, slog.New(slog.NewTextHandler(&buf, nil)))
	out := buf.String()
	for _, want := range []string{
		`msg="group mappings: variable matches no workspace and is ignored" variable=TJ_SAML_GROUP_MAPPINGS__acme expected="TJ_SAML_GROUP_MAPPINGS__acme_corp (Acme Corp), TJ_SAML_GROUP_MAPPINGS__beta (Beta)"`,
		`variable=TJ_SAML_GROUP_MAPPINGS__beta problem="The IdP group \"eng\" is mapped to \"Engineerng\"`,
		`Did you mean \"Engineering\"?`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s\n%s", want, out)
		}
	}
	if strings.Contains(out, `\"boss\"`) {
		t.Error("a valid target was reported")
	}
}
