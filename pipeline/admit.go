package pipeline

import (
	"context"
	"fmt"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/tm"
)

// admitGroupFiles and admitGroupUnits bound how much is admitted before
// one memory lookup answers the group's new units together.
const (
	admitGroupFiles = 32
	admitGroupUnits = 4096
)

// admitGroup admits f and, without waiting, the files right behind it that
// are already prepared, then resolves their new units from the memory in
// one lookup and queues the rest for the engine.
func (c *coordinator) admitGroup(ctx context.Context, f *docFile, futures <-chan chan *docFile) {
	group := []*docFile{f}
	c.admit(f)
more:
	for len(group) < admitGroupFiles && len(c.fresh) < admitGroupUnits && c.admitting() {
		select {
		case fut, ok := <-futures:
			if !ok {
				c.inputDone = true
				break more
			}
			next := <-fut
			c.admit(next)
			group = append(group, next)
		default:
			break more
		}
	}
	if err := c.lookup(ctx); err != nil {
		for _, f := range group {
			c.failOpen(f, fmt.Errorf("translation memory: %w", err))
		}
		return
	}
	for _, f := range group {
		c.offerPrevious(f)
	}
	for _, f := range group {
		c.enqueue(f)
	}
	c.claimGroup(ctx, group)
}

// admit takes one prepared file: failed and unchanged files are reported at
// once; the others get the run's unit for each segment outside a kept
// block, creating units for texts not seen in an open file.
func (c *coordinator) admit(f *docFile) {
	c.admits++
	c.r.obs.Planned(1, 0)
	if f.failed || f.unchanged {
		if f.unchanged {
			c.keepState(f)
			c.r.report.Totals.Segments += f.report.Segments
			c.unchangedSegs += f.report.Segments
		}
		c.addFile(f.report)
		return
	}
	c.open++
	c.r.report.Totals.Segments += len(f.doc.Segments)
	f.units = make([]*unit, len(f.doc.Segments))
	for i := range f.doc.Segments {
		sp := f.segs[i]
		if sp == nil {
			continue // in a kept block
		}
		u := c.live[sp.id]
		if u == nil {
			u = &unit{request: *sp}
			u.unit, u.piece = u, -1
			c.live[sp.id] = u
			c.fresh = append(c.fresh, u)
			c.seen[sp.id] |= 0
		}
		u.refs++
		f.units[i] = u
	}
	f.segs = nil // the units hold what the engine needs
}

// lookup resolves the units created since the last lookup from the
// translation memory: reviewed entries always (unless --force-reviewed),
// machine entries only from the origins the run reuses (unless --force).
func (c *coordinator) lookup(ctx context.Context) error {
	fresh := c.fresh
	c.fresh = nil
	if len(fresh) == 0 {
		return nil
	}
	keys := make([]string, len(fresh))
	for i, u := range fresh {
		keys[i] = u.key()
	}
	rep := c.r.report
	found, err := getEntries(ctx, c.r.mem, rep.Source, rep.Target, keys, c.r.lookup)
	if err != nil {
		return err
	}
	for i, u := range fresh {
		e, ok := found[keys[i]]
		if !ok || e.State == tm.Machine && c.r.opts.Force || e.State == tm.Reviewed && c.r.opts.ForceReviewed {
			continue
		}
		c.resolve(u, &result{state: done, target: e.Target, origin: e.Origin, reviewed: e.State == tm.Reviewed,
			violations: glossary.Verify(e.Target, u.matches())}, seenReused)
	}
	return nil
}

// offerPrevious resolves still pending units from the file's previous
// output: an unchanged machine unit written by this run's engine and model
// (or any, with Reuse any) that still keeps the glossary.
func (c *coordinator) offerPrevious(f *docFile) {
	if f.units == nil || f.prev == nil || c.r.synthetic || c.r.opts.Force {
		return
	}
	for i, s := range f.doc.Segments {
		u := f.units[i]
		if u == nil || u.state != pending {
			continue
		}
		pu, ok := f.prev.machine[s.Block]
		if !ok || !c.reusable(pu.by) {
			continue
		}
		target := pu.targets[indexInBlock(f.doc, i)]
		if len(glossary.Verify(target, u.matches())) > 0 {
			continue // the glossary changed since: translate again
		}
		c.resolve(u, &result{state: done, target: target, origin: pu.by}, seenReused)
	}
}

// reusable reports whether a machine translation by origin may be reused.
func (c *coordinator) reusable(origin string) bool {
	return c.r.opts.Reuse == ReuseAny || origin != "" && origin == c.t.origin
}

// enqueue counts what f still waits for and queues its pending units that
// no earlier file queued; a file that waits for nothing is written at once.
func (c *coordinator) enqueue(f *docFile) {
	if f.units == nil {
		return
	}
	for _, u := range f.units {
		if u == nil {
			continue
		}
		if u.state != pending {
			f.report.Reused++
			continue
		}
		u.waiting = append(u.waiting, f)
		f.pending++
		if !u.queued && !u.parked && c.claims == nil {
			c.queue(u)
		}
	}
	if f.pending == 0 {
		c.queueWrite(f)
	}
}

// queue hands u to the packer, as pieces when it is larger than one
// request may be.
func (c *coordinator) queue(u *unit) {
	u.queued = true
	c.r.obs.Planned(0, 1)
	parts := c.piecesOf(&u.request)
	if len(parts) < 2 {
		c.add(&u.request)
		return
	}
	u.long = &longUnit{pieces: make([]*request, len(parts)), targets: make([]string, len(parts)), left: len(parts)}
	for i, text := range parts {
		p := &request{id: u.id, source: text, send: text, gl: piecesGlossary(&u.request, text),
			chars: int32(runeCount(text)), tokens: int32(c.t.tokensOf(text)), ctx: u.ctx, unit: u, piece: int32(i)}
		p.ctx.seg = -1 // parts are checked for reading back once joined
		u.long.pieces[i] = p
		c.add(p)
	}
}

func (c *coordinator) add(r *request) {
	if full := c.pack.add(r); full != nil {
		c.ready = append(c.ready, full)
	}
}

// piecesOf cuts a request's text to fit one request of the engine, in
// characters and in tokens, or returns nil when it fits whole.
func (c *coordinator) piecesOf(r *request) []string {
	lim := c.t.lim
	maxChars := 0
	for _, m := range []int{lim.MaxSegmentChars, lim.MaxChars} {
		if m > 0 && (maxChars == 0 || m < maxChars) {
			maxChars = m
		}
	}
	if lim.MaxTokens > 0 && int(r.tokens) > lim.MaxTokens && r.tokens > 0 {
		// Characters per token vary with the text; aim a little under.
		byTokens := int(float64(lim.MaxTokens) * float64(r.chars) / float64(r.tokens) * 0.9)
		if maxChars == 0 || byTokens < maxChars {
			maxChars = max(1, byTokens)
		}
	}
	if maxChars == 0 || int(r.chars) <= maxChars {
		return nil
	}
	return splitText(r.send, maxChars, runeCount)
}

// plan counts, for a dry run, what the ready batches would send, and
// resolves their units as a real run would, so that later files reuse them.
func (c *coordinator) plan() {
	e := c.r.report.Estimate
	for _, b := range c.ready {
		e.Requests++
		for _, r := range b {
			e.Segments++
			e.Characters += int(r.chars)
			e.Tokens += int(r.tokens)
		}
		e.Cost += c.t.estimateCost(b)
		for _, r := range b {
			u := r.unit
			if u.state != pending {
				continue
			}
			if r.piece >= 0 {
				if u.long.left--; u.long.left > 0 {
					continue
				}
			}
			c.resolve(u, &result{state: done, target: u.source, origin: "dry-run"}, seenPlanned)
		}
	}
	c.ready = nil
}

// failOpen fails an admitted file before any of its units is queued.
func (c *coordinator) failOpen(f *docFile, err error) {
	if f.released || f.failed || f.unchanged {
		return
	}
	f.failed = true
	f.report.Status, f.report.Error = StatusFailed, oneLine(err.Error())
	for _, u := range f.units {
		if u != nil {
			u.refs--
		}
	}
	f.units = nil
	f.released = true
	c.open--
	c.addFile(f.report)
}

// queueWrite hands the writer what became of f's units (results never
// change) and queues it.
func (c *coordinator) queueWrite(f *docFile) {
	j := &writeJob{f: f, segs: make([]*result, len(f.doc.Segments))}
	for i, u := range f.units {
		if u != nil {
			j.segs[i] = u.res
		}
	}
	c.dropUnits(f)
	c.writeQ = append(c.writeQ, j)
}

// dropUnits lets go of f's units: a unit no open file uses is forgotten (a
// later file with the same text finds it in the memory, or, with a
// synthetic engine, has it made again).
func (c *coordinator) dropUnits(f *docFile) {
	for _, u := range f.units {
		if u == nil {
			continue
		}
		u.refs--
		if u.refs == 0 && u.state != pending {
			delete(c.live, u.id)
		}
	}
	f.units = nil
}

// merge takes a written file's outcome into the report.
func (c *coordinator) merge(d *fileDone) {
	rep := c.r.report
	rep.Failures = append(rep.Failures, d.failures...)
	for _, fd := range d.findings {
		if len(rep.Findings) < MaxReportFindings {
			rep.Findings = append(rep.Findings, fd)
		} else {
			rep.FindingsDropped++
		}
	}
	for _, g := range d.glossary {
		c.glossaryStats.Add(g.matches, g.violations)
	}
	rep.Glossary.Violations = append(rep.Glossary.Violations, d.violations...)
	for _, id := range d.failedKeys {
		c.seen[id] |= seenFailed
	}
	rep.Conflicts = append(rep.Conflicts, d.conflicts...)
	if d.edited {
		c.importEdited(d)
		// Files written before this import did not see it: the next run
		// must look at every file again.
		c.state.settings = "reviews imported during the run"
	}
	c.recordState(d)
	c.addFile(d.report)
}

func (c *coordinator) addFile(f FileReport) {
	c.r.report.Files = append(c.r.report.Files, f)
	c.r.obs.FileDone(f)
	// Failures are data in the report, printed once by the caller; the log
	// has one Info line per file.
	c.r.log.Info("file", "path", f.Path, "status", f.Status, "segments", f.Segments, "reused", f.Reused, "err", f.Error)
}

// importEdited stores the edits of an output a reviewer saved during the
// run, which the writer left alone, so none of them waits for the next run.
func (c *coordinator) importEdited(d *fileDone) {
	r := c.r
	im, err := ImportReviews(context.Background(), []string{d.f.outPath}, &ImportOptions{Memory: r.mem, KeyFunc: r.keyOf, Format: r.format()})
	if err != nil {
		return
	}
	r.report.Conflicts = append(r.report.Conflicts, im.Conflicts...)
	for _, e := range im.Errors {
		d.report.Error += "; its edits could not be read: " + oneLine(e.Error())
	}
}

// piecesGlossary is the glossary a piece of a long request carries: the
// entries that occur in its text.
func piecesGlossary(whole *request, text string) *reqGlossary {
	es := entriesIn(whole.entries(), text)
	if len(es) == 0 {
		return nil
	}
	return &reqGlossary{entries: es}
}
