package storetest_test

import (
	"os"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// TestMain prints one line per skipped suite (which, why, how to enable
// it) in the normal output of go test ./... (see internal/testenv).
func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
