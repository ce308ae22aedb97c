package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/diglot/diglot/config"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
)

// Exit codes, decided in one place (exitCode).
const (
	exitOK          = 0
	exitFailed      = 1 // some files failed or some segments need attention
	exitUsage       = 2 // usage or configuration error
	exitInterrupted = 130
)

// usageError marks an error as the user's invocation or configuration.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errFailed reports that a run finished but something in it failed; the
// details were already printed.
var errFailed = errors.New("some files failed or need attention")

// errInterrupted reports that the run was interrupted; what finished was
// kept.
var errInterrupted = errors.New("interrupted")

// exitCode maps an error to the process exit status.
func exitCode(ctx context.Context, err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted) || ctx.Err() != nil:
		return exitInterrupted
	case errors.As(err, &ue), errors.Is(err, config.ErrUnknownKey), errors.Is(err, pipeline.ErrConfig),
		errors.Is(err, providers.ErrUnknown):
		return exitUsage
	}
	return exitFailed
}
