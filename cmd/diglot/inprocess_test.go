package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/diglot/diglot/tm"
)

// runMain runs the command line in process with buffers for the streams
// and returns the exit status, stdout and stderr.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, NewIO(strings.NewReader(""), &stdout, &stderr))
	return code, stdout.String(), stderr.String()
}

// TestInProcessStreams checks that commands write to the streams Main is
// given, so that Main can be embedded and tested without a subprocess.
func TestInProcessStreams(t *testing.T) {
	// The tm commands read a memory that is there: they create none.
	db := filepath.Join(t.TempDir(), "tm.db")
	s, err := tm.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	tests := []struct {
		name string
		args []string
		want string // in stdout
	}{
		{"providers", []string{"providers"}, "pseudo "},
		{"tm stats", []string{"tm", "stats", "--tm", db}, "ENTRIES"},
		{"completion", []string{"completion", "bash"}, "bash completion"},
		{"tm export to stdout", []string{"tm", "export", "--tm", db}, "<tmx version="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "tm export to stdout" {
				// BUG (cmd/diglot/tm.go newTMExportCmd): without a FILE the
				// export is written to os.Stdout, not to a.io.Out, so an
				// in-process caller gets nothing in its buffer (and the
				// process's real stdout gets the TMX). Fix: when no FILE is
				// given, export to a.io.Out (tm.ExportTMX takes an
				// io.Writer; only the atomic file write needs *os.File).
			}
			code, stdout, stderr := runMain(t, tt.args...)
			if code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, tt.want) {
				t.Errorf("stdout lacks %q:\n%s", tt.want, stdout)
			}
		})
	}
}

// TestInProcessUsageErrors checks exit status 2 and a single "diglot: …"
// line for usage errors, in process.
func TestInProcessUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"translate"},
		{"translate", "--provider", "nosuch", "--source", "zh", "--target", "en", "x"},
		{"tm", "export", "--format", "csv"},
		{"frobnicate"},
	} {
		code, _, stderr := runMain(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "diglot: ") {
			t.Errorf("%v: stderr is not one \"diglot: \" line:\n%s", args, stderr)
		}
	}
}

// TestOddFileNamesQuoted: a file name with a line break is quoted in
// messages, so it cannot forge a line of diglot's output (issue 13).
func TestOddFileNamesQuoted(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(in, "bad\ndiglot: all good.md"), []byte("\xff\xfe\x00binary"), 0o644); err != nil {
		t.Skip("this file system takes no line break in a name:", err)
	}
	code, _, stderr := runMain(t, "translate", "--provider", "copy", "--source", "zh", "--target", "en", "-o", filepath.Join(dir, "out"), in)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(line, "diglot: all good") {
			t.Errorf("a file name forged a line of output:\n%s", stderr)
		}
	}
	if !strings.Contains(stderr, `\ndiglot: all good.md"`) {
		t.Errorf("the name is not quoted:\n%s", stderr)
	}
}
