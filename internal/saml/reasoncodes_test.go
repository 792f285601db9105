package saml

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReasonCodesDocumented fails when a Reason constant declared in
// errors.go is not in docs/reason-codes.md with its code and constant name,
// so that the operator documentation cannot fall behind the code.
func TestReasonCodesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/reason-codes.md")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Reason" {
				continue
			}
			for i, name := range vs.Names {
				code, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
				if err != nil {
					t.Fatal(err)
				}
				n++
				row := "| `" + code + "` | `" + name.Name + "` |"
				if !strings.Contains(string(doc), row) {
					t.Errorf("docs/reason-codes.md lacks a row starting %s", row)
				}
			}
		}
	}
	if n < 40 {
		t.Fatalf("found only %d Reason constants in errors.go; is the parser looking at the right file?", n)
	}
}
