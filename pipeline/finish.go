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

// writeJob is a file whose every segment is resolved, with a snapshot of
// its units taken by the coordinator, so the writer reads nothing shared.
type writeJob struct {
	f    *docFile
	segs []segOut // per segment; zero in kept blocks
}

// segOut is what became of one segment's unit.
type segOut struct {
	state      unitState
	target     string
	reason     string
	reviewed   bool
	origin     string
	key        string
	checked    bool // validated in this file's block when it was translated
	violations []glossary.Violation
	matches    []glossary.Match
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
	failedKeys []string // units whose translation would not read back here
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
	if f.prev.upToDate(f.doc, targets) && !r.flagsChanged(f, blocks) {
		d.report.Status, d.written = StatusUnchanged, f.outStamp
		return d
	}
	strictErr := r.check(f, targets, blocks, d)
	st, err := r.write(f, targets, unitInfos(blocks, f.prev))
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

// targets assembles each segment's target and the state of each block:
// kept blocks as the reviewer left them, failed segments with their source,
// translations with their glossary compliance.
func (r *run) targets(j *writeJob, d *fileDone) ([]string, map[int]*blockState) {
	f := j.f
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
			r.keptGlossary(f, s, targets[i], bs, d)
			continue
		}
		so := j.segs[i]
		if so.state == failed {
			targets[i] = s.Text
			bs.failed = true
			d.report.Failed++
			d.failures = append(d.failures, SegmentFailure{File: f.job.Path, Line: s.Line, Reason: oneLine(so.reason)})
			continue
		}
		d.glossary = append(d.glossary, glossaryUse{so.matches, so.violations})
		if len(so.violations) > 0 {
			bs.flags = append(bs.flags, "glossary", "needs-review")
			for _, v := range so.violations {
				d.violations = append(d.violations, GlossaryViolation{File: f.job.Path, Line: s.Line, Violation: v})
			}
		}
		targets[i] = so.target
		if so.target == s.Text {
			// Untranslated as a whole (a name, the copy engine): each
			// document keeps its own spacing of the shared text.
			targets[i] = s.Text
		}
		bs.reviewed = bs.reviewed && so.reviewed
		if !so.reviewed && bs.origin == "" {
			bs.origin = so.origin
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
func (r *run) flagsChanged(f *docFile, blocks map[int]*blockState) bool {
	for _, bs := range blocks {
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
func (r *run) check(f *docFile, targets []string, blocks map[int]*blockState, d *fileDone) bool {
	pairs := make([]qa.Pair, 0, len(targets))
	identity := true
	for i, s := range f.doc.Segments {
		bs := blocks[s.Block]
		if bs == nil || bs.kept != nil || bs.failed {
			continue // reviewers' text is checked by diglot check; failed is already flagged
		}
		identity = identity && targets[i] == s.Text
		pairs = append(pairs, qa.Pair{Source: s.Text, Target: targets[i], Line: s.Line, SegIndex: i, Tags: s.Tags})
	}
	var findings []qa.Finding
	if !identity || !r.synthetic {
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
			if bs := blocks[f.doc.Segments[fd.Segment].Block]; bs != nil {
				bs.flags = append(bs.flags, fd.Kind)
			}
		}
	}
	d.report.Findings = len(findings)
	return r.opts.QA != nil && r.opts.QA.Strict && qa.HasErrors(findings)
}

// failUnreadable marks each new translation that would not read back as
// failed: its source stays in the target slot, flagged, with the reason in
// the report. Each translation was checked in its first document before it
// was accepted; this catches one that reads differently in another.
func (r *run) failUnreadable(f *docFile, targets []string, blocks map[int]*blockState, j *writeJob, d *fileDone) {
	for bi, bs := range blocks {
		if bs.kept != nil || bs.failed || checkedAlone(f.doc, bi, j) {
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
			if k := j.segs[si].key; k != "" {
				d.failedKeys = append(d.failedKeys, k)
			}
		}
		d.failures = append(d.failures, SegmentFailure{File: f.job.Path, Line: f.doc.Blocks[bi].Line,
			Reason: oneLine("translation does not read back: " + err.Error())})
	}
}

// checkedAlone reports whether block bi holds one segment whose
// translation was checked in this very block when it was accepted.
func checkedAlone(doc *markdown.Document, bi int, j *writeJob) bool {
	segs := doc.Blocks[bi].Segments
	return len(segs) == 1 && j.segs[segs[0]].checked
}

// unitInfos decides each unit's state in the new output: kept units as they
// were (a reviewer's edit byte for byte, now marked reviewed), changed
// blocks that replaced a reviewed one stale, then failed, reviewed or
// machine, the last naming the engine that wrote it.
func unitInfos(blocks map[int]*blockState, prev *previous) map[int]out.UnitInfo {
	infos := make(map[int]out.UnitInfo, len(blocks))
	for bi, bs := range blocks {
		var info out.UnitInfo
		switch {
		case bs.kept != nil && bs.kept.Approved():
			info = out.UnitInfo{State: out.StateReviewed, Flags: bs.kept.Flags, MT: bs.kept.MT, Target: bs.kept.TargetBytes, By: bs.kept.By}
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
		info.Flags = uniqueSorted(append(slices.Clone(info.Flags), bs.flags...))
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

// write assembles the bilingual file and replaces the output atomically,
// unless a reviewer saved it since it was read.
func (r *run) write(f *docFile, targets []string, units map[int]out.UnitInfo) (stamp, error) {
	b := &out.Bilingual{From: f.job.Rel, Doc: f.doc, Targets: targets, Units: units}
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
