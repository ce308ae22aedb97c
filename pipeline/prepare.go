package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
	"unicode/utf8"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
)

// docFile is one input file on its way through the stages. Readers fill
// it; from then on only the coordinator changes it, except that a writer
// reads it while the coordinator leaves it alone.
type docFile struct {
	job     Job
	outPath string
	report  FileReport

	failed    bool // could not be read: reported, never written
	unchanged bool // source, output and settings as the last run left them
	released  bool // written (or failed) and forgotten by the coordinator

	doc  *markdown.Document
	prev *previous
	segs []*request // per segment, what an engine would get; nil in kept blocks

	units   []*unit // per segment, the run's unit; nil in kept blocks
	pending int     // segments waiting for a unit

	srcHash  string // hash of the source bytes, for the run state
	outStamp stamp  // the previous output as it was read
}

// stamp is what tells whether a file changed: its size and modification
// time, as make and rsync judge it. Editors always update the time.
type stamp struct {
	exists bool
	size   int64
	mtime  time.Time
}

func stampOf(fi fs.FileInfo) stamp {
	return stamp{exists: true, size: fi.Size(), mtime: fi.ModTime()}
}

// prepare runs the read and segment stages for one job and reads its
// previous output; it runs on reader goroutines and touches nothing shared.
func (r *run) prepare(j Job, state *runState) *docFile {
	f := &docFile{job: j, report: FileReport{Path: j.Path}}
	if err := r.load(f, state); err != nil {
		f.failed = true
		f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
	}
	return f
}

func (r *run) load(f *docFile, state *runState) error {
	outPath, err := OutputPath(r.opts.OutDir, f.job.Rel)
	if err != nil {
		return err
	}
	f.outPath, f.report.Output = outPath, outPath
	src, err := ReadSource(f.job.Path, r.opts.MaxFileSize, r.opts.InputEncoding)
	if err != nil {
		return err
	}
	f.report.Encoding = src.Encoding
	f.srcHash = hashBytes(src.Text)
	if fi, err := os.Lstat(outPath); err == nil {
		f.outStamp = stampOf(fi)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if n, ok := state.unchanged(f.job.Rel, f.srcHash, f.outStamp); ok {
		f.unchanged = true
		f.report.Status, f.report.Segments, f.report.Reused = StatusUnchanged, n, n
		return nil
	}
	doc, err := markdown.Parse(src.Text, r.opts.Markdown)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	f.doc = doc
	f.report.Segments = len(doc.Segments)
	if f.outStamp.exists {
		if f.prev, err = r.readPrevious(outPath, doc); err != nil {
			return err
		}
	} else {
		f.prev = &previous{}
	}
	f.segs = r.requests(f)
	return nil
}

// requests prepares what an engine would get for each segment outside a
// kept block: its key, its glossary terms protected or listed, its size.
func (r *run) requests(f *docFile) []*request {
	segs := make([]*request, len(f.doc.Segments))
	fc := &fileContext{title: docTitle(f.doc), path: f.job.Rel, doc: f.doc}
	for i, s := range f.doc.Segments {
		if _, kept := f.prev.kept[s.Block]; !kept {
			segs[i] = r.newRequest(s.Text, unitContext{file: fc, seg: i})
		}
	}
	return segs
}

// newRequest prepares one segment's text: glossary terms become tags that
// carry their target rendering (all of them for an engine that neither
// follows hints nor has a native glossary, only the keep-as-is names for
// one that does), and the entries travel with the request for engines that
// take hints.
func (r *run) newRequest(text string, ctx unitContext) *request {
	q := &request{source: text, send: text, ctx: ctx, piece: -1}
	var hash string
	if g := r.opts.Glossary; g != nil {
		matches := g.Match(text)
		hash = glossary.KeyHash(matches)
		if len(matches) > 0 {
			mode := glossary.ProtectAll
			if r.tr.glossaryAware {
				mode = glossary.ProtectKeep
			}
			q.gl = &reqGlossary{matches: matches, entries: glossary.Entries(matches)}
			q.send, q.gl.restore = glossary.Protect(text, matches, mode)
		}
	}
	q.id = keyOf(r.report.Source, r.report.Target, text, hash)
	q.chars = int32(utf8.RuneCountInString(q.send))
	q.tokens = int32(r.tr.tokensOf(q.send))
	return q
}

func hashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
