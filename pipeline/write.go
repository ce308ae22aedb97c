package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// errEditedDuringRun is returned when an output changed on disk after the
// run read it: a reviewer saved it. It is not overwritten.
var errEditedDuringRun = errors.New("pipeline: output edited during the run")

// outputs writes a run's files under one directory through an os.Root, so
// that no path leads a write outside it: not "..", not a symlink, not a
// symlink someone plants in the tree while the run goes.
type outputs struct {
	dir  string
	root *os.Root
	sync bool // fsync each file before its rename (Options.Sync)
}

func openOutputs(dir string) (*outputs, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &outputs{dir: dir, root: root}, nil
}

func (o *outputs) Close() error {
	if o == nil || o.root == nil {
		return nil
	}
	return o.root.Close()
}

// write replaces rel with data atomically, unless the file there is no
// longer what was read (was: its stamp then), which means a reviewer saved
// it since. The window between that check and the rename is as short as
// the rename itself. It returns the new file's stamp.
func (o *outputs) write(rel string, data []byte, was stamp) (stamp, error) {
	name := filepath.FromSlash(rel)
	if dir := filepath.Dir(name); dir != "." {
		if err := o.root.MkdirAll(dir, 0o755); err != nil {
			return stamp{}, o.wrap(rel, err)
		}
	}
	tmp, f, err := o.create(name)
	if err != nil {
		return stamp{}, o.wrap(rel, err)
	}
	if err := fill(f, data, o.sync); err != nil {
		o.root.Remove(tmp)
		return stamp{}, o.wrap(rel, err)
	}
	now, err := o.root.Lstat(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		o.root.Remove(tmp)
		return stamp{}, o.wrap(rel, err)
	}
	cur := stamp{}
	if err == nil {
		cur = stampOf(now)
	}
	if cur.exists != was.exists || cur.exists && (cur.size != was.size || !cur.mtime.Equal(was.mtime)) {
		o.root.Remove(tmp)
		return stamp{}, errEditedDuringRun
	}
	if err := o.root.Rename(tmp, name); err != nil {
		o.root.Remove(tmp)
		return stamp{}, o.wrap(rel, err)
	}
	fi, err := o.root.Lstat(name)
	if err != nil {
		return stamp{}, o.wrap(rel, err)
	}
	return stampOf(fi), nil
}

// create makes a new temporary file beside name.
func (o *outputs) create(name string) (string, *os.File, error) {
	base := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	for i := 0; ; i++ {
		tmp := fmt.Sprintf("%s%d-%d", base, os.Getpid(), i)
		f, err := o.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && i < 100 {
			continue
		}
		return tmp, f, err
	}
}

func fill(f *os.File, data []byte, sync bool) error {
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// wrap names the output in an error; an escape through a symlink is
// ErrOutsideOutput.
func (o *outputs) wrap(rel string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent" {
		return fmt.Errorf("%s: %w", rel, ErrOutsideOutput)
	}
	return fmt.Errorf("write %s: %w", filepath.Join(o.dir, filepath.FromSlash(rel)), err)
}
