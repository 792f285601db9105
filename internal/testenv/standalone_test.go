package testenv

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// forbidden are references to things the repository does not have: the
// environment variable that once pointed tests at fixtures outside it, and
// citations of a product document that is not part of it. Paths that leave
// the repository are found by escapesRepository. A clone must build, test
// and read on its own (CI also runs the suite in a clone with nothing
// beside it, see .ci/run).
var forbidden = []string{
	"GATEHOUSE_FIXTURES_DIR",
	"SPEC §",
	"SPEC.md",
}

// relativePath is a relative path that starts by climbing ("../..."), as a
// string, a Markdown link or a shell argument writes it.
var relativePath = regexp.MustCompile(`(?:^|["'(\s=])((?:\.\./)+[A-Za-z0-9_.-]*)`)

// escapesRepository returns the first relative path in data that, taken
// from dir, leads outside root (a sibling folder of the checkout).
func escapesRepository(root, dir string, data []byte) (string, int) {
	for _, m := range relativePath.FindAllSubmatchIndex(data, -1) {
		p := string(data[m[2]:m[3]])
		rel, err := filepath.Rel(root, filepath.Join(dir, p))
		if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return p, 1 + bytes.Count(data[:m[2]], []byte("\n"))
		}
	}
	return "", 0
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
		if p, line := escapesRepository(root, filepath.Dir(path), data); p != "" {
			rel, _ := filepath.Rel(root, path)
			t.Errorf("%s:%d refers to %q, which is outside the repository", rel, line, p)
		}
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
