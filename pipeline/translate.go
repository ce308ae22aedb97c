package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/text/language"
	"golang.org/x/time/rate"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// translator is the translate stage: it batches units for one engine,
// paces and retries requests, splits batches whose reply is unusable, and
// validates every result before accepting it. Retries, backoff and rate
// limits live here and nowhere else.
type translator struct {
	p        providers.Provider
	lim      providers.Limits
	est      providers.Estimator // nil when the engine has none
	meter    providers.Metered   // nil when the engine has none
	src, tgt language.Tag
	origin   string
	log      *slog.Logger
	obs      Observer

	maxAttempts int
	backoff     time.Duration
	sleep       func(ctx context.Context, d time.Duration) error
	commit      func(ctx context.Context, us []*unit) error // store results before use
	budget      *budget

	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
	gate     *gate

	// glossaryAware engines follow Request.Glossary or a glossary of their
	// own, so only keep-as-is terms are protected for them.
	glossaryAware bool
	hints         bool // the engine follows Request.Glossary, so stressing terms can help

	// mu guards the units' states, which batches set from several
	// goroutines, and afterBatch, which reads them to write finished files.
	mu         sync.Mutex
	afterBatch func()

	stopped atomic.Pointer[error] // a permanent failure stops the engine
	stats   stageStats
}

// stageStats counts what the stage did. Fields are updated atomically.
type stageStats struct {
	requests, retries, sentSegments, sentChars atomic.Int64
}

// openBatches is how many batches are kept open while packing: a unit goes
// into the first open batch it fits, so small units fill the gaps that big
// ones leave, while neighbouring segments still mostly travel together.
const openBatches = 8

// batches packs units into requests within the engine's limits, first fit
// over a few open batches, emitting them in the order they were opened.
func (t *translator) batches(us []*unit) [][]*unit {
	type open struct {
		units       []*unit
		chars, toks int
	}
	var out [][]*unit
	var bs []*open
	fits := func(b *open, u *unit) bool {
		return len(b.units) == 0 ||
			(t.lim.MaxSegments <= 0 || len(b.units) < t.lim.MaxSegments) &&
				(t.lim.MaxChars <= 0 || b.chars+u.chars <= t.lim.MaxChars) &&
				(t.lim.MaxTokens <= 0 || b.toks+u.tokens <= t.lim.MaxTokens)
	}
	for _, u := range us {
		var dst *open
		for _, b := range bs {
			if fits(b, u) {
				dst = b
				break
			}
		}
		if dst == nil {
			if len(bs) == openBatches {
				out = append(out, bs[0].units)
				bs = bs[1:]
			}
			dst = &open{}
			bs = append(bs, dst)
		}
		dst.units = append(dst.units, u)
		dst.chars += u.chars
		dst.toks += u.tokens
	}
	for _, b := range bs {
		out = append(out, b.units)
	}
	return out
}

// run translates every unit, concurrently within the engine's limits. No
// batch starts once soft is done; requests in flight run under work. It
// returns only when all requests have ended; units left pending were not
// reached (stopped, out of budget, or interrupted).
func (t *translator) run(soft, work context.Context, us []*unit) {
	if len(us) == 0 {
		return
	}
	g, gctx := errgroup.WithContext(work)
	g.SetLimit(t.gate.max)
	for _, b := range t.batches(t.expand(us)) {
		if soft.Err() != nil || gctx.Err() != nil || t.stopped.Load() != nil || !t.budget.take(b) {
			break
		}
		g.Go(func() error {
			t.send(gctx, b, 0)
			return nil
		})
	}
	_ = g.Wait()
}

// send translates one batch. depth counts how often it was split.
func (t *translator) send(ctx context.Context, b []*unit, depth int) {
	res, err := t.call(ctx, b)
	var segErrs *providers.SegmentErrors
	switch {
	case err == nil:
		t.accept(ctx, b, res, nil, depth)
	case errors.As(err, &segErrs) && len(res) == len(b):
		t.accept(ctx, b, res, segErrs.Failed, depth)
	case providers.ClassOf(err) == providers.BadReply && len(b) > 1:
		t.log.Debug("splitting batch after bad reply", "segments", len(b), "err", err)
		t.send(ctx, b[:len(b)/2], depth+1)
		t.send(ctx, b[len(b)/2:], depth+1)
	case ctx.Err() != nil && providers.ClassOf(err) == providers.Canceled,
		errors.Is(err, errEngineStopped), providers.ClassOf(err) == providers.Permanent:
		// Interrupted, or the engine stopped: the units stay pending, their
		// files are not written, and the run reports the reason once.
	default:
		t.fail(b, err.Error())
	}
}

// expand replaces each unit longer than the engine's MaxSegmentChars by
// pieces cut at sentence ends; the pieces are joined back in accept.
func (t *translator) expand(us []*unit) []*unit {
	max := t.lim.MaxSegmentChars
	if max <= 0 {
		return us
	}
	var out []*unit
	for _, u := range us {
		if u.chars <= max {
			out = append(out, u)
			continue
		}
		texts := splitSentences(u.send, max)
		if len(texts) < 2 {
			out = append(out, u)
			continue
		}
		u.pieces = make([]*unit, len(texts))
		for i, text := range texts {
			p := newUnit(u.key, text)
			p.parent, p.ctx = u, u.ctx
			if t.est != nil {
				p.tokens = t.est.Tokens(text)
			}
			u.pieces[i] = p
			out = append(out, p)
		}
	}
	return out
}

// join completes u from its translated pieces once all are done. It
// reports whether u is ready to keep.
func (t *translator) join(u *unit) bool {
	parts := make([]string, len(u.pieces))
	for i, p := range u.pieces {
		if p.state != done {
			return false
		}
		parts[i] = p.target
	}
	u.pieces = nil // joined once
	t.finalize(u, joinPieces(parts, t.tgt))
	return true
}

// finalize turns an engine's text for u into its target: glossary terms put
// back and verified.
func (t *translator) finalize(u *unit, target string) {
	if u.restore != nil {
		target = unprotect(target, u.restore)
	}
	u.target, u.origin = target, t.origin
	u.violations = glossary.Verify(target, u.matches)
}

// accept validates each result and keeps the good ones; results that fail
// are retried alone, and fail for good once alone.
func (t *translator) accept(ctx context.Context, b []*unit, res []string, bad map[int]error, depth int) {
	var good, retry []*unit
	for i, u := range b {
		if e := bad[i]; e != nil {
			t.retryOrFail(&retry, b, u, e.Error())
			continue
		}
		if u.parent != nil {
			if err := tags.Check(u.source, res[i]); err != nil {
				t.retryOrFail(&retry, b, u, err.Error())
				continue
			}
			t.mu.Lock()
			u.state, u.target = done, safeBreaks(res[i])
			ready := u.parent.pieces != nil && t.join(u.parent)
			t.mu.Unlock()
			if ready {
				good = append(good, u.parent)
			}
			continue
		}
		target := safeBreaks(res[i])
		if u.restore != nil {
			target = unprotect(target, u.restore)
		}
		if err := tags.Check(u.source, target); err != nil {
			t.retryOrFail(&retry, b, u, err.Error())
			continue
		}
		u.violations = glossary.Verify(target, u.matches)
		if len(u.violations) > 0 && t.hints && !u.stressed {
			// Once more, alone, with its terms stressed.
			u.stressed = true
			retry = append(retry, u)
			continue
		}
		u.target, u.origin = target, t.origin
		good = append(good, u)
	}
	if len(good) > 0 {
		if err := t.commit(ctx, good); err != nil {
			t.fail(good, "storing results: "+err.Error())
		} else {
			t.mu.Lock()
			for _, u := range good {
				u.state, u.sent = done, true
			}
			t.mu.Unlock()
			t.afterBatch()
		}
	}
	for _, u := range retry {
		t.send(ctx, []*unit{u}, depth+1)
	}
	t.obs.Batch(len(good), len(b)-len(good)-len(retry))
	if t.meter != nil {
		t.obs.Spent(t.meter.Usage())
	}
}

func (t *translator) retryOrFail(retry *[]*unit, b []*unit, u *unit, reason string) {
	if len(b) > 1 {
		*retry = append(*retry, u)
		return
	}
	t.fail([]*unit{u}, reason)
}

func (t *translator) fail(us []*unit, reason string) {
	t.mu.Lock()
	for _, u := range us {
		u.state, u.reason = failed, reason
		if p := u.parent; p != nil && p.state == pending {
			p.state, p.reason = failed, "part of a long segment: "+reason
		}
	}
	t.mu.Unlock()
	t.obs.Batch(0, len(us))
	t.afterBatch()
}

// call sends one request, retrying retryable failures with exponential
// backoff and jitter, honouring Retry-After, within the rate limits.
func (t *translator) call(ctx context.Context, b []*unit) ([]string, error) {
	req := t.request(b)
	for attempt := 1; ; attempt++ {
		if t.stopped.Load() != nil {
			return nil, errEngineStopped
		}
		if err := t.pace(ctx, b); err != nil {
			return nil, &providers.Error{Class: providers.Canceled, Err: err}
		}
		res, err := t.attempt(ctx, req)
		if err == nil || errors.As(err, new(*providers.SegmentErrors)) {
			if len(res) != len(b) {
				return nil, providers.Errorf(providers.BadReply, "%d results for %d segments", len(res), len(b))
			}
			return res, err
		}
		switch providers.ClassOf(err) {
		case providers.Permanent:
			t.stopped.CompareAndSwap(nil, &err)
			t.log.Debug("engine failed permanently; no more requests", "err", err)
			return nil, err
		case providers.Retryable:
			if attempt >= t.maxAttempts {
				return nil, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
			}
			if err := t.wait(ctx, err, attempt); err != nil {
				return nil, &providers.Error{Class: providers.Canceled, Err: err}
			}
			continue
		}
		return nil, err
	}
}

func (t *translator) attempt(ctx context.Context, req providers.Request) ([]string, error) {
	t.gate.acquire()
	t.obs.InFlight(1)
	defer func() { t.obs.InFlight(-1); t.gate.release() }()
	t.stats.requests.Add(1)
	t.stats.sentSegments.Add(int64(len(req.Segments)))
	for _, s := range req.Segments {
		t.stats.sentChars.Add(int64(len([]rune(s))))
	}
	res, err := t.p.Translate(ctx, req)
	var pe *providers.Error
	if errors.As(err, &pe) && pe.Status == 429 || providers.ClassOf(err) == providers.Retryable {
		t.gate.backOff()
	} else if err == nil {
		t.gate.succeed()
	}
	return res, err
}

// wait sleeps before a retry: the engine's Retry-After when it gave one,
// else exponential backoff with full jitter, capped at a minute.
func (t *translator) wait(ctx context.Context, err error, attempt int) error {
	t.stats.retries.Add(1)
	t.obs.Retry(1)
	defer t.obs.Retry(-1)
	d := t.backoff << min(attempt-1, 10)
	d = min(d, time.Minute)
	d = d/2 + rand.N(d/2+1)
	if ra, ok := providers.RetryAfterOf(err); ok {
		d = ra + rand.N(t.backoff/4+1)
	}
	t.log.Debug("retrying", "attempt", attempt, "wait", d, "err", err)
	return t.sleep(ctx, d)
}

func (t *translator) pace(ctx context.Context, b []*unit) error {
	if t.requests != nil {
		if err := t.requests.Wait(ctx); err != nil {
			return err
		}
	}
	if t.tokens != nil {
		n := 0
		for _, u := range b {
			n += u.tokens
		}
		n = min(n, t.tokens.Burst())
		if err := t.tokens.WaitN(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (t *translator) request(b []*unit) providers.Request {
	req := providers.Request{Source: t.src, Target: t.tgt, Segments: make([]string, len(b))}
	for i, u := range b {
		req.Segments[i] = u.send
	}
	first := b[0].ctx
	req.Context = providers.Context{Title: first.title, Before: first.before, Path: first.path}
	req.Glossary = batchGlossary(b)
	return req
}

// batchGlossary lists the glossary entries that occur in a batch, once
// each; for a unit retried after missing its terms the notes insist.
func batchGlossary(b []*unit) []glossary.Entry {
	var entries []glossary.Entry
	seen := map[string]bool{}
	for _, u := range b {
		for _, e := range glossary.Entries(u.matches) {
			if seen[e.Source] {
				continue
			}
			seen[e.Source] = true
			if u.stressed {
				e.Note = strings.TrimSpace(e.Note + " REQUIRED: render " + e.Source + " exactly as " + e.Target + ".")
			}
			entries = append(entries, e)
		}
	}
	return entries
}

// errEngineStopped is what a request gets once an earlier one failed
// permanently: it is not sent.
var errEngineStopped = errors.New("engine stopped")

// estimateCost is the engine's estimate for sending a batch, 0 without a
// price table.
func (t *translator) estimateCost(b []*unit) float64 {
	if t.est == nil {
		return 0
	}
	toks, chars := 0, 0
	for _, u := range b {
		toks += u.tokens
		chars += u.chars
	}
	return t.est.EstimateCost(toks, chars)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// gate is an adaptive concurrency limit: it halves while the engine answers
// 429 and grows back by one after as many successes as the current limit.
type gate struct {
	mu       sync.Mutex
	cond     *sync.Cond
	max      int
	limit    int
	inFlight int
	streak   int
}

func newGate(max int) *gate {
	max = maxInt(max, 1)
	g := &gate{max: max, limit: max}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) acquire() {
	g.mu.Lock()
	for g.inFlight >= g.limit {
		g.cond.Wait()
	}
	g.inFlight++
	g.mu.Unlock()
}

func (g *gate) release() {
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *gate) backOff() {
	g.mu.Lock()
	g.limit = maxInt(1, g.limit/2)
	g.streak = 0
	g.mu.Unlock()
}

func (g *gate) succeed() {
	g.mu.Lock()
	g.streak++
	if g.limit < g.max && g.streak >= g.limit {
		g.limit++
		g.streak = 0
	}
	g.mu.Unlock()
	g.cond.Broadcast()
}

// Limit returns the current concurrency limit (for tests and progress).
func (g *gate) Limit() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// safeBreaks keeps an engine's line breaks soft: spaces or a backslash at
// the end of a line would turn the break into a hard one, a tag the source
// does not have, and the output would not read back. Trailing spaces go;
// a trailing backslash is escaped.
func safeBreaks(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i := range len(lines) - 1 {
		l := strings.TrimRight(lines[i], " \t")
		if n := len(l) - len(strings.TrimRight(l, "\\")); n%2 == 1 {
			l += "\\"
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
