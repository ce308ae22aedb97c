package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/time/rate"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
	"github.com/diglot/diglot/tm"
)

// Translate runs the pipeline over inputs (files and directories) and writes
// one aligned bilingual file per input under opts.OutDir. Stages run in a
// fixed order for each chunk of files: read, segment, look up, translate,
// validate and restore, assemble, write. A file that cannot be processed is
// reported and the run goes on; the error return is only for invalid
// options. Cancelling ctx stops new requests, lets those in flight finish
// within opts.GracePeriod, and writes only complete files.
func Translate(ctx context.Context, inputs []string, opts *Options) (*Report, error) {
	r, err := newRun(opts)
	if err != nil {
		return nil, err
	}
	r.translateAll(ctx, inputs)
	return r.report, nil
}

// run is the state of one Translate call.
type run struct {
	opts  Options
	log   *slog.Logger
	obs   Observer
	tr    *translator
	mem   tm.Store
	units map[string]*unit // every unique segment seen, by key
	fresh []*unit          // units created since the last lookup
	keyOf KeyFunc

	current []*docFile    // the chunk being translated; guarded by tr.mu
	wake    chan struct{} // tells the writer goroutine a batch ended

	glossaryStats glossary.Stats
	report        *Report
}

func newRun(o *Options) (*run, error) {
	if o == nil || o.Provider == nil {
		return nil, fmt.Errorf("%w: no provider", ErrConfig)
	}
	if o.OutDir == "" {
		return nil, fmt.Errorf("%w: no output directory", ErrConfig)
	}
	if o.Source == language.Und || o.Target == language.Und {
		return nil, fmt.Errorf("%w: source and target languages are required", ErrConfig)
	}
	r := &run{opts: *o, log: o.Logger, obs: o.Observer, units: map[string]*unit{}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.obs == nil {
		r.obs = NopObserver{}
	}
	r.opts.ChunkFiles = orDefault(r.opts.ChunkFiles, 256)
	r.keyOf = KeyFor(o.Glossary)
	r.mem = o.Memory
	if r.mem == nil {
		r.mem = tm.NewMemory(nil)
	}
	if o.DryRun {
		r.mem = newOverlay(r.mem)
	}
	r.tr = newTranslator(&r.opts, r.log, r.obs)
	r.tr.commit = r.commit
	r.tr.afterBatch = r.wakeWriter
	r.tr.budget = &budget{max: o.MaxCost, cost: r.tr.estimateCost, meter: r.tr.meter}
	if _, err := Select(nil, o.Selection, ""); err != nil {
		return nil, err
	}

	r.report = &Report{Version: ReportVersion, Command: "translate", Provider: o.ProviderName,
		Source: o.Source.String(), Target: o.Target.String(), Files: []FileReport{}, Failures: []SegmentFailure{}, Findings: []Finding{}}
	if o.DryRun {
		r.report.DryRun, r.report.Estimate = true, &Estimate{}
	}
	return r, nil
}

func newTranslator(o *Options, log *slog.Logger, obs Observer) *translator {
	lim := providers.DefaultLimits
	if l, ok := o.Provider.(providers.Limiter); ok {
		lim = l.Limits()
	}
	conc := lim.Concurrency
	if o.Concurrency > 0 {
		conc = o.Concurrency
	}
	t := &translator{
		p: o.Provider, lim: lim, src: o.Source, tgt: o.Target, log: log, obs: obs,
		origin:      originOf(o),
		maxAttempts: orDefault(o.MaxAttempts, 6),
		backoff:     o.Backoff,
		sleep:       sleepCtx,
		commit:      func(context.Context, []*unit) error { return nil },
		afterBatch:  func() {},
		gate:        newGate(orDefault(conc, 4)),
	}
	if t.backoff <= 0 {
		t.backoff = 500 * time.Millisecond
	}
	if h, ok := o.Provider.(providers.GlossaryHints); ok && h.GlossaryHints() {
		t.hints, t.glossaryAware = true, true
	}
	if n, ok := o.Provider.(providers.GlossaryNative); ok && n.NativeGlossary() {
		t.glossaryAware = true
	}
	t.est, _ = o.Provider.(providers.Estimator)
	t.meter, _ = o.Provider.(providers.Metered)
	if lim.RequestsPerMinute > 0 {
		t.requests = rate.NewLimiter(rate.Limit(lim.RequestsPerMinute/60), 1)
	}
	if lim.TokensPerMinute > 0 {
		burst := max(int(lim.TokensPerMinute/60), lim.MaxTokens, 1)
		t.tokens = rate.NewLimiter(rate.Limit(lim.TokensPerMinute/60), burst)
	}
	return t
}

func originOf(o *Options) string {
	name := o.ProviderName
	if name == "" {
		name = "engine"
	}
	if o.Model != "" {
		return name + ":" + o.Model
	}
	return name
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// translateAll processes the inputs chunk by chunk, so memory holds one
// chunk of documents plus the run's unique segments.
func (r *run) translateAll(ctx context.Context, inputs []string) {
	start := time.Now()
	r.report.Started = start.UTC()
	jobs, errs := Discover(inputs, &DiscoverOptions{Skip: r.opts.OutDir})
	for _, e := range errs {
		r.report.Inputs = append(r.report.Inputs, e.Error())
	}
	jobs, _ = Select(jobs, r.opts.Selection, r.opts.OutDir) // validated in newRun
	r.importReviews(ctx, jobs)
	work, stopWork := graceContext(ctx, r.opts.GracePeriod)
	defer stopWork()
	for i := 0; i < len(jobs); i += r.opts.ChunkFiles {
		chunk := jobs[i:min(i+r.opts.ChunkFiles, len(jobs))]
		if r.stopped(ctx) {
			r.skip(chunk)
			continue
		}
		files := r.prepare(ctx, chunk)
		todo := r.newUnits(files)
		if r.opts.DryRun {
			r.plan(files, todo)
			continue
		}
		r.obs.Planned(0, len(todo))
		r.current = files
		r.finishReady() // files that need no engine
		stop := r.startWriter()
		r.tr.run(ctx, work, todo)
		stop()
		r.finish(files)
		r.current = nil
	}
	r.close(ctx, start)
}

// plan counts, for a dry run, what the chunk would send: its new units
// are marked done so that later chunks reuse them as a real run would.
func (r *run) plan(files []*docFile, todo []*unit) {
	e := r.report.Estimate
	for _, b := range r.tr.batches(todo) {
		e.Requests++
		for _, u := range b {
			e.Segments++
			e.Characters += u.chars
			e.Tokens += u.tokens
			u.state, u.origin = done, "dry-run"
		}
		e.Cost += r.tr.budget.cost(b)
	}
	for _, f := range files {
		if !f.failed {
			f.report.Status = StatusPlanned
		}
		r.addFile(f.report)
	}
	if rpm := r.tr.lim.RequestsPerMinute; rpm > 0 {
		e.Duration = Duration(time.Duration(float64(e.Requests) / rpm * float64(time.Minute)))
	}
	if tpm := r.tr.lim.TokensPerMinute; tpm > 0 {
		e.Duration = max(e.Duration, Duration(time.Duration(float64(e.Tokens)/tpm*float64(time.Minute))))
	}
}

// stopped reports whether no more work should start.
func (r *run) stopped(ctx context.Context) bool {
	return ctx.Err() != nil || r.tr.stopped.Load() != nil || r.tr.budget.wasExceeded()
}

func (r *run) skip(jobs []Job) {
	for _, j := range jobs {
		r.addFile(FileReport{Path: j.Path, Status: StatusInterrupted, Error: "not started: the run stopped"})
	}
}

func (r *run) addFile(f FileReport) {
	r.report.Files = append(r.report.Files, f)
	r.obs.FileDone(f)
	// Failures are data in the report, printed once by the caller; the log
	// has one Info line per file.
	r.log.Info("file", "path", f.Path, "status", f.Status, "segments", f.Segments, "reused", f.Reused, "err", f.Error)
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

// close fills in the report's totals.
func (r *run) close(ctx context.Context, start time.Time) {
	t := &r.report.Totals
	t.UniqueSegments = len(r.units)
	for _, u := range r.units {
		switch {
		case u.origin == "dry-run":
		case u.state == done && u.sent:
			t.Translated++
		case u.state == done:
			t.Reused++
		case u.state == failed:
			t.Failed++
		}
	}
	t.Requests = int(r.tr.stats.requests.Load())
	t.Retries = int(r.tr.stats.retries.Load())
	t.SentSegments = int(r.tr.stats.sentSegments.Load())
	t.SentCharacters = int(r.tr.stats.sentChars.Load())
	if m, ok := r.opts.Provider.(providers.Metered); ok {
		r.report.Usage = m.Usage()
	}
	if ctx.Err() != nil {
		r.report.Stopped = "interrupted"
	} else if perr := r.tr.stopped.Load(); perr != nil {
		r.report.Stopped = "engine error: " + oneLine((*perr).Error())
	} else if r.tr.budget.wasExceeded() {
		r.report.Stopped = "budget: the next batch would pass --max-cost"
	}
	if r.opts.Glossary != nil {
		r.report.Glossary.Terms = r.glossaryStats.Report()
	}
	r.report.tally()
	r.report.Duration = Duration(time.Since(start))
}

// docTitle is the first heading's text, for engines that use context.
func docTitle(doc *markdown.Document) string {
	for _, s := range doc.Segments {
		if s.Kind == markdown.HeadingSeg {
			return tags.Strip(s.Text)
		}
	}
	return ""
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// importReviews stores the reviewers' edits of every existing output in the
// memory before anything is translated, so a reviewed paragraph takes its
// reviewed translation in every file of this run, not only in its own.
func (r *run) importReviews(ctx context.Context, jobs []Job) {
	if r.opts.ForceReviewed {
		return
	}
	var outs []string
	for _, j := range jobs {
		if p, err := OutputPath(r.opts.OutDir, j.Rel); err == nil && fileExists(p) {
			outs = append(outs, p)
		}
	}
	// Unreadable outputs are reported when their file is processed.
	format := out.Format{Source: r.report.Source, Target: r.report.Target, Markdown: r.opts.Markdown}
	_, _ = ImportReviews(ctx, outs, r.mem, KeyFor(r.opts.Glossary), format)
}

// commit stores a finished batch in the memory before its results are used,
// so a run killed at any moment loses only the batches in flight.
func (r *run) commit(ctx context.Context, us []*unit) error {
	entries := make([]tm.Entry, len(us))
	for i, u := range us {
		entries[i] = tm.Entry{
			SourceLang: r.report.Source, TargetLang: r.report.Target, Key: u.key,
			Source: u.source, Target: u.target, Origin: r.tr.origin, State: tm.Machine, FirstSeen: u.ctx.path,
		}
	}
	if r.opts.ForceReviewed {
		if rep, ok := r.mem.(interface {
			Replace(context.Context, []tm.Entry) error
		}); ok {
			return rep.Replace(context.WithoutCancel(ctx), entries)
		}
	}
	// A batch that came back is stored even if the run is being stopped.
	return r.mem.Put(context.WithoutCancel(ctx), entries)
}

// startWriter starts the goroutine that writes files as their segments are
// resolved; the returned function stops it and waits for it.
func (r *run) startWriter() (stop func()) {
	r.wake = make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range r.wake {
			r.finishReady()
		}
	}()
	return func() {
		close(r.wake)
		<-done
		r.wake = nil
	}
}

// wakeWriter tells the writer a batch ended, without waiting: one pending
// wake-up covers any number of batches.
func (r *run) wakeWriter() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}
