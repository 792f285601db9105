// Command gatehouse is the Gatehouse sign-in service and its admin CLI.
// Run "gatehouse help" for the list of commands.
package main

import (
	"os"

	"github.com/gatehouse-sso/gatehouse/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
