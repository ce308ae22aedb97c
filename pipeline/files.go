package pipeline

import (
	"context"
	"fmt"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tags"
	"github.com/diglot/diglot/tm"
)

// docFile is one input file on its way through the stages.
type docFile struct {
	job     Job
	outPath string
	report  FileReport
	failed  bool

	doc   *markdown.Document
	prev  *previous
	units []*unit // per segment; nil where the block is kept from the previous output
	done  bool    // written (or reported) already
}

// prepare reads, decodes and segments each file of a chunk, then resolves
// every segment it can without an engine: from the previous output, from
// this run's earlier files, or from the memory.
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
	if err := r.lookup(ctx, files); err != nil {
		for _, f := range files {
			if !f.failed {
				f.failed = true
				f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
			}
		}
	}
	return files
}

// load runs the read and segment stages for one file and reads its
// previous output.
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
	format := out.Format{Source: r.report.Source, Target: r.report.Target, Markdown: r.opts.Markdown}
	if f.prev, err = readPrevious(f.outPath, format, doc, r.opts.Force, r.opts.ForceReviewed); err != nil {
		return err
	}
	r.attachUnits(f)
	return nil
}

// attachUnits gives every segment outside a kept block its run-wide unit,
// creating units for texts not seen before in this run.
func (r *run) attachUnits(f *docFile) {
	f.units = make([]*unit, len(f.doc.Segments))
	title := docTitle(f.doc)
	prevText := ""
	for i, s := range f.doc.Segments {
		if _, ok := f.prev.kept[s.Block]; ok {
			f.report.Reused++
			prevText = s.Text
			continue
		}
		key := r.key(s.Text)
		u, seen := r.units[key]
		if !seen {
			u = newUnit(key, s.Text)
			u.ctx = unitContext{title: title, before: tags.Strip(prevText), path: f.job.Rel}
			r.protect(u)
			r.units[key] = u
			r.fresh = append(r.fresh, u)
		}
		f.units[i] = u
		prevText = s.Text
	}
	r.report.Totals.Segments += len(f.doc.Segments)
	r.obs.Planned(1, 0)
}

// key is a segment's memory key in this run's language pair.
func (r *run) key(text string) string {
	return r.keyOf(r.report.Source, r.report.Target, text)
}

// protect prepares what the engine receives for a new unit: glossary
// terms become tags that carry their target rendering, all of them for an
// engine that neither follows hints nor has a native glossary, only the
// keep-as-is names for one that does.
func (r *run) protect(u *unit) {
	if g := r.opts.Glossary; g != nil {
		u.matches = g.Match(u.source)
		if len(u.matches) > 0 {
			mode := glossary.ProtectAll
			if r.tr.glossaryAware {
				mode = glossary.ProtectKeep
			}
			u.send, u.restore = glossary.Protect(u.source, u.matches, mode)
			u.chars = utf8.RuneCountInString(u.send)
		}
	}
	if r.tr.est != nil {
		u.tokens = r.tr.est.Tokens(u.send)
	}
}

// lookup resolves the chunk's new units from the memory, then from the
// previous outputs' unchanged machine translations, unless forced.
func (r *run) lookup(ctx context.Context, files []*docFile) error {
	fresh := r.fresh
	r.fresh = nil
	if len(fresh) > 0 {
		keys := make([]string, len(fresh))
		for i, u := range fresh {
			keys[i] = u.key
		}
		found, err := r.mem.Get(ctx, r.report.Source, r.report.Target, keys)
		if err != nil {
			return fmt.Errorf("translation memory: %w", err)
		}
		for _, u := range fresh {
			e, ok := found[u.key]
			if !ok || e.State == tm.Machine && r.opts.Force || e.State == tm.Reviewed && r.opts.ForceReviewed {
				continue
			}
			u.state, u.target, u.origin, u.reviewed = done, e.Target, e.Origin, e.State == tm.Reviewed
		}
	}
	for _, f := range files {
		if f.failed {
			continue
		}
		for i, s := range f.doc.Segments {
			u := f.units[i]
			if u == nil {
				continue
			}
			if pu, ok := f.prev.machine[s.Block]; ok && u.state == pending {
				u.state, u.target, u.origin = done, pu.Targets[indexInBlock(f.doc, i)], "output"
			}
			if u.state == done {
				f.report.Reused++
			}
		}
	}
	return nil
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

// finishReady writes each file of the current chunk whose segments are all
// resolved, so an interrupted run keeps every file it could complete. The
// writer goroutine runs it whenever a batch ends: files are claimed under
// the units' lock, then checked and written outside it, so requests never
// wait for file work. A resolved unit never changes again.
func (r *run) finishReady() {
	r.tr.mu.Lock()
	var ready []*docFile
	for _, f := range r.current {
		if !f.done && !f.failed && f.resolved() {
			f.done = true
			ready = append(ready, f)
		}
	}
	r.tr.mu.Unlock()
	for _, f := range ready {
		r.finishFile(f)
		r.addFile(f.report)
	}
}

// finish writes what finishReady has not: files whose segments are still
// pending (the run stopped) are not written, so every output is complete or
// absent, and failed files are reported.
func (r *run) finish(files []*docFile) {
	for _, f := range files {
		if f.done {
			continue
		}
		if !f.failed {
			r.finishFile(f)
		}
		r.addFile(f.report)
		f.done = true
	}
}

// resolved reports whether every segment has a translation or has failed.
func (f *docFile) resolved() bool {
	for _, u := range f.units {
		if u != nil && u.state == pending {
			return false
		}
	}
	return true
}

func (r *run) finishFile(f *docFile) {
	targets := make([]string, len(f.doc.Segments))
	blocks := map[int]*blockState{}
	for i, s := range f.doc.Segments {
		bs := blocks[s.Block]
		if bs == nil {
			bs = &blockState{reviewed: true}
			blocks[s.Block] = bs
		}
		if k, ok := f.prev.kept[s.Block]; ok {
			bs.kept = k
			targets[i] = k.Targets[indexInBlock(f.doc, i)]
			continue
		}
		u := f.units[i]
		switch u.state {
		case pending:
			f.report.Status, f.report.Error = StatusInterrupted, "not written: the run stopped before its segments were translated"
			if r.tr.stopped.Load() != nil {
				f.report.Error = "not written: the engine stopped"
			}
			return
		case failed:
			targets[i] = s.Text
			bs.failed = true
			f.report.Failed++
			r.report.Failures = append(r.report.Failures, SegmentFailure{File: f.job.Path, Line: s.Line, Reason: oneLine(u.reason)})
		default:
			r.glossaryStats.Add(u.matches, u.violations)
			if len(u.violations) > 0 {
				bs.flags = append(bs.flags, "glossary", "needs-review")
				for _, v := range u.violations {
					r.report.Glossary.Violations = append(r.report.Glossary.Violations,
						GlossaryViolation{File: f.job.Path, Line: s.Line, Violation: v})
				}
			}
			targets[i] = u.target
			if u.target == u.source {
				// Untranslated as a whole (a name, the copy engine): each
				// document keeps its own spacing of the shared text.
				targets[i] = s.Text
			}
		}
		bs.reviewed = bs.reviewed && u.reviewed
	}
	r.failUnreadable(f, targets, blocks)
	if f.prev.upToDate(f.doc, targets) {
		f.report.Status = StatusUnchanged
		return // nothing to check or write: the output already says this
	}
	strictErr := r.check(f, targets, blocks)
	if err := r.write(f, targets, unitInfos(blocks, f.prev)); err != nil {
		f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
		return
	}
	f.report.Status = StatusOK
	if f.report.Failed > 0 || strictErr {
		f.report.Status = StatusAttention
	}
}

// check runs the QA gate over a file's translations: findings become flags
// on their blocks' markers and entries in the report. It reports whether
// strict mode makes the file need attention.
func (r *run) check(f *docFile, targets []string, blocks map[int]*blockState) bool {
	pairs := make([]qa.Pair, 0, len(targets))
	for i, s := range f.doc.Segments {
		if _, kept := f.prev.kept[s.Block]; kept || f.units[i] == nil || f.units[i].state == failed {
			continue // reviewers' text is checked by diglot check; failed is already flagged
		}
		pairs = append(pairs, qa.Pair{Source: s.Text, Target: targets[i], Line: s.Line, SegIndex: i, Tags: s.Tags})
	}
	findings := qa.CheckPairs(r.opts.QA, r.opts.Source, r.opts.Target, pairs)
	if tgt, err := f.doc.Assemble(targets); err == nil {
		if td, err := markdown.Parse(tgt, r.opts.Markdown); err == nil {
			findings = qa.Merge(qa.CheckDocument(r.opts.QA, f.doc, td), findings)
		}
	}
	for _, fd := range findings {
		if len(r.report.Findings) < MaxReportFindings {
			r.report.Findings = append(r.report.Findings, Finding{File: f.job.Path, Finding: fd})
		} else {
			r.report.FindingsDropped++
		}
		if fd.Segment >= 0 && fd.Segment < len(f.doc.Segments) {
			if bs := blocks[f.doc.Segments[fd.Segment].Block]; bs != nil {
				bs.flags = append(bs.flags, fd.Kind)
			}
		}
	}
	f.report.Findings = len(findings)
	return r.opts.QA != nil && r.opts.QA.Strict && qa.HasErrors(findings)
}

// failUnreadable marks each new translation that would not read back as
// failed: its source stays in the target slot, flagged, with the reason in
// the report.
func (r *run) failUnreadable(f *docFile, targets []string, blocks map[int]*blockState) {
	for bi, bs := range blocks {
		if bs.kept != nil || bs.failed {
			continue
		}
		err := readsBack(f.doc, bi, targets, r.opts.Markdown)
		if err == nil {
			continue
		}
		bs.failed, bs.reviewed = true, false
		for _, si := range f.doc.Blocks[bi].Segments {
			targets[si] = f.doc.Segments[si].Text
			f.report.Failed++
		}
		r.report.Failures = append(r.report.Failures, SegmentFailure{File: f.job.Path, Line: f.doc.Blocks[bi].Line,
			Reason: oneLine("translation does not read back: " + err.Error())})
	}
}

// blockState gathers what a block's segments say about the block's unit.
type blockState struct {
	kept     *out.Unit
	flags    []string
	failed   bool
	reviewed bool // every segment came from a reviewed memory entry
}

// unitInfos decides each unit's state in the new output: kept units as they
// were (a reviewer's edit byte for byte), changed blocks that replaced a
// reviewed one stale, then failed, reviewed or machine.
func unitInfos(blocks map[int]*blockState, prev *previous) map[int]out.UnitInfo {
	infos := make(map[int]out.UnitInfo, len(blocks))
	for bi, bs := range blocks {
		var info out.UnitInfo
		switch {
		case bs.kept != nil && bs.kept.Approved():
			info = out.UnitInfo{State: out.StateReviewed, Flags: bs.kept.Flags, MT: bs.kept.MT, Target: bs.kept.TargetBytes}
		case bs.kept != nil:
			info = out.UnitInfo{State: bs.kept.State, Flags: bs.kept.Flags, MT: bs.kept.MT, Previous: bs.kept.Previous}
		case prev.stale[bi] != nil:
			info = out.UnitInfo{State: out.StateStale, Previous: prev.stale[bi]}
		case bs.failed:
			info = out.UnitInfo{State: out.StateFailed}
		case bs.reviewed:
			info = out.UnitInfo{State: out.StateReviewed}
		default:
			info = out.UnitInfo{State: out.StateMachine}
		}
		if bs.kept == nil {
			info.Flags = uniqueSorted(append(info.Flags, bs.flags...))
		}
		infos[bi] = info
	}
	return infos
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

// write assembles the bilingual file and replaces the output atomically.
func (r *run) write(f *docFile, targets []string, units map[int]out.UnitInfo) error {
	b := &out.Bilingual{From: f.job.Rel, Doc: f.doc, Targets: targets, Units: units}
	format := out.Format{Source: r.report.Source, Target: r.report.Target, Markdown: r.opts.Markdown}
	return WriteFileAtomic(f.outPath, func(w *os.File) error { return out.WriteBilingual(w, b, format) })
}

func uniqueSorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}
