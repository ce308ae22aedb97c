package providertest

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/diglot/diglot/providers"
)

// Pack groups segment indexes into batches that respect the limits: at
// most MaxSegments segments and MaxTokens tokens (as size counts them)
// each. It packs first-fit over a few open batches, so that a big segment
// does not close a half-empty batch, which brings the request count close
// to [LowerBound]; segments keep their order within a batch and batches
// are ordered by their first segment. A segment bigger than MaxTokens is a
// batch of its own.
func Pack(segs []string, l providers.Limits, size func(string) int) [][]int {
	const maxOpen = 16
	type bin struct {
		idx    []int
		tokens int
	}
	fits := func(b *bin, n int) bool {
		return (l.MaxSegments <= 0 || len(b.idx) < l.MaxSegments) && (l.MaxTokens <= 0 || b.tokens+n <= l.MaxTokens)
	}
	full := func(b *bin) bool {
		// Full when no typical segment would fit any more.
		return l.MaxSegments > 0 && len(b.idx) >= l.MaxSegments || l.MaxTokens > 0 && b.tokens >= l.MaxTokens-l.MaxTokens/50
	}
	var open, closed []*bin
	for i, s := range segs {
		n := size(s)
		var target *bin
		for _, b := range open {
			if fits(b, n) {
				target = b
				break
			}
		}
		if target == nil {
			target = &bin{}
			open = append(open, target)
		}
		target.idx = append(target.idx, i)
		target.tokens += n
		kept := open[:0]
		for _, b := range open {
			if full(b) {
				closed = append(closed, b)
			} else {
				kept = append(kept, b)
			}
		}
		open = kept
		if len(open) > maxOpen {
			closed = append(closed, open[0])
			open = open[1:]
		}
	}
	closed = append(closed, open...)
	slices.SortFunc(closed, func(a, b *bin) int { return a.idx[0] - b.idx[0] })
	batches := make([][]int, len(closed))
	for i, b := range closed {
		batches[i] = b.idx
	}
	return batches
}

// Drive is a minimal translate stage, for engine tests, fault mixes and
// benches: it packs batches by the engine's limits ([Pack]), paces
// requests with a token bucket at the engine's requests per minute, runs
// Limits.Concurrency at once, retries retryable errors (waiting
// Retry-After, else exponential backoff with jitter, at most 8 attempts),
// halves a batch on a bad reply or one too large, sends the segments that
// failed validation alone, asks a single segment again up to 5 times, and
// stops on a permanent error. It does not split a segment: a single
// segment too large fails. It returns one translation per segment ("" where
// the segment failed) and how many failed. The pipeline's translate stage
// does all this and more; Drive is small enough to read, so that a test
// can tell an engine's fault from a driver's.
func Drive(ctx context.Context, p providers.Provider, req providers.Request) (results []string, failed int, err error) {
	l := providers.DefaultLimits
	if lim, ok := p.(providers.Limiter); ok {
		l = lim.Limits()
	}
	size := func(s string) int { return len([]rune(s)) }
	if est, ok := p.(providers.Estimator); ok {
		size = est.Tokens
	}
	if l.MaxTokens == 0 && l.MaxChars > 0 {
		l.MaxTokens = l.MaxChars
	}
	d := &driver{p: p, req: req, limiter: rate.NewLimiter(rate.Inf, 1), out: make([]string, len(req.Segments))}
	if l.RequestsPerMinute > 0 {
		d.limiter = rate.NewLimiter(rate.Limit(l.RequestsPerMinute/60), 1)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, l.Concurrency))
	for _, b := range Pack(req.Segments, l, size) {
		g.Go(func() error { return d.batch(ctx, b, 0) })
	}
	err = g.Wait()
	return d.out, int(d.failed.Load()), err
}

type driver struct {
	p       providers.Provider
	req     providers.Request
	limiter *rate.Limiter
	failed  atomic.Int64
	out     []string // each index written by the one batch that holds it
}

func (d *driver) batch(ctx context.Context, idx []int, depth int) error {
	segs := make([]string, len(idx))
	for k, i := range idx {
		segs[k] = d.req.Segments[i]
	}
	r := d.req
	r.Segments = segs
	const singleAttempts, retryAttempts = 5, 8
	for attempt := 1; ; attempt++ {
		if err := d.limiter.Wait(ctx); err != nil {
			return err
		}
		res, err := d.p.Translate(ctx, r)
		var se *providers.SegmentErrors
		if (err == nil || errors.As(err, &se)) && len(res) != len(idx) {
			err, se = providers.Errorf(providers.BadReply, "%d results for %d segments", len(res), len(idx)), nil
		}
		switch {
		case err == nil:
			for k, i := range idx {
				d.out[i] = res[k]
			}
			return nil
		case se != nil:
			for k, i := range idx {
				if se.Failed[k] == nil {
					d.out[i] = res[k]
				}
			}
			if len(idx) == 1 {
				if attempt >= singleAttempts {
					d.failed.Add(1)
					return nil
				}
				continue // ask again
			}
			failed := make([]int, 0, len(se.Failed))
			for k := range se.Failed {
				failed = append(failed, k)
			}
			slices.Sort(failed)
			for _, k := range failed {
				if err := d.batch(ctx, idx[k:k+1], depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		switch c := providers.ClassOf(err); c {
		case providers.BadReply, providers.TooLarge:
			if len(idx) == 1 {
				if c == providers.TooLarge || attempt >= singleAttempts {
					d.failed.Add(1)
					return nil
				}
				continue // a single segment: ask again
			}
			h := len(idx) / 2
			if err := d.batch(ctx, idx[:h], depth+1); err != nil {
				return err
			}
			return d.batch(ctx, idx[h:], depth+1)
		case providers.Retryable:
			if attempt >= retryAttempts {
				d.failed.Add(int64(len(idx)))
				return nil
			}
			wait, ok := providers.RetryAfterOf(err)
			if !ok {
				wait = time.Duration(float64(20*time.Millisecond) * math.Pow(2, float64(attempt-1)) * (0.5 + rand.Float64()))
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		default:
			return err
		}
	}
}
