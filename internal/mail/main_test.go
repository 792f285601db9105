package mail

import (
	"os"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testskip"
)

// TestMain prints one line per skipped suite (see internal/testskip).
func TestMain(m *testing.M) { os.Exit(testskip.Main(m)) }
