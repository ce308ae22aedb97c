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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, restore the default handling so that a second
	// Ctrl-C ends the process at once.
	context.AfterFunc(ctx, stop)
	code := Main(ctx, os.Args[1:], NewIO(os.Stdin, os.Stdout, os.Stderr))
	stop()
	os.Exit(code)
}
