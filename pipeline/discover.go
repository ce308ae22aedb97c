package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Job is one input file and where its output goes.
type Job struct {
	Path string // the input file as found (relative to the working directory if given so)
	Rel  string // the output path relative to the output directory, slash-separated
}

// InputError is a path that could not be used as input. Discover reports it
// and carries on with the other paths.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return DisplayPath(e.Path) + ": " + e.Err.Error() }

// DisplayPath returns a path as messages show it: as it is, or quoted as a
// Go string when it holds a line break, another control character or a
// byte that is not UTF-8, so that a file named "a\nb.md" cannot forge a
// line of output.
func DisplayPath(p string) string {
	if !utf8.ValidString(p) {
		return strconv.Quote(p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return strconv.Quote(p)
		}
	}
	return p
}
func (e *InputError) Unwrap() error { return e.Err }

// ErrSymlinkLoop is reported for a directory symlink that leads back to a
// directory already being walked.
var ErrSymlinkLoop = errors.New("pipeline: directory symlink loop")

// DiscoverOptions adjust Discover. Nil means the defaults.
type DiscoverOptions struct {
	// Extensions are the file name endings taken from directories. Nil
	// means .md and .markdown. Files named explicitly are always taken.
	Extensions []string
	// Skip is a directory whose contents are never read as input, typically
	// the output directory when it lies inside an input directory.
	Skip string
	// FollowSymlinks takes files and directories reached through a symlink
	// that leads out of the input directory being walked. Without it they
	// are skipped, each with an [InputError] wrapping [ErrSymlinkOutside].
	FollowSymlinks bool
}

// ErrSymlinkOutside is reported for a symlink inside an input directory
// that leads out of it, when symlinks are not followed.
var ErrSymlinkOutside = errors.New("pipeline: symlink leads out of the input directory (skipped; --follow-symlinks takes it)")

// Discover expands paths into jobs. A directory contributes every file
// below it with a Markdown extension, its output mirroring the path relative
// to that directory; a file contributes itself, its output named after its
// base name. Directory symlinks are followed once; a loop is an
// [InputError]. Jobs come back sorted by output path, duplicates (one output
// from two inputs) reported as errors.
func Discover(paths []string, opts *DiscoverOptions) ([]Job, []error) {
	d := discoverer{exts: []string{".md", ".markdown"}, seen: map[string]string{}}
	if opts != nil {
		d.follow = opts.FollowSymlinks
		if opts.Extensions != nil {
			d.exts = opts.Extensions
		}
		if opts.Skip != "" {
			d.skip, _ = filepath.Abs(opts.Skip)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			d.errs = append(d.errs, &InputError{Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !fi.IsDir() {
			d.add(p, filepath.Base(p))
			continue
		}
		d.root, _ = filepath.EvalSymlinks(p)
		d.walk(p, "", map[string]bool{})
	}
	sort.Slice(d.jobs, func(i, j int) bool { return d.jobs[i].Rel < d.jobs[j].Rel })
	return d.jobs, d.errs
}

type discoverer struct {
	exts   []string
	follow bool   // take symlinks that lead out of root
	root   string // the real path of the directory being walked
	skip   string
	jobs   []Job
	errs   []error
	seen   map[string]string // output rel -> input path
}

func (d *discoverer) add(path, rel string) {
	rel = filepath.ToSlash(rel)
	if prev, dup := d.seen[rel]; dup {
		d.errs = append(d.errs, &InputError{Path: path, Err: fmt.Errorf("its output %s would overwrite the output of %s", rel, prev)})
		return
	}
	d.seen[rel] = path
	d.jobs = append(d.jobs, Job{Path: path, Rel: rel})
}

// walk lists dir recursively. ancestors holds the real paths of the
// directories on the way down, so a symlink back to one of them is a loop.
func (d *discoverer) walk(dir, rel string, ancestors map[string]bool) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		d.errs = append(d.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return
	}
	if abs, _ := filepath.Abs(real); d.skip != "" && (abs == d.skip || d.isSkipped(abs)) {
		return
	}
	if ancestors[real] {
		d.errs = append(d.errs, &InputError{Path: dir, Err: ErrSymlinkLoop})
		return
	}
	ancestors[real] = true
	defer delete(ancestors, real)
	entries, err := os.ReadDir(dir)
	if err != nil {
		d.errs = append(d.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		childRel := filepath.Join(rel, e.Name())
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			if err != nil {
				d.errs = append(d.errs, &InputError{Path: path, Err: unwrapPathError(err)})
				continue
			}
			isDir = fi.IsDir()
			if !d.follow && !d.inside(path) && (isDir || d.wanted(e.Name())) {
				d.errs = append(d.errs, &InputError{Path: path, Err: ErrSymlinkOutside})
				continue
			}
		}
		switch {
		case isDir:
			d.walk(path, childRel, ancestors)
		case d.wanted(e.Name()):
			d.add(path, childRel)
		}
	}
}

// inside reports whether the symlink at path resolves inside the directory
// being walked.
func (d *discoverer) inside(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil || d.root == "" {
		return false
	}
	return real == d.root || strings.HasPrefix(real, d.root+string(filepath.Separator))
}

func (d *discoverer) isSkipped(abs string) bool {
	skipReal, err := filepath.EvalSymlinks(d.skip)
	return err == nil && abs == skipReal
}

func (d *discoverer) wanted(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range d.exts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// unwrapPathError drops the *fs.PathError wrapper, whose path the caller
// already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ErrOutsideOutput is returned when an output path would land outside the
// output directory (through "..", an absolute path, or a symlink inside the
// output tree).
var ErrOutsideOutput = errors.New("pipeline: output path escapes the output directory")

// OutputPath joins the output directory and a job's relative path,
// refusing any result outside dir: through "..", an absolute path, or a
// symlink anywhere on the way. It creates nothing; atomicfile.Write creates
// the directories when the output is written.
func OutputPath(dir, rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || clean == "." {
		return "", fmt.Errorf("%s: %w", rel, ErrOutsideOutput)
	}
	full := filepath.Join(dir, clean)
	root, err := filepath.EvalSymlinks(dir)
	if os.IsNotExist(err) {
		return full, nil // nothing exists yet, so no symlink can lead out
	}
	if err != nil {
		return "", err
	}
	// The deepest part of the path that exists must resolve inside dir.
	existing := filepath.Dir(full)
	for {
		if _, err := os.Lstat(existing); err == nil || existing == dir {
			break
		}
		existing = filepath.Dir(existing)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", err
	}
	if real != root && !strings.HasPrefix(real, root+string(filepath.Separator)) {
		return "", fmt.Errorf("%s: %w (through a symlink to %s)", rel, ErrOutsideOutput, real)
	}
	if fi, err := os.Lstat(full); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("%s: %w (the output is a symlink)", rel, ErrOutsideOutput)
	}
	return full, nil
}
