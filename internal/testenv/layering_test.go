package testenv

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/gatehouse-sso/gatehouse/"

// TestImportLayering keeps the one-way layering of docs/architecture.md:
// store and netguard import nothing of ours, saml only netguard, workspace
// only store, no package
// but cli imports web, and nothing below web imports web or cli. It reads
// the imports of every non-test Go file under internal/.
func TestImportLayering(t *testing.T) {
	imports := packageImports(t, filepath.Join(repoRoot(t), "internal"))
	if len(imports) < 8 { // non-vacuity: the walk found the packages
		t.Fatalf("found only %d packages", len(imports))
	}
	allowed := map[string][]string{
		"internal/store":     nil,
		"internal/netguard":  nil,
		"internal/saml":      {"internal/netguard"},
		"internal/config":    nil,
		"internal/testenv":   nil,
		"internal/mail":      nil,
		"internal/workspace": {"internal/store"},
	}
	// Domain packages sit between web and workspace and do not import each
	// other.
	domain := []string{"internal/saml", "internal/store", "internal/workspace", "internal/config", "internal/netguard"}
	for _, p := range []string{"internal/ssoconfig", "internal/oidc", "internal/scim", "internal/forwardauth"} {
		allowed[p] = domain
	}
	for pkg, deps := range imports {
		if want, ok := allowed[pkg]; ok {
			for _, d := range deps {
				if !slices.Contains(want, d) {
					t.Errorf("%s imports %s; docs/architecture.md allows only %v", pkg, d, want)
				}
			}
		}
		for _, d := range deps {
			if d == "internal/web" && pkg != "internal/cli" {
				t.Errorf("%s imports internal/web; only internal/cli may", pkg)
			}
			if d == "internal/cli" {
				t.Errorf("%s imports internal/cli", pkg)
			}
		}
	}
}

// packageImports maps each package directory under dir (relative to the
// module, e.g. "internal/web") to the Gatehouse packages its non-test
// files import.
func packageImports(t *testing.T, dir string) map[string][]string {
	root := filepath.Dir(dir)
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if _, ok := out[pkg]; !ok {
			out[pkg] = nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if dep, ok := strings.CutPrefix(p, module); ok && !slices.Contains(out[pkg], dep) {
				out[pkg] = append(out[pkg], dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
