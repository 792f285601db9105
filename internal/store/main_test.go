package store

import (
	"os"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testskip"
)

// TestMain prints one line per skipped suite (which, why, how to enable
// it) in the normal output of go test ./... (see internal/testskip).
func TestMain(m *testing.M) { os.Exit(testskip.Main(m)) }
