// Command diglot translates Markdown articles into aligned bilingual
// Markdown that reviewers edit in place, and publishes the result.
//
// Run "diglot help" for the commands; the README documents them all.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/diglot/diglot/providers/all"
)

func main() {
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
