package main

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IO carries the streams a command uses, so tests can inject buffers and
// output knows whether it is on a terminal.
type IO struct {
	In          io.Reader
	Out, Err    io.Writer
	errTerminal bool
}

// NewIO wraps the given streams; stderr is a terminal only if it is an
// *os.File on one.
func NewIO(in io.Reader, outw, errw io.Writer) *IO {
	s := &IO{In: in, Out: outw, Err: errw}
	if f, ok := errw.(*os.File); ok {
		s.errTerminal = term.IsTerminal(int(f.Fd()))
	}
	return s
}

// ErrIsTerminal reports whether progress may be drawn on stderr.
func (s *IO) ErrIsTerminal() bool { return s.errTerminal }
