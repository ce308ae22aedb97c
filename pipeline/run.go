package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/time/rate"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tags"
	"github.com/diglot/diglot/tm"
)

// Translate runs the pipeline over inputs (files and directories) and writes
// one aligned bilingual file per input under opts.OutDir. Files are read,
// segmented and looked up ahead of the engine; unique segments are batched
// and translated; each file is checked and written as soon as its last
// segment is resolved. A file that cannot be processed is reported and the
// run goes on; the error return is only for invalid options. Cancelling ctx
// stops new requests, lets those in flight finish within opts.GracePeriod,
// and writes only complete files.
func Translate(ctx context.Context, inputs []string, opts *Options) (*Report, error) {
	r, err := newRun(opts)
	if err != nil {
		return nil, err
	}
	r.execute(ctx, inputs)
	return r.report, nil
}

// run is the setup of one Translate call: what every stage reads. The
// mutable state of the run belongs to its coordinator alone.
type run struct {
	opts      Options
	log       *slog.Logger
	obs       Observer
	tr        *translator
	mem       tm.Store
	keyOf     KeyFunc
	synthetic bool   // the engine's output is not a translation (copy, pseudo)
	lookup    string // the origins whose machine entries may be reused (tm.Query.Origin)
	outputs   *outputs

	report *Report
}

func newRun(o *Options) (*run, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	r := &run{opts: *o, log: o.Logger, obs: o.Observer}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.obs == nil {
		r.obs = NopObserver{}
	}
	r.opts.ChunkFiles = orDefault(r.opts.ChunkFiles, 256)
	// Sources are parsed in the run's source language, which the header
	// records and every reader parses with (it decides which indented
	// blocks are prose): a document's own script may say otherwise.
	md := markdown.Options{}
	if o.Markdown != nil {
		md = *o.Markdown
	}
	md.Source = o.Source
	r.opts.Markdown = &md
	r.keyOf = KeyFor(o.Glossary)
	r.synthetic = isSynthetic(o.Provider)
	r.mem = o.Memory
	if r.mem == nil {
		r.mem = tm.NewMemory(nil)
	}
	if o.DryRun {
		r.mem = newOverlay(r.mem)
	}
	r.tr = newTranslator(&r.opts, r.log, r.obs)
	switch {
	case r.synthetic:
		r.lookup = "" // reviewed entries only
	case o.Reuse == ReuseAny:
		r.lookup = tm.AnyOrigin
	default:
		r.lookup = r.tr.origin
	}
	r.report = &Report{Version: ReportVersion, Command: "translate", Provider: o.ProviderName,
		Source: o.Source.String(), Target: o.Target.String(), Files: []FileReport{}, Failures: []SegmentFailure{}, Findings: []Finding{}}
	if o.DryRun {
		r.report.DryRun, r.report.Estimate = true, &Estimate{}
	}
	return r, nil
}

func (o *Options) validate() error {
	switch {
	case o == nil || o.Provider == nil:
		return fmt.Errorf("%w: no provider", ErrConfig)
	case o.OutDir == "":
		return fmt.Errorf("%w: no output directory", ErrConfig)
	case o.Source == language.Und || o.Target == language.Und:
		return fmt.Errorf("%w: source and target languages are required", ErrConfig)
	case o.Reuse != "" && o.Reuse != ReuseSame && o.Reuse != ReuseAny:
		return fmt.Errorf("%w: reuse %q (want %s or %s)", ErrConfig, o.Reuse, ReuseSame, ReuseAny)
	}
	if o.MaxCost > 0 {
		est, ok := o.Provider.(providers.Estimator)
		if !ok || est.EstimateCost(1000, 1000) <= 0 {
			return fmt.Errorf("%w: a budget needs prices: the engine has no price table configured", ErrConfig)
		}
	}
	_, err := Select(nil, o.Selection, "")
	return err
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
		origin:         originOf(o),
		maxAttempts:    orDefault(o.MaxAttempts, 6),
		maxUnreachable: orDefault(o.MaxUnreachable, 8),
		backoff:        o.Backoff,
		sleep:          sleepCtx,
		gate:           newGate(orDefault(conc, 4)),
		reject:         rejectConfig(o.QA, isSynthetic(o.Provider)),
		md:             o.Markdown,
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
	t.budget = &budget{max: o.MaxCost, estimate: t.estimateCost, meter: t.meter}
	if lim.RequestsPerMinute > 0 {
		t.requests = rate.NewLimiter(rate.Limit(lim.RequestsPerMinute/60), 1)
	}
	if lim.TokensPerMinute > 0 {
		burst := max(int(lim.TokensPerMinute/60), lim.MaxTokens, 1)
		t.tokens = rate.NewLimiter(rate.Limit(lim.TokensPerMinute/60), burst)
	}
	return t
}

// rejectConfig keeps, of the run's checks, those whose error findings mean
// a translation cannot be used at all: an empty target, leaked model text,
// an echo of the source. A rejected translation is retried, and never
// stored.
func rejectConfig(run *qa.Config, synthetic bool) *qa.Config {
	keep := []string{qa.KindMissing, qa.KindLeaked, qa.KindUntranslated}
	if synthetic {
		keep = keep[:2] // echoing is the copy engine's job
	}
	c := &qa.Config{}
	for _, k := range qa.Kinds() {
		if !slices.Contains(keep, k) || run != nil && slices.Contains(run.Disable, k) {
			c.Disable = append(c.Disable, k)
		}
	}
	return c
}

// originOf names who translates in this run: "engine:model".
func originOf(o *Options) string {
	name := o.ProviderName
	if name == "" {
		name = "engine"
	}
	model := o.Model
	if m, ok := o.Provider.(providers.Modeler); ok && model == "" {
		model = m.Model()
	}
	if model != "" {
		return name + ":" + model
	}
	return name
}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// execute runs the stages over the inputs.
func (r *run) execute(ctx context.Context, inputs []string) {
	start := time.Now()
	r.report.Started = start.UTC()
	jobs, errs := Discover(inputs, &DiscoverOptions{Skip: r.opts.OutDir, FollowSymlinks: r.opts.FollowSymlinks})
	for _, e := range errs {
		r.report.Inputs = append(r.report.Inputs, e.Error())
	}
	jobs, _ = Select(jobs, r.opts.Selection, r.opts.OutDir) // validated in newRun
	jobs = r.withoutTargetPages(jobs)
	if !r.opts.DryRun {
		outs, err := openOutputs(r.opts.OutDir)
		if outs != nil {
			// Without a memory the outputs are the only copy of what was
			// paid for: they are made durable whatever Sync says.
			outs.sync = r.opts.Sync || r.opts.Memory == nil
		}
		if err != nil {
			r.report.Inputs = append(r.report.Inputs, fmt.Sprintf("%s: %v", r.opts.OutDir, unwrapPathError(err)))
			r.close(ctx, newCoordinator(r, nil, nil), start)
			return
		}
		defer outs.Close()
		r.outputs = outs
	}
	state := r.loadState(ctx)
	r.importReviews(ctx, jobs, state)
	c := newCoordinator(r, jobs, state)
	c.run(ctx)
	r.saveState(c)
	r.close(ctx, c, start)
}

// close fills in the report's totals.
func (r *run) close(ctx context.Context, c *coordinator, start time.Time) {
	t := &r.report.Totals
	t.UniqueSegments = len(c.seen) + c.unchangedSegs
	t.Reused = c.unchangedSegs
	for _, f := range c.seen {
		switch {
		case f&seenPlanned != 0:
		case f&seenFailed != 0:
			t.Failed++
		case f&seenTranslated != 0:
			t.Translated++
		case f&seenReused != 0:
			t.Reused++
		}
	}
	t.Requests = int(r.tr.stats.requests.Load())
	t.Retries = int(r.tr.stats.retries.Load())
	t.SentSegments = int(r.tr.stats.sentSegments.Load())
	t.SentCharacters = int(r.tr.stats.sentChars.Load())
	if m, ok := r.opts.Provider.(providers.Metered); ok {
		r.report.Usage = m.Usage()
	}
	switch {
	case c.memErr != nil:
		// First: it says what was lost, whatever else stopped the run.
		r.report.Stopped = memoryStopped(c.memErr, c.unstored)
	case ctx.Err() != nil:
		r.report.Stopped = "interrupted"
	case r.tr.stopped.Load() != nil:
		r.report.Stopped = "engine error: " + oneLine((*r.tr.stopped.Load()).Error())
	case r.tr.budget.wasExceeded():
		r.report.Stopped = "budget: the next request would pass --max-cost"
	}
	if r.opts.Glossary != nil {
		r.report.Glossary.Terms = c.glossaryStats.Report()
	}
	if r.opts.DryRun {
		r.estimateDuration()
	}
	r.report.tally()
	r.report.Duration = Duration(time.Since(start))
}

func (r *run) estimateDuration() {
	e := r.report.Estimate
	if rpm := r.tr.lim.RequestsPerMinute; rpm > 0 {
		e.Duration = Duration(time.Duration(float64(e.Requests) / rpm * float64(time.Minute)))
	}
	if tpm := r.tr.lim.TokensPerMinute; tpm > 0 {
		e.Duration = max(e.Duration, Duration(time.Duration(float64(e.Tokens)/tpm*float64(time.Minute))))
	}
}

// withoutTargetPages drops inputs named as pages in the target language
// (a.en.md when translating into en): publish --layout hugo writes them
// beside their sources, and they are not sources to translate again.
func (r *run) withoutTargetPages(jobs []Job) []Job {
	suffix := "." + strings.ToLower(r.report.Target) + "."
	kept := jobs[:0:0]
	for _, j := range jobs {
		name := strings.ToLower(filepath.Base(j.Rel))
		if ext := filepath.Ext(name); strings.HasSuffix(strings.TrimSuffix(name, ext)+".", suffix) {
			r.log.Info("skipped: a page in the target language", "path", j.Path)
			continue
		}
		kept = append(kept, j)
	}
	return kept
}

// format is what the run reads and writes bilingual files with.
func (r *run) format() out.Format {
	return out.Format{Source: r.report.Source, Target: r.report.Target, Markdown: r.opts.Markdown}
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

func isSynthetic(p providers.Provider) bool {
	s, ok := p.(providers.Synthetic)
	return ok && s.Synthetic()
}
