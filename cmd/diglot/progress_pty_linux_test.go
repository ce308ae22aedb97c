//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair, or skips the test when the system
// has none to give.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("ptsname: %v", e)
	}
	// A new terminal is 0×0; progress bars need a width.
	ws := struct{ rows, cols, x, y uint16 }{24, 100, 0, 0}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSWINSZ, uintptr(unsafe.Pointer(&ws))); e != 0 {
		m.Close()
		t.Skipf("set window size: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	return m, s
}

// TestProgressOnTerminal: with stderr on a terminal the run draws its
// progress there (redraws with escapes), while stdout keeps a clean
// summary; --quiet draws nothing. The non-terminal case is
// testdata/script/progress.txtar.
func TestProgressOnTerminal(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	makeInputs(t, in, 6, 3)
	cfg := "provider = \"pseudo\"\nsource = \"zh\"\ntarget = \"en\"\nconcurrency = 1\n[tm]\ndisabled = true\n[providers.pseudo]\ndelay = \"100ms\"\nmax_segments = 4\n"
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte(cfg), 0o644)

	for _, quiet := range []bool{false, true} {
		args := []string{"translate", "-o", fmt.Sprintf("out-%v", quiet), "in"}
		if quiet {
			args = append(args, "-q")
		}
		master, slave := openPTY(t)
		cmd, stdout, _ := diglotCmd(t, dir, nil, args...)
		cmd.Stderr = slave
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		slave.Close() // the child holds its own copy
		var term bytes.Buffer
		done := make(chan struct{})
		go func() {
			io.Copy(&term, master) // ends with EIO once the child is gone
			close(done)
		}()
		err := cmd.Wait()
		<-done
		master.Close()
		if err != nil {
			t.Fatalf("quiet=%v: %v\nterminal:\n%q", quiet, err, term.String())
		}
		drawn := term.String()
		t.Logf("quiet=%v: %d bytes drawn, ending %q", quiet, len(drawn), drawn[max(0, len(drawn)-240):])
		if strings.ContainsAny(stdout.String(), "\r\x1b") {
			t.Errorf("quiet=%v: escapes in stdout: %q", quiet, stdout)
		}
		if quiet {
			if drawn != "" {
				t.Errorf("--quiet drew on the terminal: %q", drawn)
			}
			if stdout.Len() != 0 {
				t.Errorf("--quiet printed a summary: %q", stdout)
			}
			continue
		}
		if !strings.HasPrefix(stdout.String(), "translate: 6 files (6 ok") {
			t.Errorf("summary on stdout: %q", stdout)
		}
		if !strings.Contains(drawn, "files") || !strings.Contains(drawn, "to send") {
			t.Errorf("no progress bars drawn on the terminal: %q", drawn)
		}
		// (The terminal turns every \n into \r\n, so only escapes count.)
		if !strings.Contains(drawn, "\x1b[") {
			t.Errorf("progress on the terminal has no redraws: %q", drawn)
		}
		if !strings.Contains(drawn, "6/6") {
			t.Errorf("progress never showed the files done (6/6): %q", drawn)
		}
	}
}
