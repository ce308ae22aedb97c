package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/time/rate"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/qa"
	"github.com/diglot/diglot/tags"
)

// translator is the translate stage for one engine: it paces and sends
// requests, retries what failed for a passing reason, splits what the
// engine could not take whole, and validates every result before it is
// accepted. Retries, backoff and rate limits live here and nowhere else.
//
// Workers call process with a batch and report an outcome for every
// request in it through emit; they never touch the run's units, which the
// coordinator owns.
type translator struct {
	p        providers.Provider
	lim      providers.Limits
	est      providers.Estimator // nil when the engine has none
	meter    providers.Metered   // nil when the engine has none
	src, tgt language.Tag
	origin   string
	log      *slog.Logger
	obs      Observer

	maxAttempts    int
	maxUnreachable int
	backoff        time.Duration
	sleep          func(ctx context.Context, d time.Duration) error
	budget         *budget

	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
	gate     *gate

	// glossaryAware engines follow Request.Glossary or a glossary of their
	// own, so only keep-as-is terms are protected for them.
	glossaryAware bool
	hints         bool // the engine follows Request.Glossary, so stressing terms can help

	reject *qa.Config        // the checks whose error findings reject a translation
	md     *markdown.Options // for the read-back check

	stopped     atomic.Pointer[error] // a permanent failure (the engine's or the memory's) stops the engine
	unreachable atomic.Int64          // consecutive attempts that found no server
	downSince   atomic.Int64          // when the first of them failed (UnixNano), or 0
	stats       stageStats
}

// stageStats counts what the stage did. Fields are updated atomically.
type stageStats struct {
	requests, retries, sentSegments, sentChars atomic.Int64
}

// outcomeKind says how a request ended.
type outcomeKind uint8

const (
	outOK        outcomeKind = iota
	outFailed                // no valid translation after every attempt
	outAbandoned             // not finished: the run or the engine stopped
)

// outcome is the end of one request, reported to the coordinator.
type outcome struct {
	req        *request
	kind       outcomeKind
	target     string // outOK: neutral target, glossary terms restored (pieces: as the engine wrote it)
	violations []glossary.Violation
	reason     string // outFailed, outAbandoned
}

// errAbandoned marks a request given up because the run is stopping: its
// units stay pending and are neither failed nor stored.
var errAbandoned = errors.New("not sent: the run is stopping")

// process translates batch b and reports an outcome for every request in it
// through emit, in one or more calls. soft ends when no new attempt may
// start (Ctrl-C, budget); ctx ends when requests in flight must stop.
func (t *translator) process(soft, ctx context.Context, b []*request, emit func([]outcome)) {
	t.send(soft, ctx, b, 1, false, emit)
}

// send translates b; attempt counts the tries spent on its requests so far.
// A reply that cannot be used whole is split in halves down to single
// requests. The requests whose results were bad for a reason that may pass
// (a malformed reply, an echo, a leaked preamble, a lost tag) are sent
// again together after a backoff, until the attempt limit; only then do
// they fail. With stress, the glossary notes insist on every term.
func (t *translator) send(soft, ctx context.Context, b []*request, attempt int, stress bool, emit func([]outcome)) {
	res, err := t.call(soft, ctx, b, stress)
	var segErrs *providers.SegmentErrors
	class := providers.ClassOf(err)
	switch {
	case err == nil, errors.As(err, &segErrs) && len(res) == len(b):
		t.accept(soft, ctx, b, res, segErrs, attempt, stress, emit)
	case abandoned(err):
		emit(outcomes(b, outAbandoned, err.Error()))
	case (class == providers.BadReply || class == providers.TooLarge) && len(b) > 1:
		t.log.Debug("splitting batch", "segments", len(b), "err", err)
		t.send(soft, ctx, b[:len(b)/2], attempt, stress, emit)
		t.send(soft, ctx, b[len(b)/2:], attempt, stress, emit)
	case class == providers.TooLarge:
		t.splitOne(soft, ctx, b[0], emit)
	case class == providers.BadReply:
		t.again(soft, ctx, b, attempt, false, err.Error(), emit)
	default:
		emit(outcomes(b, outFailed, err.Error()))
	}
}

// accept validates each result of a batch that came back whole, reports
// the good ones at once and sends the bad ones again.
func (t *translator) accept(soft, ctx context.Context, b []*request, res []string, segErrs *providers.SegmentErrors, attempt int, stress bool, emit func([]outcome)) {
	var good []outcome
	var bad, unreadable, stressNext []*request
	reason, unreadableReason := "", ""
	for i, r := range b {
		if segErrs != nil {
			if e := segErrs.Failed[i]; e != nil {
				bad, reason = append(bad, r), e.Error()
				continue
			}
		}
		o, err := t.validate(r, res[i], stress)
		switch {
		case errors.Is(err, errStress):
			stressNext = append(stressNext, r)
		case errors.Is(err, errUnreadable):
			unreadable, unreadableReason = append(unreadable, r), err.Error()
		case err != nil:
			bad, reason = append(bad, r), err.Error()
		default:
			good = append(good, o)
		}
	}
	if len(good) > 0 {
		emit(good)
	}
	if len(stressNext) > 0 {
		// Once more at once, with the terms stressed; then kept as is.
		t.send(soft, ctx, stressNext, attempt, true, emit)
	}
	if len(unreadable) > 0 {
		// A translation that reads back as other Markdown is rarely a
		// passing fault: one more try, then it fails.
		t.again(soft, ctx, unreadable, max(attempt, t.maxAttempts-1), stress, unreadableReason, emit)
	}
	if len(bad) > 0 {
		t.again(soft, ctx, bad, attempt, stress, reason, emit)
	}
}

// errUnreadable marks a translation that would not read back.
var errUnreadable = errors.New("translation does not read back")

// again sends b once more after a backoff, or fails it when the attempts
// are spent.
func (t *translator) again(soft, ctx context.Context, b []*request, attempt int, stress bool, reason string, emit func([]outcome)) {
	if attempt >= t.maxAttempts {
		emit(outcomes(b, outFailed, fmt.Sprintf("gave up after %d attempts: %s", attempt, reason)))
		return
	}
	if err := t.wait(soft, nil, attempt); err != nil {
		emit(outcomes(b, outAbandoned, errAbandoned.Error()))
		return
	}
	t.send(soft, ctx, b, attempt+1, stress, emit)
}

// splitOne translates a request the engine found too large in two or more
// parts, cut at sentences, clauses or spaces, each carrying the glossary
// entries it contains, and joins the parts. A part that fails fails the
// request.
func (t *translator) splitOne(soft, ctx context.Context, r *request, emit func([]outcome)) {
	parts := splitText(r.send, maxInt(1, int(r.chars)/2), runeCount)
	if len(parts) < 2 {
		emit([]outcome{{req: r, kind: outFailed, reason: "the engine takes no part of this segment: too large"}})
		return
	}
	targets := make([]string, len(parts))
	for i, text := range parts {
		p := &request{id: r.id, source: text, send: text, gl: piecesGlossary(r, text),
			chars: int32(runeCount(text)), tokens: int32(t.tokensOf(text)), ctx: r.ctx, piece: int32(i)}
		var got outcome
		t.send(soft, ctx, []*request{p}, 1, false, func(os []outcome) { got = os[0] })
		if got.kind != outOK {
			emit([]outcome{{req: r, kind: got.kind, reason: "part of a long segment: " + got.reason}})
			return
		}
		targets[i] = got.target
	}
	joined := joinPieces(targets, parts, t.src, t.tgt)
	if r.piece >= 0 {
		emit([]outcome{{req: r, kind: outOK, target: joined}})
		return
	}
	o, err := t.validate(r, joined, true)
	if err != nil {
		emit([]outcome{{req: r, kind: outFailed, reason: err.Error()}})
		return
	}
	emit([]outcome{o})
}

// errStress asks for one more try of a request with its glossary terms
// stressed.
var errStress = errors.New("glossary terms missed")

// validate turns an engine's text for r into an outcome, or says why it
// cannot be accepted: tags lost or invented, a leaked preamble or note, an
// echo of the source, a block that would read back as other Markdown.
// Pieces of a long unit are checked for their tags and leaks; the joined
// unit is checked whole by the coordinator.
func (t *translator) validate(r *request, text string, stressedOnce bool) (outcome, error) {
	target := safeBreaks(text)
	if r.piece >= 0 {
		if err := tags.Check(r.send, target); err != nil {
			return outcome{}, err
		}
		if err := t.rejected(r.send, target); err != nil {
			return outcome{}, err
		}
		return outcome{req: r, kind: outOK, target: target}, nil
	}
	if r.gl != nil && r.gl.restore != nil {
		target = glossary.Unprotect(target, r.gl.restore)
	}
	if err := checkWhole(t, r, target); err != nil {
		return outcome{}, err
	}
	violations := glossary.Verify(target, r.matches())
	if len(violations) > 0 && t.hints && !stressedOnce {
		return outcome{}, fmt.Errorf("%w: %v", errStress, violations[0])
	}
	return outcome{req: r, kind: outOK, target: target, violations: violations}, nil
}

// checkWhole runs the checks a whole unit's target must pass.
func checkWhole(t *translator, r *request, target string) error {
	if err := tags.Check(r.source, target); err != nil {
		return err
	}
	if err := t.rejected(r.source, target); err != nil {
		return err
	}
	if doc := r.ctx.doc(); doc != nil {
		if err := readsBackSegment(doc, r.ctx.seg, target, t.md); err != nil {
			return fmt.Errorf("%w: %w", errUnreadable, err)
		}
	}
	return nil
}

// rejected runs the checks that reject a translation outright (empty,
// leaked model text, an echo of the source), returning the first error.
func (t *translator) rejected(source, target string) error {
	if t.reject == nil || target == source && t.src == t.tgt {
		return nil
	}
	for _, f := range qa.CheckSegment(t.reject, t.src, t.tgt, qa.Pair{Source: source, Target: target}) {
		if f.Severity == qa.Error {
			return fmt.Errorf("%s: %s", f.Kind, f.Message)
		}
	}
	return nil
}

// call sends one request, retrying retryable failures with exponential
// backoff and jitter, honouring Retry-After, within the rate limits and the
// budget. It returns errAbandoned (wrapped) when the run is stopping.
func (t *translator) call(soft, ctx context.Context, b []*request, stress bool) ([]string, error) {
	req := t.request(b, stress)
	for attempt := 1; ; attempt++ {
		if perr := t.stopped.Load(); perr != nil {
			return nil, fmt.Errorf("%w: the engine stopped", errAbandoned)
		}
		if soft.Err() != nil {
			return nil, errAbandoned
		}
		reservation, ok := t.budget.reserve(soft, b)
		if !ok {
			if soft.Err() != nil {
				return nil, errAbandoned
			}
			return nil, fmt.Errorf("%w: the budget would be passed", errAbandoned)
		}
		res, err := t.attempt(soft, ctx, req, b)
		t.budget.settle(reservation, b)
		if err == nil || errors.As(err, new(*providers.SegmentErrors)) {
			t.unreachable.Store(0)
			t.downSince.Store(0)
			if len(res) != len(b) {
				return nil, providers.Errorf(providers.BadReply, "%d results for %d segments", len(res), len(b))
			}
			return res, err
		}
		switch providers.ClassOf(err) {
		case providers.Permanent:
			t.stop(err)
			return nil, fmt.Errorf("%w: %w", errAbandoned, err)
		case providers.Canceled:
			return nil, fmt.Errorf("%w: %w", errAbandoned, err)
		case providers.Retryable:
			if t.serverGone(err) {
				return nil, fmt.Errorf("%w: %w", errAbandoned, err)
			}
			if attempt >= t.maxAttempts {
				return nil, fmt.Errorf("gave up after %d attempts: %w", attempt, err)
			}
			if werr := t.wait(soft, err, attempt); werr != nil {
				return nil, errAbandoned
			}
			continue
		}
		return nil, err
	}
}

// serverGone counts an attempt that failed with err and reports whether
// the engine was stopped because the server is gone: maxUnreachable
// attempts in a row found no server, over at least three backoffs. (The
// requests in flight when a server restarts all fail at once; that is a
// moment, not a server gone.)
func (t *translator) serverGone(err error) bool {
	if !providers.IsUnreachable(err) {
		return false
	}
	now := time.Now().UnixNano()
	t.downSince.CompareAndSwap(0, now)
	n := t.unreachable.Add(1)
	down := time.Duration(now - t.downSince.Load())
	if n < int64(t.maxUnreachable) || down < 7*t.backoff {
		return false
	}
	t.stop(fmt.Errorf("the engine could not be reached %d times in a row, for %v: %w", n, down.Round(time.Millisecond), err))
	return true
}

// stop stops the engine for good: no request starts after it. A permanent
// engine error stops it, and so does a memory that cannot store results
// (ErrMemoryUnavailable).
func (t *translator) stop(err error) {
	if t.stopped.CompareAndSwap(nil, &err) {
		t.log.Debug("engine stopped; no more requests", "err", err)
	}
}

// attempt sends req once, within the rate limits and the gate.
func (t *translator) attempt(soft, ctx context.Context, req providers.Request, b []*request) ([]string, error) {
	if err := t.pace(soft, b); err != nil {
		return nil, errAbandoned
	}
	if err := t.gate.acquire(soft); err != nil {
		return nil, errAbandoned
	}
	if t.stopped.Load() != nil {
		// Stopped while this request waited for its turn.
		t.gate.release()
		return nil, fmt.Errorf("%w: the engine stopped", errAbandoned)
	}
	t.obs.InFlight(1)
	defer func() { t.obs.InFlight(-1); t.gate.release() }()
	t.stats.requests.Add(1)
	t.stats.sentSegments.Add(int64(len(req.Segments)))
	for _, r := range b {
		t.stats.sentChars.Add(int64(r.chars))
	}
	res, err := t.p.Translate(ctx, req)
	var pe *providers.Error
	switch {
	case errors.As(err, &pe) && pe.Status == 429:
		t.gate.backOff()
	case err == nil:
		t.gate.succeed()
	case providers.ClassOf(err) == providers.Permanent && !errors.As(err, new(*providers.SegmentErrors)):
		// Stopped before the gate is released (deferred above): a request
		// waiting for its turn must find the engine stopped, not slip in
		// between the release and call's stop.
		t.stop(err)
	}
	return res, err
}

// wait sleeps before a retry: the engine's Retry-After when it gave one,
// else exponential backoff with full jitter, capped at a minute.
func (t *translator) wait(soft context.Context, err error, attempt int) error {
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
	return t.sleep(soft, d)
}

func (t *translator) pace(ctx context.Context, b []*request) error {
	if t.requests != nil {
		if err := t.requests.Wait(ctx); err != nil {
			return err
		}
	}
	if t.tokens != nil {
		n := 0
		for _, r := range b {
			n += int(r.tokens)
		}
		n = min(n, t.tokens.Burst())
		if err := t.tokens.WaitN(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

func (t *translator) request(b []*request, stress bool) providers.Request {
	req := providers.Request{Source: t.src, Target: t.tgt, Segments: make([]string, len(b))}
	seen := map[string]bool{}
	for i, r := range b {
		req.Segments[i] = r.send
		for _, e := range r.entries() {
			if !seen[e.Source] {
				seen[e.Source] = true
				if stress {
					e.Note = strings.TrimSpace(e.Note + " REQUIRED: render " + e.Source + " exactly as " + e.Target + ".")
				}
				req.Glossary = append(req.Glossary, e)
			}
		}
	}
	first := b[0].ctx
	req.Context = providers.Context{Title: first.title(), Before: first.before(), Path: first.path()}
	return req
}

// entriesIn keeps the entries whose source term occurs in text.
func entriesIn(entries []glossary.Entry, text string) []glossary.Entry {
	var in []glossary.Entry
	for _, e := range entries {
		if strings.Contains(text, e.Source) {
			in = append(in, e)
		}
	}
	return in
}

func (t *translator) tokensOf(text string) int {
	if t.est == nil {
		return 0
	}
	return t.est.Tokens(text)
}

// estimateCost is the engine's estimate for sending reqs, 0 without a
// price table.
func (t *translator) estimateCost(reqs []*request) float64 {
	if t.est == nil {
		return 0
	}
	toks, chars := 0, 0
	for _, r := range reqs {
		toks += int(r.tokens)
		chars += int(r.chars)
	}
	return t.est.EstimateCost(toks, chars)
}

func abandoned(err error) bool {
	return errors.Is(err, errAbandoned)
}

func outcomes(b []*request, kind outcomeKind, reason string) []outcome {
	os := make([]outcome, len(b))
	for i, r := range b {
		os[i] = outcome{req: r, kind: kind, reason: reason}
	}
	return os
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

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
