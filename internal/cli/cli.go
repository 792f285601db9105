// Package cli implements gatehouse's command line: one file per command.
// Each file registers its command in init with register.
package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes shared by every command.
const (
	ExitOK       = 0
	ExitRejected = 1 // the command ran and said no (e.g. saml check rejected a response)
	ExitUsage    = 2 // bad usage or unreadable input
)

// Env is what a command may touch: its arguments and standard streams.
// Commands read configuration through internal/config, never os.Getenv
// directly, so tests can pass their own environment in Getenv.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Environ lists "KEY=value" pairs (for prefix scans such as
	// TJ_SAML_GROUP_MAPPINGS__*); consistent with Getenv.
	Environ func() []string
}

type command struct {
	name    string // e.g. "serve", "saml check"
	summary string
	run     func(env *Env) int
}

var commands = map[string]command{}

// register adds a command; name may have two words ("user create").
func register(name, summary string, run func(env *Env) int) {
	if _, dup := commands[name]; dup {
		panic("cli: duplicate command " + name)
	}
	commands[name] = command{name: name, summary: summary, run: run}
}

// Run dispatches args to a command and returns the process exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return RunEnv(args, stdin, stdout, stderr, os.Environ())
}

// RunEnv is Run with an explicit environment ("KEY=value" pairs), for tests.
func RunEnv(args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	getenv := func(k string) string { return vars[k] }
	list := func() []string { return append([]string(nil), environ...) }
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return ExitOK
	}
	// Two-word commands first ("saml check"), then one-word ("serve").
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c.run(&Env{Args: args[2:], Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv, Environ: list})
		}
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(&Env{Args: args[1:], Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv, Environ: list})
	}
	fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n", strings.Join(args[:min(2, len(args))], " "))
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: gatehouse COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-28s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'gatehouse COMMAND -h' for a command's flags.")
}
