// Command diglot translates Markdown articles into aligned bilingual
// Markdown that reviewers edit in place, and publishes the result.
//
// Run "diglot help" for the commands; the README documents them all.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	_ "github.com/diglot/diglot/providers/all"
)

// defaultMemoryLimit is the soft memory limit the command runs under
// unless GOMEMLIMIT says otherwise: the collector works harder as the heap
// nears it, so a run over a huge file or archive stays within a few
// hundred megabytes instead of letting garbage grow to twice what is live.
// It is soft: a run that needs more gets more.
const defaultMemoryLimit = 256 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	os.Exit(run(os.Args[1:]))
}

// run is main without the exit: it owns the signal handling. The first
// SIGINT or SIGTERM cancels the context, so the run stops taking work and
// finishes cleanly (exit 130); handling is then reset, so a second one ends
// the process at once.
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	return Main(ctx, args, NewIO(os.Stdin, os.Stdout, os.Stderr))
}
