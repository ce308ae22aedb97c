package pipeline

import (
	"context"
	"sync"
	"time"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/tm"
)

// coordinator owns a run's state. Readers prepare files ahead of it,
// workers send requests and return outcomes, writers check and write
// finished files; all of them talk to the coordinator over channels, and
// only the coordinator's goroutine touches units, open files, the report
// and the translation memory's writes. Memory is bounded by the files open
// at once (Options.ChunkFiles) plus the keys seen: a unit is dropped when
// the last open file using it has been written.
type coordinator struct {
	r *run
	t *translator

	jobs   []Job
	state  *runState
	live   map[keyID]*unit // units used by open files, by key
	seen   map[keyID]uint8 // every key seen in the run, with what became of it
	pack   packer
	ready  [][]*request // batches packed and waiting for a worker
	fresh  []*unit      // units created since the last memory lookup
	admits int          // jobs taken from the readers
	// unchangedSegs counts the segments of files skipped as unchanged:
	// reused, though their keys are not known (they are not parsed).
	unchangedSegs int

	inFlight int // batches handed to workers and not finished
	workers  int
	open     int // files admitted and not yet released
	writeQ   []*writeJob
	writing  int

	stopping  bool
	inputDone bool

	// memErr is why the memory could not store results, or nil. Once it is
	// set the run stops, and nothing translated after it is kept.
	memErr   error
	unstored int // translations that came back and could not be stored

	glossaryStats glossary.Stats

	claims *claims         // nil unless the memory is shared with other runs
	parked map[keyID]*unit // units another run holds the lease of
	// toClaim is the claim line: pending units not yet claimed, in the
	// order files were read (see claimMore).
	toClaim []*unit
	held    map[string]bool // keys this run holds the lease of

	results chan workerMsg
	work    chan []*request
	writes  chan *writeJob
	written chan *fileDone
	wg      sync.WaitGroup
}

// The flags of a key in coordinator.seen.
const (
	seenReused uint8 = 1 << iota
	seenTranslated
	seenFailed
	seenPlanned
)

// workerMsg is a worker's report: outcomes of requests of one batch, and
// whether the batch is finished.
type workerMsg struct {
	outcomes []outcome
	last     bool
}

func newCoordinator(r *run, jobs []Job, state *runState) *coordinator {
	return &coordinator{
		r: r, t: r.tr, jobs: jobs, state: state,
		live: map[keyID]*unit{}, seen: map[keyID]uint8{},
		claims: r.newClaims(), parked: map[keyID]*unit{}, held: map[string]bool{},
		pack:    packer{lim: r.tr.lim},
		workers: r.tr.gate.max,
		results: make(chan workerMsg, 64),
		work:    make(chan []*request),
		writes:  make(chan *writeJob),
		written: make(chan *fileDone, 8),
	}
}

// run drives the stages until every file is written or the run stops.
func (c *coordinator) run(ctx context.Context) {
	work, stopWork := graceContext(ctx, c.r.opts.GracePeriod)
	defer stopWork()
	soft, stopSoft := context.WithCancel(ctx)
	defer stopSoft()
	futures := c.startReaders(soft)
	c.startWorkers(soft, work)
	c.startWriters()
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	defer c.releaseAll(ctx)
	for !c.finished() {
		if !c.stopping && (ctx.Err() != nil || c.t.stopped.Load() != nil || c.t.budget.wasExceeded()) {
			c.stopping = true
			stopSoft()
		}
		c.claimMore(ctx)
		c.flush()
		var (
			fut      <-chan chan *docFile
			dispatch chan<- []*request
			next     []*request
			wq       chan<- *writeJob
			wj       *writeJob
			done     <-chan struct{}
			tick     <-chan time.Time
		)
		if len(c.parked) > 0 || len(c.held) > 0 {
			tick = ticker.C
		}
		if c.admitting() {
			fut = futures
		}
		if !c.stopping && len(c.ready) > 0 {
			dispatch, next = c.work, c.ready[0]
		}
		if len(c.writeQ) > 0 {
			wq, wj = c.writes, c.writeQ[0]
		}
		if !c.stopping {
			done = soft.Done()
		}
		select {
		case f, ok := <-fut:
			if !ok {
				c.inputDone = true
				continue
			}
			c.admitGroup(ctx, <-f, futures)
		case dispatch <- next:
			c.ready[0] = nil // the queue's array must not keep what is sent
			c.ready = c.ready[1:]
			c.inFlight++
		case res := <-c.results:
			c.apply(ctx, res)
		case wq <- wj:
			c.writeQ[0] = nil
			c.writeQ = c.writeQ[1:]
			c.writing++
		case d := <-c.written:
			c.writing--
			c.releaseFile(d)
		case <-tick:
			c.poll(ctx)
		case <-done:
		}
	}
	c.shutdown()
}

// admitting reports whether more files may be taken now.
func (c *coordinator) admitting() bool {
	return !c.stopping && !c.inputDone && c.open < c.r.opts.ChunkFiles
}

// finished reports whether nothing is left to do: every file is released,
// or the run is stopping and nothing is in flight.
func (c *coordinator) finished() bool {
	quiet := c.inFlight == 0 && c.writing == 0 && len(c.writeQ) == 0
	if c.stopping {
		return quiet
	}
	return quiet && c.inputDone && c.open == 0
}

// flush hands partly filled batches to the workers when they would
// otherwise sit idle: all of them once every file is in, else the oldest
// while no more files can be taken or nothing is in flight. Waiting while
// requests are in flight fills batches better and costs nothing.
func (c *coordinator) flush() {
	if !c.stopping && len(c.ready) == 0 {
		idle := c.inFlight < c.workers && (c.inFlight == 0 && !c.r.opts.DryRun || !c.admitting())
		switch {
		case c.inputDone:
			c.ready = append(c.ready, c.pack.flushAll()...)
		case idle:
			if b := c.pack.flushOldest(); b != nil {
				c.ready = append(c.ready, b)
			}
		}
	}
	if c.r.opts.DryRun {
		c.plan()
	}
}

// startReaders reads and prepares files ahead of the coordinator, two at a
// time, and hands them over in job order through futures, so that a run's
// requests do not depend on which file was read first.
func (c *coordinator) startReaders(ctx context.Context) <-chan chan *docFile {
	const lookahead, readers = 32, 2
	futures := make(chan chan *docFile, lookahead)
	type job struct {
		i   int
		fut chan *docFile
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.fut <- c.r.prepare(c.jobs[j.i], c.state)
			}
		}()
	}
	go func() {
		defer close(futures)
		defer func() { close(jobs); wg.Wait() }()
		for i := range c.jobs {
			fut := make(chan *docFile, 1)
			select {
			case futures <- fut:
			case <-ctx.Done():
				return
			}
			jobs <- job{i, fut}
		}
	}()
	return futures
}

func (c *coordinator) startWorkers(soft, work context.Context) {
	for range c.workers {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			for b := range c.work {
				c.t.process(soft, work, b, func(os []outcome) { c.results <- workerMsg{outcomes: os} })
				c.results <- workerMsg{last: true}
			}
		}()
	}
}

func (c *coordinator) startWriters() {
	for range 2 {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			for j := range c.writes {
				c.written <- c.r.finishFile(j)
			}
		}()
	}
}

// shutdown reports what was not done and stops the goroutines.
func (c *coordinator) shutdown() {
	close(c.work)
	close(c.writes)
	c.wg.Wait()
	reason := "not written: the run stopped before its segments were translated"
	switch {
	case c.memErr != nil:
		reason = "not written: the translation memory is unavailable"
	case c.t.stopped.Load() != nil:
		reason = "not written: the engine stopped"
	case c.t.budget.wasExceeded():
		reason = "not written: the budget was reached"
	}
	for f := range c.openFiles() {
		f.report.Status, f.report.Error = StatusInterrupted, reason
		c.addFile(f.report)
	}
	for _, j := range c.jobs[c.admits:] {
		c.addFile(FileReport{Path: j.Path, Status: StatusInterrupted, Error: "not started: the run stopped"})
	}
}

// openFiles lists the files admitted and never written, from the units'
// waiting lists.
func (c *coordinator) openFiles() map[*docFile]bool {
	files := map[*docFile]bool{}
	for _, u := range c.live {
		for _, f := range u.waiting {
			if !f.released {
				files[f] = true
			}
		}
	}
	return files
}

// apply takes a worker's outcomes: good translations are stored in the
// memory first, then given to their units, and every file whose last unit
// this resolved is queued for writing. Translations the memory cannot
// store are not given to their units (see store).
func (c *coordinator) apply(ctx context.Context, res workerMsg) {
	if res.last {
		c.inFlight--
	}
	var good []outcome // whole units, translated
	translated, failedN := 0, 0
	for _, o := range res.outcomes {
		u := o.req.unit
		if u == nil || u.state != pending {
			continue
		}
		switch o.kind {
		case outAbandoned:
			u.queued = false // may be sent by a later run
		case outFailed:
			c.fail(u, o.reason)
			failedN++
		case outOK:
			if o.req.piece >= 0 {
				if whole, ok := c.pieceDone(u, o); ok {
					good = append(good, whole)
				}
				continue
			}
			good = append(good, o)
		}
	}
	if len(good) > 0 && !c.store(ctx, good) {
		c.unstore(good)
		good = nil
	}
	var ended []string
	for _, o := range res.outcomes {
		if u := o.req.unit; u != nil && u.state == failed {
			ended = append(ended, u.key())
		}
	}
	for _, o := range good {
		u := o.req.unit
		if u.state != pending {
			continue
		}
		c.resolve(u, &result{state: done, target: o.target, violations: o.violations, origin: c.t.origin, sent: true}, seenTranslated)
		ended = append(ended, u.key())
		translated++
	}
	if c.memErr == nil {
		// Once the memory is gone a release would fail batch after batch;
		// the leases expire, and releaseAll tries once at the end.
		c.release(ctx, ended)
	}
	if translated+failedN > 0 {
		c.r.obs.Batch(translated, failedN)
	}
	if c.t.meter != nil && len(res.outcomes) > 0 {
		c.r.obs.Spent(c.t.meter.Usage())
	}
}

// pieceDone records one translated piece of a long unit and, with the
// last, joins and checks the whole, which it returns when it is ready to
// keep.
func (c *coordinator) pieceDone(u *unit, o outcome) (outcome, bool) {
	l := u.long
	if l == nil || l.targets == nil {
		return outcome{}, false
	}
	l.targets[o.req.piece] = o.target
	if l.left--; l.left > 0 {
		return outcome{}, false
	}
	joined := joinPieces(l.targets, pieceSources(l.pieces), c.t.src, c.t.tgt)
	l.targets = nil
	whole, err := c.t.validate(&u.request, joined, true)
	if err != nil {
		c.fail(u, "joined parts of a long segment: "+err.Error())
		return outcome{}, false
	}
	return whole, true
}

// commit stores units just translated in the memory before any output uses
// them, so a run killed at any moment loses only what was in flight. A
// synthetic engine's output is never stored.
func (c *coordinator) commit(ctx context.Context, good []outcome) error {
	if c.r.synthetic || c.r.opts.DryRun {
		return nil
	}
	rep := c.r.report
	entries := make([]tm.Entry, len(good))
	for i, o := range good {
		u := o.req.unit
		entries[i] = tm.Entry{
			SourceLang: rep.Source, TargetLang: rep.Target, Key: u.key(),
			Source: u.source, Target: o.target, Origin: c.t.origin, State: tm.Machine, FirstSeen: u.ctx.path(),
		}
		if doc := u.ctx.doc(); doc != nil {
			entries[i].Markup = markupOf(doc.Segments[u.ctx.seg].Tags)
		}
	}
	// A batch that came back is stored even if the run is being stopped.
	wctx := context.WithoutCancel(ctx)
	if c.r.opts.ForceReviewed {
		if rep, ok := c.r.mem.(tm.Replacer); ok {
			return rep.Replace(wctx, entries)
		}
	}
	return c.r.mem.Put(wctx, entries)
}

func (c *coordinator) fail(u *unit, reason string) {
	if u.state != pending {
		return
	}
	c.resolve(u, &result{state: failed, reason: reason}, seenFailed)
}

// resolve gives u what became of it and tells the files waiting for it.
func (c *coordinator) resolve(u *unit, res *result, flag uint8) {
	res.id, res.gl, res.doc, res.seg = u.id, u.gl, u.ctx.doc(), int32(u.ctx.seg)
	u.state, u.res, u.long = res.state, res, nil
	c.seen[u.id] |= flag
	for _, f := range u.waiting {
		f.pending--
		if f.pending == 0 {
			c.queueWrite(f)
		}
	}
	u.waiting = nil
}

// release takes a written file's outcome into the report and forgets the
// file; units no open file uses are dropped.
func (c *coordinator) releaseFile(d *fileDone) {
	f := d.f
	c.merge(d)
	c.dropUnits(f)
	f.released = true
	f.doc, f.units, f.prev, f.segs = nil, nil, nil, nil
	c.open--
}

// graceContext returns a context for in-flight work that ends grace after
// parent does (at once when grace is negative).
func graceContext(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	if grace == 0 {
		grace = 5 * time.Second
	}
	work, cancel := context.WithCancel(context.WithoutCancel(parent))
	stop := context.AfterFunc(parent, func() {
		if grace < 0 {
			cancel()
			return
		}
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(work, func() { t.Stop() })
	})
	return work, func() { stop(); cancel() }
}

func pieceSources(ps []*request) []string {
	srcs := make([]string, len(ps))
	for i, p := range ps {
		srcs[i] = p.send
	}
	return srcs
}
