package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/diglot/diglot/out"
)

// root is one directory given to New. Every file access goes through r,
// which refuses names that leave the directory, symlinks included.
type root struct {
	dir string // as given, cleaned: what the pages show
	r   *os.Root
}

// fileRef names a bilingual file: a root and a slash-separated path inside
// it. Its id is what URLs carry.
type fileRef struct {
	root int
	rel  string
}

func (f fileRef) id() string { return strconv.Itoa(f.root) + "/" + f.rel }

// parseRef parses a file id. It checks the form only; lookups decide
// whether the file is one the server lists.
func parseRef(id string) (fileRef, bool) {
	n, rel, ok := strings.Cut(id, "/")
	if !ok {
		return fileRef{}, false
	}
	r, err := strconv.Atoi(n)
	if err != nil || r < 0 || strconv.Itoa(r) != n || !fs.ValidPath(rel) || rel == "." {
		return fileRef{}, false
	}
	return fileRef{root: r, rel: rel}, true
}

// stamp identifies what was on disk when a file was read, cheaply: a
// changed stamp means the file must be read again. Saves compare the bytes'
// hash, not the stamp.
type stamp struct {
	size int64
	mod  time.Time
}

// doc is one bilingual file as read at one version.
type doc struct {
	ref     fileRef
	stamp   stamp
	data    []byte
	version string    // versionOf(data): the ETag pages carry
	file    *out.File // nil when err is set
	err     error
	sum     summary
}

// summary is what the file list shows of a file and what lets filters skip
// a file without reading it again.
type summary struct {
	Units    int
	New      int
	Machine  int
	Reviewed int
	Stale    int
	Failed   int
	Flagged  int            // units with at least one flag
	Flags    map[string]int // units per flag kind
	Err      string         // why the file could not be read
}

// Done is the share of reviewed units, in percent.
func (s summary) Done() int {
	if s.Units == 0 {
		return 0
	}
	return s.Reviewed * 100 / s.Units
}

// fileState is the cache of one file. mu serialises reading and saving it,
// so two saves of one file never interleave.
type fileState struct {
	ref fileRef
	mu  sync.Mutex
	doc atomic.Pointer[doc] // the last version read, or nil once evicted
	sum *summary            // kept after doc is evicted, with its stamp
	st  stamp
}

// versionOf returns the ETag of a file's bytes.
func versionOf(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:12])
}

// unitState is the state a unit is listed and filtered under: a unit a
// reviewer edited counts as reviewed whatever its marker says, as it does
// for the pipeline.
func unitState(u *out.Unit) out.State {
	if u.Approved() {
		return out.StateReviewed
	}
	return u.State
}

func summarize(f *out.File) summary {
	s := summary{Units: len(f.Units), Flags: map[string]int{}}
	for i := range f.Units {
		u := &f.Units[i]
		switch unitState(u) {
		case out.StateNew:
			s.New++
		case out.StateMachine:
			s.Machine++
		case out.StateReviewed:
			s.Reviewed++
		case out.StateStale:
			s.Stale++
		case out.StateFailed:
			s.Failed++
		}
		if len(u.Flags) > 0 {
			s.Flagged++
		}
		for _, fl := range u.Flags {
			s.Flags[fl]++
		}
	}
	return s
}

// isBilingualName reports whether a file name may be a bilingual file.
func isBilingualName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// walk lists the Markdown files of every root, sorted. Hidden files and
// directories (.diglot, .git) are skipped, directory symlinks are not
// followed, and a file symlink is taken only when it resolves inside its
// root.
func (s *Server) walk() []fileRef {
	var refs []fileRef
	for i, rt := range s.roots {
		fsys := rt.r.FS()
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() && p != "." {
					return fs.SkipDir
				}
				return nil
			}
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !isBilingualName(p) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				// os.Root follows a symlink only when it stays inside.
				fi, err := rt.r.Stat(p)
				if err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			refs = append(refs, fileRef{root: i, rel: p})
			return nil
		})
	}
	slices.SortFunc(refs, func(a, b fileRef) int {
		if a.root != b.root {
			return a.root - b.root
		}
		return strings.Compare(a.rel, b.rel)
	})
	return refs
}

// refresh walks the roots again and returns the file list.
func (s *Server) refresh() []fileRef {
	refs := s.walk()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files = refs
	s.index = make(map[fileRef]int, len(refs))
	for i, r := range refs {
		s.index[r] = i
		if s.states[r] == nil {
			s.states[r] = &fileState{ref: r}
		}
	}
	return refs
}

// list returns the current file list without walking.
func (s *Server) list() []fileRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files
}

// state returns the cache of a listed file, or nil when ref is not one of
// the files the server lists: nothing else is ever read or written.
func (s *Server) state(ref fileRef) *fileState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.index[ref]; !ok {
		return nil
	}
	return s.states[ref]
}

// position returns the index of ref in the file list.
func (s *Server) position(ref fileRef) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.index[ref]
	return i, ok
}

// errNotListed is returned for a file id that names no listed file.
var errNotListed = errors.New("review: no such bilingual file")

// load returns the current version of a listed file, reading it again when
// it changed on disk.
func (s *Server) load(ref fileRef) (*doc, error) {
	fst := s.state(ref)
	if fst == nil {
		return nil, errNotListed
	}
	fst.mu.Lock()
	defer fst.mu.Unlock()
	return s.loadLocked(fst)
}

// loadLocked is load with fst.mu held.
func (s *Server) loadLocked(fst *fileState) (*doc, error) {
	rt := s.roots[fst.ref.root]
	fi, err := rt.r.Stat(filepath.FromSlash(fst.ref.rel))
	if err != nil {
		return nil, fmt.Errorf("review: %s: %w", fst.ref.rel, err)
	}
	st := stamp{size: fi.Size(), mod: fi.ModTime()}
	if d := fst.doc.Load(); d != nil && d.stamp == st {
		s.touch(fst)
		return d, nil
	}
	data, err := rt.r.ReadFile(filepath.FromSlash(fst.ref.rel))
	if err != nil {
		return nil, fmt.Errorf("review: %s: %w", fst.ref.rel, err)
	}
	d := s.parse(fst.ref, st, data)
	s.keep(fst, d)
	return d, nil
}

// parse reads data as the bilingual file ref.
func (s *Server) parse(ref fileRef, st stamp, data []byte) *doc {
	d := &doc{ref: ref, stamp: st, data: data, version: versionOf(data)}
	d.file, d.err = s.readBilingual(s.displayName(ref), data)
	if d.err != nil {
		d.sum = summary{Err: d.err.Error()}
	} else {
		d.sum = summarize(d.file)
	}
	return d
}

// readBilingual is the one place the server calls the bilingual reader:
// page views and saves read files under the same rules as the CLI.
func (s *Server) readBilingual(name string, data []byte) (*out.File, error) {
	return out.ReadBilingual(name, data, out.Format{Markdown: s.opts.Markdown})
}

// summaryOf returns a file's summary, from the cache when the file has not
// changed on disk since.
func (s *Server) summaryOf(ref fileRef) (summary, error) {
	fst := s.state(ref)
	if fst == nil {
		return summary{}, errNotListed
	}
	fst.mu.Lock()
	defer fst.mu.Unlock()
	if fst.sum != nil {
		fi, err := s.roots[ref.root].r.Stat(filepath.FromSlash(ref.rel))
		if err == nil && (stamp{size: fi.Size(), mod: fi.ModTime()}) == fst.st {
			return *fst.sum, nil
		}
	}
	d, err := s.loadLocked(fst)
	if err != nil {
		return summary{Err: err.Error()}, err
	}
	return d.sum, nil
}

// keep caches d as fst's current version and evicts the least recently
// used parsed files beyond the cache's size; their summaries stay.
func (s *Server) keep(fst *fileState, d *doc) {
	fst.doc.Store(d)
	sum := d.sum
	fst.sum, fst.st = &sum, d.stamp
	s.touch(fst)
}

// touch marks fst as recently used and evicts parsed files beyond
// maxParsed. It is called with fst.mu held and locks only s.lruMu.
func (s *Server) touch(fst *fileState) {
	s.lruMu.Lock()
	defer s.lruMu.Unlock()
	if i := slices.Index(s.lru, fst); i >= 0 {
		s.lru = slices.Delete(s.lru, i, i+1)
	}
	s.lru = append(s.lru, fst)
	for len(s.lru) > s.maxParsed {
		old := s.lru[0]
		s.lru = s.lru[1:]
		old.evict()
	}
}

// evict drops the parsed file. It takes no mutex (the pointer is atomic):
// taking f.mu here could deadlock with a load that holds its own file's
// mutex while touching.
func (f *fileState) evict() {
	f.doc.Store(nil)
}

// displayName is the path a page shows for ref: the directory as given
// joined with the path inside it.
func (s *Server) displayName(ref fileRef) string {
	return filepath.Join(s.roots[ref.root].dir, filepath.FromSlash(ref.rel))
}

// unitByID returns the unit with the given id, or nil.
func (d *doc) unitByID(id int) *out.Unit {
	if d.file == nil || id < 1 || id > len(d.file.Units) {
		return nil
	}
	return &d.file.Units[id-1]
}

// sourceBlock returns the bytes of a unit's source block.
func (d *doc) sourceBlock(u *out.Unit) []byte {
	b := d.file.Source.Blocks[u.Block]
	return bytes.TrimPrefix(d.file.Source.Source()[b.Start:b.End], []byte("\ufeff"))
}
