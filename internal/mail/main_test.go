package mail

import (
	"os"
	"testing"

	"github.com/gatehouse-sso/gatehouse/internal/testenv"
)

// TestMain prints one line per skipped suite (see internal/testenv).
func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
