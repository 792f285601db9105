package config

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated section of docs/configuration.md")

const docPath = "../../docs/configuration.md"

// TestConfigurationDoc keeps docs/configuration.md's options table equal
// to the table in options.go (run with -update to regenerate it).
func TestConfigurationDoc(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), DocBegin)
	_, after, ok2 := strings.Cut(rest, DocEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the generated-section markers", docPath)
	}
	var gen bytes.Buffer
	Markdown(&gen)
	want := before + DocBegin + "\n" + gen.String() + DocEnd + after
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("%s is out of date: run go test ./internal/config -run TestConfigurationDoc -update", docPath)
	}
	for _, o := range Options() {
		if !strings.Contains(string(doc), "`"+o.Env+"`") {
			t.Errorf("%s does not list %s", docPath, o.Env)
		}
	}
}
