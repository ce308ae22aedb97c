// Package atomicfile writes files whole or not at all: the reports,
// exports and state files of diglot's commands.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes path through a temporary file in the same directory
// (created if need be), synced, and renames it into place, so readers (and
// a run killed half-way) see the old file or the whole new one, never a
// truncated one.
func Write(path string, fill func(w *os.File) error) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
