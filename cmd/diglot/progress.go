package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
)

// progress draws the run's progress on a terminal: files and segments done
// of total, reused segments, requests in flight, retries waiting, elapsed,
// ETA and spend. It is only created when stderr is a terminal and --quiet is
// off; elsewhere the run prints only its final summary.
type progress struct {
	pipeline.NopObserver
	p        *mpb.Progress
	files    *mpb.Bar
	segs     *mpb.Bar
	mu       sync.Mutex
	nFiles   int64
	nSegs    int64
	reused   atomic.Int64
	inFlight atomic.Int64
	retries  atomic.Int64
	cost     atomic.Value // float64
}

func newProgress(ctx context.Context, w io.Writer) *progress {
	pr := &progress{p: mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(32), mpb.WithRefreshRate(150*time.Millisecond))}
	pr.cost.Store(0.0)
	pr.files = pr.p.AddBar(0,
		mpb.PrependDecorators(decor.Name("files    ", decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d", decor.WCSyncWidth)),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)),
	)
	pr.segs = pr.p.AddBar(0,
		mpb.PrependDecorators(decor.Name("to send  ", decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d", decor.WCSyncWidth)),
		mpb.AppendDecorators(
			decor.AverageETA(decor.ET_STYLE_GO, decor.WCSyncSpace),
			decor.Any(func(decor.Statistics) string {
				return fmt.Sprintf(" reused %d · in flight %d · retrying %d · spent %.4f",
					pr.reused.Load(), pr.inFlight.Load(), pr.retries.Load(), pr.cost.Load().(float64))
			}),
		),
	)
	return pr
}

func (pr *progress) Planned(files, segments int) {
	pr.mu.Lock()
	pr.nFiles += int64(files)
	pr.nSegs += int64(segments)
	pr.files.SetTotal(pr.nFiles, false)
	pr.segs.SetTotal(pr.nSegs, false)
	pr.mu.Unlock()
}

func (pr *progress) Reused(n int) { pr.reused.Add(int64(n)) }

func (pr *progress) Batch(ok, failed int) { pr.segs.IncrBy(ok + failed) }
func (pr *progress) InFlight(d int)       { pr.inFlight.Add(int64(d)) }
func (pr *progress) Retry(d int)          { pr.retries.Add(int64(d)) }
func (pr *progress) FileDone(pipeline.FileReport) {
	pr.files.Increment()
}
func (pr *progress) Spent(u providers.Usage) { pr.cost.Store(u.Cost) }

// stop completes the bars and waits for the last redraw, so the summary
// that follows is not overwritten.
func (pr *progress) stop() {
	pr.files.SetTotal(-1, true)
	pr.segs.SetTotal(-1, true)
	pr.p.Wait()
}
