package pipeline

import (
	"errors"
	"fmt"
	"slices"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/qa"
)

// writeJob is a file whose every segment is resolved, with what became of
// each segment's unit (nil in kept blocks). Results never change, so the
// writer reads nothing the coordinator changes.
type writeJob struct {
	f    *docFile
	segs []*result
}

// fileDone is a writer's account of one file, merged into the report by
// the coordinator.
type fileDone struct {
	f          *docFile
	report     FileReport
	failures   []SegmentFailure
	findings   []Finding
	violations []GlossaryViolation
	glossary   []glossaryUse
	failedKeys []keyID // units whose translation would not read back here
	conflicts  []ReviewConflict
	written    stamp // the output as written, for the run state
	edited     bool  // a reviewer saved the output during the run: not overwritten
}

// glossaryUse is one segment's glossary terms and the ones its target
// misses, for the compliance figures.
type glossaryUse struct {
	matches    []glossary.Match
	violations []glossary.Violation
}

// blockState gathers what a block's segments say about the block's unit.
type blockState struct {
	block    int // index in the document's blocks
	kept     *out.Unit
	flags    []string
	failed   bool
	reviewed bool   // every segment came from a reviewed memory entry
	origin   string // the engine:model of its machine segments
}

// finishFile is the writer stage: it assembles a file's targets, fails any
// block that would not read back, runs the checks, and writes the
// bilingual file unless the output already says the same. It runs on
// writer goroutines.
func (r *run) finishFile(j *writeJob) *fileDone {
	f := j.f
	d := &fileDone{f: f, report: f.report}
	targets, blocks := r.targets(j, d)
	r.failUnreadable(f, targets, blocks, j, d)
	if r.opts.DryRun {
		d.report.Status = StatusPlanned
		return d
	}
	if f.prev.upToDate(f.doc, targets) && !flagsChanged(blocks) {
		d.report.Status, d.written = StatusUnchanged, f.outStamp
		return d
	}
	strictErr := r.check(f, targets, blocks, d)
	st, err := r.write(f, targets, unitInfo(blocks, f.prev))
	switch {
	case errors.Is(err, errEditedDuringRun):
		d.edited = true
		d.report.Status = StatusAttention
		d.report.Error = "not overwritten: a reviewer saved this output during the run; run again to merge the edits"
		return d
	case err != nil:
		d.report.Status, d.report.Error = StatusFailed, oneLine(err.Error())
		return d
	}
	d.written = st
	d.report.Status = StatusOK
	if d.report.Failed > 0 || strictErr {
		d.report.Status = StatusAttention
	}
	return d
}

// blockStates holds the state of each block with segments, in order, and
// finds a segment's.
type blockStates struct {
	list []blockState
	of   []int32 // block index -> position in list, -1 for none
}

func newBlockStates(doc *markdown.Document) *blockStates {
	bs := &blockStates{of: make([]int32, len(doc.Blocks))}
	for bi, b := range doc.Blocks {
		bs.of[bi] = -1
		if len(b.Segments) > 0 {
			bs.of[bi] = int32(len(bs.list))
			bs.list = append(bs.list, blockState{block: bi, reviewed: true})
		}
	}
	return bs
}

// at returns the state of block bi (a block with segments).
func (bs *blockStates) at(bi int) *blockState { return &bs.list[bs.of[bi]] }

// targets assembles each segment's target and the state of each block:
// kept blocks as the reviewer left them, failed segments with their source,
// translations with their glossary compliance.
func (r *run) targets(j *writeJob, d *fileDone) ([]string, *blockStates) {
	f := j.f
	targets := make([]string, len(f.doc.Segments))
	blocks := newBlockStates(f.doc)
	for i, s := range f.doc.Segments {
		bs := blocks.at(s.Block)
		if k, ok := f.prev.kept[s.Block]; ok {
			bs.kept = k
			targets[i] = k.Targets[indexInBlock(f.doc, i)]
			r.keptGlossary(f, s, targets[i], bs, d)
			continue
		}
		res := j.segs[i]
		if res.state == failed {
			targets[i] = s.Text
			bs.failed = true
			d.report.Failed++
			d.failures = append(d.failures, SegmentFailure{File: f.job.Path, Line: s.Line, Reason: oneLine(res.reason)})
			continue
		}
		if m := res.matches(); len(m) > 0 {
			d.glossary = append(d.glossary, glossaryUse{m, res.violations})
		}
		if len(res.violations) > 0 {
			bs.flags = append(bs.flags, "glossary", "needs-review")
			for _, v := range res.violations {
				d.violations = append(d.violations, GlossaryViolation{File: f.job.Path, Line: s.Line, Violation: v})
			}
		}
		targets[i] = res.target
		if res.target == s.Text {
			// Untranslated as a whole (a name, the copy engine): each
			// document keeps its own spacing of the shared text.
			targets[i] = s.Text
		}
		bs.reviewed = bs.reviewed && res.reviewed
		if !res.reviewed && bs.origin == "" {
			bs.origin = res.origin
		}
	}
	return targets, blocks
}

// keptGlossary checks a reviewer's kept target against the glossary: a
// violation is counted and flagged, never changed.
func (r *run) keptGlossary(f *docFile, s markdown.Segment, target string, bs *blockState, d *fileDone) {
	g := r.opts.Glossary
	if g == nil {
		return
	}
	matches := g.Match(s.Text)
	if len(matches) == 0 {
		return
	}
	vs := glossary.Verify(target, matches)
	d.glossary = append(d.glossary, glossaryUse{matches, vs})
	for _, v := range vs {
		d.violations = append(d.violations, GlossaryViolation{File: f.job.Path, Line: s.Line, Violation: v})
	}
	if len(vs) > 0 {
		bs.flags = append(bs.flags, "glossary")
	}
}

// flagsChanged reports whether a kept block gained a flag it does not show
// yet (a glossary added since the reviewer's edit), so the file is
// rewritten to show it.
func flagsChanged(blocks *blockStates) bool {
	for i := range blocks.list {
		bs := &blocks.list[i]
		if bs.kept == nil {
			continue
		}
		for _, fl := range bs.flags {
			if !slices.Contains(bs.kept.Flags, fl) {
				return true
			}
		}
	}
	return false
}

// check runs the QA gate over a file's translations: findings become flags
// on their blocks' markers and entries in the report. It reports whether
// strict mode makes the file need attention.
func (r *run) check(f *docFile, targets []string, blocks *blockStates, d *fileDone) bool {
	checked := func(i int) bool {
		bs := blocks.at(f.doc.Segments[i].Block)
		return bs.kept == nil && !bs.failed // reviewers' text is checked by diglot check; failed is already flagged
	}
	identity := true
	for i, s := range f.doc.Segments {
		identity = identity && (!checked(i) || targets[i] == s.Text)
	}
	var findings []qa.Finding
	if !identity || !r.synthetic {
		pairs := make([]qa.Pair, 0, len(targets))
		for i, s := range f.doc.Segments {
			if checked(i) {
				pairs = append(pairs, qa.Pair{Source: s.Text, Target: targets[i], Line: s.Line, SegIndex: i, Tags: s.Tags})
			}
		}
		findings = qa.CheckPairs(r.opts.QA, r.opts.Source, r.opts.Target, pairs)
		if tgt, err := f.doc.Assemble(targets); err == nil {
			if td, err := markdown.Parse(tgt, r.opts.Markdown); err == nil {
				findings = qa.Merge(qa.CheckDocument(r.opts.QA, f.doc, td), findings)
			}
		}
	}
	for _, fd := range findings {
		d.findings = append(d.findings, Finding{File: f.job.Path, Finding: fd})
		if fd.Segment >= 0 && fd.Segment < len(f.doc.Segments) {
			bs := blocks.at(f.doc.Segments[fd.Segment].Block)
			bs.flags = append(bs.flags, fd.Kind)
		}
	}
	d.report.Findings = len(findings)
	return r.opts.QA != nil && r.opts.QA.Strict && qa.HasErrors(findings)
}

// failUnreadable marks each new translation that would not read back as
// failed: its source stays in the target slot, flagged, with the reason in
// the report. Each translation was checked in its first document before it
// was accepted; this catches one that reads differently in another.
func (r *run) failUnreadable(f *docFile, targets []string, blocks *blockStates, j *writeJob, d *fileDone) {
	for i := range blocks.list {
		bs := &blocks.list[i]
		bi := bs.block
		if bs.kept != nil || bs.failed || checkedAlone(f, bi, j) {
			continue
		}
		err := readsBack(f.doc, bi, targets, r.opts.Markdown)
		if err == nil {
			continue
		}
		bs.failed, bs.reviewed = true, false
		for _, si := range f.doc.Blocks[bi].Segments {
			targets[si] = f.doc.Segments[si].Text
			d.report.Failed++
			d.failedKeys = append(d.failedKeys, j.segs[si].id)
		}
		d.failures = append(d.failures, SegmentFailure{File: f.job.Path, Line: f.doc.Blocks[bi].Line,
			Reason: oneLine("translation does not read back: " + err.Error())})
	}
}

// checkedAlone reports whether block bi holds one segment whose
// translation was checked in this very block when it was accepted.
func checkedAlone(f *docFile, bi int, j *writeJob) bool {
	segs := f.doc.Blocks[bi].Segments
	if len(segs) != 1 {
		return false
	}
	res := j.segs[segs[0]]
	return res.sent && res.doc == f.doc && int(res.seg) == segs[0]
}

// unitInfo decides a unit's state in the new output: kept units as they
// were (a reviewer's edit byte for byte, now marked reviewed), changed
// blocks that replaced a reviewed one stale, then failed, reviewed or
// machine, the last naming the engine that wrote it. It is asked for each
// unit as the file is written, so no map of them is built.
func unitInfo(blocks *blockStates, prev *previous) func(bi int) out.UnitInfo {
	return func(bi int) out.UnitInfo {
		if bi < 0 || bi >= len(blocks.of) || blocks.of[bi] < 0 {
			return out.UnitInfo{}
		}
		bs := blocks.at(bi)
		var info out.UnitInfo
		switch {
		case bs.kept != nil && bs.kept.Approved():
			// The machine text's QA flags do not describe the reviewer's;
			// what this run found (a glossary check) is added below.
			info = out.UnitInfo{State: out.StateReviewed, MT: bs.kept.MT, Target: bs.kept.TargetBytes, By: bs.kept.By}
		case bs.kept != nil:
			info = out.UnitInfo{State: bs.kept.State, Flags: bs.kept.Flags, MT: bs.kept.MT, Previous: bs.kept.Previous, By: bs.kept.By}
		case prev.stale[bi] != nil:
			info = out.UnitInfo{State: out.StateStale, Previous: prev.stale[bi], By: bs.origin}
		case bs.failed:
			info = out.UnitInfo{State: out.StateFailed}
		case bs.reviewed:
			info = out.UnitInfo{State: out.StateReviewed}
		default:
			info = out.UnitInfo{State: out.StateMachine, By: bs.origin}
		}
		if len(bs.flags) > 0 {
			info.Flags = uniqueSorted(append(slices.Clone(info.Flags), bs.flags...))
		}
		return info
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

// write assembles the bilingual file and replaces the output atomically,
// unless a reviewer saved it since it was read.
func (r *run) write(f *docFile, targets []string, info func(int) out.UnitInfo) (stamp, error) {
	b := &out.Bilingual{From: f.job.Rel, Doc: f.doc, Targets: targets, Info: info}
	data, err := out.AppendBilingual(nil, b, r.format())
	if err != nil {
		return stamp{}, fmt.Errorf("write %s: %w", f.outPath, err)
	}
	return r.outputs.write(f.job.Rel, data, f.outStamp)
}

func uniqueSorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}
