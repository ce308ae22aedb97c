package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/tags"
)

// docFile is one input file on its way through the stages.
type docFile struct {
	job     Job
	outPath string
	report  FileReport
	failed  bool

	doc   *markdown.Document
	units []*unit // per segment; nil where the target came from the existing output
	// kept holds, by block index, units of the existing bilingual output
	// whose source block is unchanged: their targets are reused as they are.
	kept map[int]*out.Unit
}

// prepare reads, decodes and segments each file of a chunk and resolves
// every segment it can without an engine: from the existing output, from
// this run's earlier files, or from memory.
func (r *run) prepare(ctx context.Context, jobs []Job) []*docFile {
	files := make([]*docFile, 0, len(jobs))
	for _, j := range jobs {
		f := &docFile{job: j, report: FileReport{Path: j.Path}}
		if err := r.load(f); err != nil {
			f.failed = true
			f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
		}
		files = append(files, f)
	}
	return files
}

// load runs the read and segment stages for one file.
func (r *run) load(f *docFile) error {
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
	doc, err := markdown.Parse(src.Text, r.opts.Markdown)
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	f.doc = doc
	f.report.Segments = len(doc.Segments)
	if err := r.readExisting(f); err != nil {
		return err
	}
	r.attachUnits(f)
	return nil
}

// readExisting reads the file's earlier bilingual output, if any, so that
// unchanged blocks keep their translations and reviewers' edits survive.
// An output that cannot be read is left untouched and the file fails: a
// reviewer's work is never overwritten.
func (r *run) readExisting(f *docFile) error {
	data, err := os.ReadFile(f.outPath)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	prev, err := out.ReadBilingual(f.outPath, data)
	if err != nil {
		return fmt.Errorf("existing output not overwritten: %w", err)
	}
	bySrc := map[string]*out.Unit{}
	for i := range prev.Units {
		u := &prev.Units[i]
		bySrc[u.Src] = u
	}
	f.kept = map[int]*out.Unit{}
	for bi, b := range f.doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		h := out.Hash(f.doc.Source()[b.Start:b.End])
		if u, ok := bySrc[h]; ok && len(u.Targets) == len(b.Segments) && u.State != out.StateFailed {
			f.kept[bi] = u
		}
	}
	return nil
}

// attachUnits gives every segment not kept from the existing output its
// run-wide unit, creating units for texts not seen before.
func (r *run) attachUnits(f *docFile) {
	f.units = make([]*unit, len(f.doc.Segments))
	title := docTitle(f.doc)
	prevText := ""
	for i, s := range f.doc.Segments {
		if _, ok := f.kept[s.Block]; ok {
			f.report.Reused++
			prevText = s.Text
			continue
		}
		key := Key(r.report.Source, r.report.Target, s.Text, "")
		u, seen := r.units[key]
		if !seen {
			u = newUnit(key, s.Text)
			u.ctx = unitContext{title: title, before: tags.Strip(prevText), path: f.job.Rel}
			if r.tr.est != nil {
				u.tokens = r.tr.est.Tokens(u.send)
			}
			r.units[key] = u
		} else if u.state == done {
			f.report.Reused++
		}
		f.units[i] = u
		prevText = s.Text
	}
	r.report.Totals.Segments += len(f.doc.Segments)
	r.obs.Planned(1, 0)
	if f.report.Reused > 0 {
		r.obs.Reused(f.report.Reused)
	}
}

// newUnits lists the chunk's units that still need an engine, each once.
func (r *run) newUnits(files []*docFile) []*unit {
	var us []*unit
	seen := map[*unit]bool{}
	for _, f := range files {
		for _, u := range f.units {
			if u != nil && u.state == pending && !seen[u] {
				seen[u] = true
				us = append(us, u)
			}
		}
	}
	return us
}

// finish assembles and writes each file of the chunk whose segments are
// all resolved; a file with segments still pending (the run stopped) is not
// written, so every output is complete or absent.
func (r *run) finish(files []*docFile) {
	for _, f := range files {
		if !f.failed {
			r.finishFile(f)
		}
		r.addFile(f.report)
	}
}

func (r *run) finishFile(f *docFile) {
	targets := make([]string, len(f.doc.Segments))
	states := map[int]out.UnitInfo{}
	for i, s := range f.doc.Segments {
		if k, ok := f.kept[s.Block]; ok {
			states[s.Block] = keptInfo(k)
			targets[i] = k.Targets[indexInBlock(f.doc, i)]
			continue
		}
		u := f.units[i]
		switch u.state {
		case pending:
			f.report.Status, f.report.Error = StatusInterrupted, "not written: the run stopped before its segments were translated"
			return
		case failed:
			targets[i] = s.Text
			f.report.Failed++
			info := states[s.Block]
			info.State = out.StateFailed
			states[s.Block] = info
			r.report.Failures = append(r.report.Failures, SegmentFailure{File: f.job.Path, Line: s.Line, Reason: oneLine(u.reason)})
		default:
			targets[i] = u.target
			if u.target == u.source {
				// Untranslated as a whole (a name, the copy engine): each
				// document keeps its own spacing of the shared text.
				targets[i] = s.Text
			}
			if _, ok := states[s.Block]; !ok {
				states[s.Block] = out.UnitInfo{State: out.StateMachine}
			}
		}
	}
	if err := r.write(f, targets, states); err != nil {
		f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
		return
	}
	f.report.Status = StatusOK
	if f.report.Failed > 0 {
		f.report.Status = StatusAttention
	}
}

// indexInBlock returns the position of segment i among its block's segments.
func indexInBlock(doc *markdown.Document, i int) int {
	b := doc.Blocks[doc.Segments[i].Block]
	for k, s := range b.Segments {
		if s == i {
			return k
		}
	}
	return 0
}

// keptInfo carries an unchanged unit of the existing output over: a
// reviewer's edit or approval stays reviewed, byte for byte.
func keptInfo(u *out.Unit) out.UnitInfo {
	info := out.UnitInfo{State: u.State, Flags: u.Flags, MT: u.MT, Previous: u.Previous}
	if u.Edited || u.State == out.StateReviewed {
		info.State = out.StateReviewed
		info.Target = u.TargetBytes
	}
	return info
}

// write assembles the bilingual file and replaces the output atomically.
func (r *run) write(f *docFile, targets []string, units map[int]out.UnitInfo) error {
	b := &out.Bilingual{
		Header: out.Header{Source: r.report.Source, Target: r.report.Target, From: f.job.Rel},
		Doc:    f.doc, Targets: targets, Units: units,
	}
	return WriteFileAtomic(f.outPath, func(w *os.File) error { return out.WriteBilingual(w, b) })
}
