//go:build unix

package tm

import (
	"errors"
	"syscall"
)

// processGone reports whether no process with this pid runs on this
// machine. A process of another user still counts as running.
func processGone(pid int) bool {
	err := syscall.Kill(pid, 0)
	return errors.Is(err, syscall.ESRCH)
}
