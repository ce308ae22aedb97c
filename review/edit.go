package review

import (
	"bytes"
	"context"
	"crypto/rand"
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

	"golang.org/x/text/language"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/qa"
)

// Errors of a save or accept that callers branch on.
var (
	// ErrConflict means the file changed on disk since the version the
	// page was built from (another tab, an editor, a translate run). Nothing
	// was written; the page must reload the unit.
	ErrConflict = errors.New("review: the file changed on disk since this page was loaded")
	// ErrNoUnit means the unit id names no unit of the file.
	ErrNoUnit = errors.New("review: no such unit")
)

// EditError is a target the reader rules refuse: it would break the
// file's structure. Nothing was written.
type EditError struct {
	Reason string // the reader's reason, naming file and line
	Err    error  // the reader's error, or nil for a check of the server's own
}

func (e *EditError) Error() string { return "review: edit refused: " + e.Reason }

// Unwrap returns the reader's error.
func (e *EditError) Unwrap() error { return e.Err }

// Saved is the outcome of a save or accept that was written.
type Saved struct {
	Version string // the file's new ETag
	// Imported is how many reviewed segments the memory received; MemoryErr
	// says why it received none although the file was written.
	Imported  int
	MemoryErr error
}

// Save replaces the target block of unit id of the listed file ref with
// target and marks the unit reviewed, if the file's bytes still have the
// given version. target goes through the bilingual reader's rules before
// anything is written; the file is written atomically, with every byte
// outside the unit's target block and marker unchanged, and the file's
// reviewed units are recorded in the memory.
func (s *Server) save(ctx context.Context, ref fileRef, id int, version string, target []byte) (*Saved, error) {
	return s.edit(ctx, ref, id, version, target)
}

// accept marks unit id reviewed without changing its target.
func (s *Server) accept(ctx context.Context, ref fileRef, id int, version string) (*Saved, error) {
	return s.edit(ctx, ref, id, version, nil)
}

func (s *Server) edit(ctx context.Context, ref fileRef, id int, version string, target []byte) (*Saved, error) {
	fst := s.state(ref)
	if fst == nil {
		return nil, errNotListed
	}
	fst.mu.Lock()
	defer fst.mu.Unlock()
	rt := s.roots[ref.root]
	name := filepath.FromSlash(ref.rel)
	data, err := rt.r.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("review: %s: %w", ref.rel, err)
	}
	if versionOf(data) != version {
		return nil, ErrConflict
	}
	display := s.displayName(ref)
	var f *out.File
	if d := fst.doc.Load(); d != nil && d.version == version && d.file != nil {
		// The page was built from this very version: no need to read it
		// again.
		f = d.file
	} else if f, err = s.readBilingual(display, data); err != nil {
		return nil, fmt.Errorf("review: %w", err)
	}
	if id < 1 || id > len(f.Units) {
		return nil, ErrNoUnit
	}
	u := &f.Units[id-1]
	var newTarget []byte
	if target != nil {
		newTarget = normalizeTarget(target, u.TargetBytes)
		if len(bytes.TrimSpace(newTarget)) == 0 {
			return nil, &EditError{Reason: fmt.Sprintf("%s: unit %d: the target is empty", display, id)}
		}
	}
	next, f2, err := s.spliceAndRead(display, data, f, u, newTarget, u.Flags)
	if err != nil {
		return nil, err
	}
	// A marker's flags describe the text beside it: a fixed target loses
	// its flags, an edit that drops a number gains one.
	u2 := &f2.Units[id-1]
	if flags := qa.Flags(s.findings(f2, u2, u2.Targets)); !slices.Equal(flags, u.Flags) {
		// Only the marker's flags change, to kinds the reader accepts, so
		// the reading of the first splice stands; reading again would
		// double a save's cost.
		if next, err = splice(data, u, newTarget, flags); err != nil {
			return nil, &EditError{Reason: fmt.Sprintf("%s: unit %d: %v", display, id, err)}
		}
		u2.Flags = flags
	}
	if err := s.writeAtomic(rt, name, version, next); err != nil {
		return nil, err
	}
	res := &Saved{Version: versionOf(next)}
	if fi, err := rt.r.Stat(name); err == nil {
		// What was written was read just now: cache it as it is.
		d := &doc{ref: ref, stamp: stamp{size: fi.Size(), mod: fi.ModTime()}, data: next, version: res.Version, file: f2, sum: summarize(f2)}
		s.keep(fst, d)
	}
	if s.opts.Memory != nil {
		res.Imported, res.MemoryErr = s.record(ctx, rt, name)
	}
	s.log.Info("review: saved", "file", display, "unit", id, "accept", target == nil, "reviewed_segments", res.Imported)
	if res.MemoryErr != nil {
		s.log.Error("review: translation memory", "file", display, "err", res.MemoryErr)
	}
	return res, nil
}

// spliceAndRead splices the edit into data and reads the result under the
// same rules as the CLI: a target that breaks the structure is refused
// with the reader's reason.
func (s *Server) spliceAndRead(display string, data []byte, f *out.File, u *out.Unit, target []byte, flags []string) ([]byte, *out.File, error) {
	next, err := splice(data, u, target, flags)
	if err != nil {
		return nil, nil, &EditError{Reason: fmt.Sprintf("%s: unit %d: %v", display, u.ID, err)}
	}
	f2, err := s.readBilingual(display, next)
	if err != nil {
		return nil, nil, &EditError{Reason: err.Error(), Err: err}
	}
	if err := sameFile(f, f2, u.ID, target); err != nil {
		return nil, nil, &EditError{Reason: fmt.Sprintf("%s: unit %d: %v", display, u.ID, err)}
	}
	return next, f2, nil
}

// normalizeTarget gives a submitted target the old target block's line
// endings: browsers send CRLF from a textarea, the file may be LF or CRLF,
// and the block keeps its final line ending (or its lack of one).
func normalizeTarget(target, old []byte) []byte {
	t := bytes.ReplaceAll(target, []byte("\r\n"), []byte("\n"))
	t = bytes.ReplaceAll(t, []byte("\r"), []byte("\n"))
	t = bytes.TrimRight(t, " \t\n")
	le := []byte("\n")
	if bytes.Contains(old, []byte("\r\n")) {
		le = []byte("\r\n")
		t = bytes.ReplaceAll(t, []byte("\n"), le)
	}
	if bytes.HasSuffix(old, []byte("\n")) {
		t = append(t, le...)
	}
	return t
}

// lineStart returns the offset of the 1-based line in data, or -1.
func lineStart(data []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

// lineEnd returns the offset after the line ending of the line at off.
func lineEnd(data []byte, off int) int {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(data)
}

// splice returns data with unit u's marker set to state=reviewed and the
// given flags, its target block replaced by target (unless nil), and the
// previous target of a stale unit removed: the reviewer reconciled it.
// Every other byte is kept.
func splice(data []byte, u *out.Unit, target []byte, flags []string) ([]byte, error) {
	mAt := lineStart(data, u.Line)
	tAt := lineStart(data, u.TargetLine)
	if mAt < 0 || tAt < 0 || tAt < mAt || tAt+len(u.TargetBytes) > len(data) || !bytes.Equal(data[tAt:tAt+len(u.TargetBytes)], u.TargetBytes) {
		return nil, errors.New("the unit is not where the reader found it")
	}
	mEnd := lineEnd(data, mAt)
	line := data[mAt:mEnd]
	body := bytes.TrimRight(line, "\r\n")
	marker, err := rewriteMarker(string(body), flags)
	if err != nil {
		return nil, err
	}
	tEnd := tAt + len(u.TargetBytes)
	rest := tEnd
	if u.Previous != nil {
		if rest, err = afterPrevious(data, tEnd, u); err != nil {
			return nil, err
		}
	}
	if target == nil {
		target = u.TargetBytes
	}
	var b []byte
	b = append(b, data[:mAt]...)
	b = append(b, marker...)
	b = append(b, line[len(body):]...)
	b = append(b, data[mEnd:tAt]...)
	b = append(b, target...)
	b = append(b, data[rest:]...)
	return b, nil
}

// afterPrevious returns where the file resumes after the previous target
// of stale unit u, which follows its target block at tEnd, and the blank
// line the writer puts after it. At the end of the file everything after
// the target goes, the line ending the writer added before the previous
// marker included.
func afterPrevious(data []byte, tEnd int, u *out.Unit) (int, error) {
	at := tEnd
	if !bytes.HasPrefix(data[at:], []byte("<!-- diglot:previous ")) {
		// A target without a final line ending before its previous target
		// is followed by the line ending the writer added.
		at = lineEnd(data, at)
		if !bytes.HasPrefix(data[at:], []byte("<!-- diglot:previous ")) {
			return 0, errors.New("the previous target is not where the reader found it")
		}
	}
	pAt := lineEnd(data, at)
	if !bytes.HasPrefix(data[pAt:], u.Previous) {
		return 0, errors.New("the previous target is not where the reader found it")
	}
	end := pAt + len(u.Previous)
	if len(bytes.TrimSpace(data[end:])) == 0 && !bytes.HasSuffix(data, []byte("\n")) {
		return len(data), nil
	}
	// The rest of the previous target's last line, then one blank line.
	end = lineEnd(data, end)
	if end < len(data) {
		b := lineEnd(data, end)
		if len(bytes.TrimSpace(data[end:b])) != 0 {
			return 0, errors.New("no blank line after the previous target")
		}
		end = b
	}
	return end, nil
}

// rewriteMarker returns the marker comment body with state=reviewed and
// flags set, keeping every other attribute as it was written (an id, the
// hashes, attributes of later format versions such as by=).
func rewriteMarker(line string, flags []string) (string, error) {
	const prefix, suffix = "<!-- diglot:t ", " -->"
	trimmed := strings.TrimRight(line, " \t")
	if !strings.HasPrefix(trimmed, prefix) || !strings.HasSuffix(trimmed, suffix) {
		return "", errors.New("the unit's marker is not where the reader found it")
	}
	attrs, err := splitAttrs(strings.TrimSpace(trimmed[len(prefix) : len(trimmed)-len(suffix)]))
	if err != nil {
		return "", err
	}
	var kept []string
	for _, a := range attrs {
		k, _, _ := strings.Cut(a, "=")
		switch k {
		case "state", "flags":
			continue
		}
		kept = append(kept, a)
	}
	// state goes after the hashes, where the writer puts it.
	at := len(kept)
	for i, a := range kept {
		if strings.HasPrefix(a, "mt=") {
			at = i + 1
		}
	}
	add := []string{"state=" + string(out.StateReviewed)}
	if len(flags) > 0 {
		add = append(add, "flags="+strings.Join(flags, ","))
	}
	kept = slices.Insert(kept, at, add...)
	return prefix + strings.Join(kept, " ") + suffix + line[len(trimmed):], nil
}

// splitAttrs splits `k=v k="quoted v"` into its attributes, as written.
func splitAttrs(s string) ([]string, error) {
	var attrs []string
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.ContainsAny(s[:eq], " \t\"") {
			return nil, fmt.Errorf("bad marker attribute %q", s)
		}
		n := eq + 1
		if strings.HasPrefix(s[n:], `"`) {
			q, err := strconv.QuotedPrefix(s[n:])
			if err != nil {
				return nil, fmt.Errorf("bad quoted marker value in %q", s)
			}
			n += len(q)
		} else if sp := strings.IndexByte(s[n:], ' '); sp >= 0 {
			n += sp
		} else {
			n = len(s)
		}
		attrs = append(attrs, s[:n])
		s = strings.TrimLeft(s[n:], " ")
	}
	return attrs, nil
}

// sameFile checks what the reader cannot know: that the edited file reads
// as the same source with the same units, unit id now reviewed with the
// new target. A blank line in a target, say, can turn part of it into a
// source block that the reader accepts.
func sameFile(before, after *out.File, id int, target []byte) error {
	if !bytes.Equal(before.Source.Source(), after.Source.Source()) {
		return errors.New("the edit would change the source text (a blank line or a marker-like line in the target?)")
	}
	if len(before.Units) != len(after.Units) {
		return fmt.Errorf("the edit would change the number of units from %d to %d", len(before.Units), len(after.Units))
	}
	u := &after.Units[id-1]
	if !u.Approved() {
		return errors.New("the unit would not read as reviewed")
	}
	if target != nil && !bytes.Equal(u.TargetBytes, target) {
		return errors.New("the target would not read back as written (a blank line or a marker-like line in it?)")
	}
	if u.Previous != nil {
		return errors.New("the previous target would remain")
	}
	return nil
}

// findings runs the segment checks on unit u with the given neutral
// targets, one per segment of its source block.
func (s *Server) findings(f *out.File, u *out.Unit, targets []string) []qa.Finding {
	src, err1 := language.Parse(f.Header.Source)
	tgt, err2 := language.Parse(f.Header.Target)
	if err1 != nil || err2 != nil {
		return nil
	}
	cfg := s.qaConfig()
	var all []qa.Finding
	for k, si := range f.Source.Blocks[u.Block].Segments {
		seg := f.Source.Segments[si]
		if k >= len(targets) {
			break
		}
		all = append(all, qa.CheckSegment(cfg, src, tgt, qa.Pair{
			Source: seg.Text, Target: targets[k], Line: u.TargetLine, SegIndex: si, Tags: seg.Tags,
		})...)
	}
	return all
}

// qaConfig is Options.QA with the glossary check wired in.
func (s *Server) qaConfig() *qa.Config {
	var cfg qa.Config
	if s.opts.QA != nil {
		cfg = *s.opts.QA
	}
	if g := s.opts.Glossary; g != nil && cfg.Glossary == nil {
		cfg.Glossary = func(src, tgt string) []string {
			var msgs []string
			for _, v := range g.CheckPair(src, tgt) {
				msgs = append(msgs, v.String())
			}
			return msgs
		}
	}
	return &cfg
}

// writeAtomic writes data to name inside rt through a temporary file and
// a rename, after checking once more that the file still has the version
// the edit was based on. A symlink inside the root is written through:
// its target is replaced, not the link.
func (s *Server) writeAtomic(rt root, name, version string, data []byte) error {
	real, err := resolveInRoot(rt, name)
	if err != nil {
		return fmt.Errorf("review: %s: %w", name, err)
	}
	fi, err := rt.r.Stat(real)
	if err != nil {
		return fmt.Errorf("review: %s: %w", name, err)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(filepath.Dir(real), "."+filepath.Base(real)+".review-"+hex.EncodeToString(rnd[:]))
	f, err := rt.r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return fmt.Errorf("review: %s: %w", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// The last moment to notice a writer that came in between.
		cur, rerr := rt.r.ReadFile(real)
		if rerr != nil {
			err = rerr
		} else if versionOf(cur) != version {
			err = ErrConflict
		}
	}
	if err == nil {
		err = rt.r.Rename(tmp, real)
	}
	if err != nil {
		_ = rt.r.Remove(tmp)
		if errors.Is(err, ErrConflict) {
			return err
		}
		return fmt.Errorf("review: write %s: %w", name, err)
	}
	return nil
}

// resolveInRoot follows symlinks from name to the file they lead to,
// as a path inside rt. os.Root refuses any step that leaves the root.
func resolveInRoot(rt root, name string) (string, error) {
	p := filepath.ToSlash(filepath.Clean(name))
	for range 40 {
		fi, err := rt.r.Lstat(filepath.FromSlash(p))
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return filepath.FromSlash(p), nil
		}
		link, err := rt.r.Readlink(filepath.FromSlash(p))
		if err != nil {
			return "", err
		}
		link = filepath.ToSlash(link)
		if path.IsAbs(link) {
			return "", errors.New("symlink leaves the directory")
		}
		p = path.Join(path.Dir(p), link)
		if !fs.ValidPath(p) {
			return "", errors.New("symlink leaves the directory")
		}
	}
	return "", errors.New("too many symlinks")
}

// record stores the reviewed units of the saved file in the memory, with
// the pipeline's own import.
func (s *Server) record(ctx context.Context, rt root, name string) (int, error) {
	abs := filepath.Join(rt.r.Name(), name)
	im, err := pipeline.ImportReviews(ctx, []string{abs}, &pipeline.ImportOptions{
		Memory: s.opts.Memory, KeyFunc: s.keyOf, Format: out.Format{Markdown: s.opts.Markdown},
	})
	if err != nil {
		return 0, err
	}
	return im.Segments, errors.Join(im.Errors...)
}
