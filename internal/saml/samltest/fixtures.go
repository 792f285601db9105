package samltest

import (
	"os"
	"path/filepath"
	"runtime"
)

// FixturesPath returns the directory of the real IdP fixtures (shared/saml-fixtures,
// see its PROVENANCE.md). It is, in order: $GATEHOUSE_FIXTURES_DIR; the
// shared/ folder beside the repository (where CI lays it); /work/shared.
// Tests that need the fixtures fail loudly when none exists, so the path of
// the first candidate is returned even when it is missing.
func FixturesPath() string {
	if d := os.Getenv("GATEHOUSE_FIXTURES_DIR"); d != "" {
		return d
	}
	candidates := []string{"/work/shared/saml-fixtures"}
	if _, file, _, ok := runtime.Caller(0); ok {
		// file is <repo>/internal/saml/samltest/fixtures.go.
		repo := filepath.Join(filepath.Dir(file), "..", "..", "..")
		candidates = append([]string{filepath.Join(repo, "..", "shared", "saml-fixtures")}, candidates...)
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return filepath.Clean(c)
		}
	}
	return filepath.Clean(candidates[0])
}
