package testenv

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forbidden are traces of things outside the repository: the folder beside
// a checkout where fixtures and the product specification once lived, the
// absolute paths of one machine, the environment variable that pointed at
// them, and citations of a document the repository does not have. A clone
// must build, test and read on its own (CI also runs the suite in a clone
// with nothing beside it, see .ci/run).
var forbidden = []string{
	"../shared",
	"shared/saml-fixtures",
	"/work/shared",
	"/work/wt/",
	"/work/main",
	"GATEHOUSE_FIXTURES_DIR",
	"SPEC §",
	"SPEC.md",
}

// TestRepositoryStandsAlone reads every file of the repository (except
// Git's own, installed node packages and this file, which must name the
// patterns) and fails on any of the forbidden references.
func TestRepositoryStandsAlone(t *testing.T) {
	root := repoRoot(t)
	self, err := filepath.Abs("standalone_test.go")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" || d.Name() == "node_modules" { // a worktree's .git is a file
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() || path == self {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, f := range forbidden {
			if i := bytes.Index(data, []byte(f)); i >= 0 {
				line := 1 + bytes.Count(data[:i], []byte("\n"))
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d refers to %q, which is outside the repository", rel, line, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 { // non-vacuity: the walk really covered the repository
		t.Fatalf("read only %d files under %s", files, root)
	}
}

// repoRoot is the directory of the main module's go.mod, found upwards
// from the package directory the test runs in.
func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(data), "module github.com/gatehouse-sso/gatehouse\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod of github.com/gatehouse-sso/gatehouse above the test's directory")
		}
		dir = parent
	}
}
