package pipeline

import (
	"context"
	"errors"
	"fmt"
)

// ErrMemoryUnavailable is wrapped by the reason a run stopped because its
// translation memory could not store results. Every result is committed to
// the memory before any output uses it (so that a rerun never pays for it
// twice); when the memory cannot take results, whatever the engine sends
// back from then on could only be thrown away, so the run stops sending,
// as it does for an engine's permanent error.
var ErrMemoryUnavailable = errors.New("translation memory unavailable")

// storeTries is how many times a batch's results are offered to the memory
// before it is declared unavailable. A passing fault (a dropped connection
// the pool reopens, a failover, a lock held a moment too long) costs a wait
// of Backoff, then twice that, not the run. The SQLite store retries
// SQLITE_BUSY and PostgreSQL transactions retry deadlocks on their own;
// this covers what reaches the pipeline anyway.
const storeTries = 3

// store commits good to the memory, trying again after a short wait when it
// fails, and reports whether the results were stored. When they were not,
// the memory is unavailable: the run stops (no request starts after it, as
// with an engine's permanent error), and the results of the requests still
// in flight are not offered to it again.
func (c *coordinator) store(ctx context.Context, good []outcome) bool {
	if c.memErr != nil {
		return false
	}
	// The batch came back and is paid for: it is worth the waits even when
	// the run is being stopped.
	err := c.tryMemory(context.WithoutCancel(ctx), "storing results", func() error { return c.commit(ctx, good) })
	if err != nil {
		c.memoryGone(err)
		return false
	}
	return true
}

// tryMemory runs op, a call to the memory, up to storeTries times, waiting
// Backoff and then twice that between tries, unless ctx ends.
func (c *coordinator) tryMemory(ctx context.Context, what string, op func() error) error {
	for try := 1; ; try++ {
		err := op()
		if err == nil || try == storeTries || ctx.Err() != nil {
			return err
		}
		c.r.log.Debug(what+" failed; trying again", "try", try, "err", err)
		_ = c.t.sleep(ctx, c.t.backoff<<(try-1))
	}
}

// memoryGone stops the run because the memory could not answer: no
// request starts after it, as with an engine's permanent error.
func (c *coordinator) memoryGone(err error) {
	c.memErr = err
	c.t.stop(fmt.Errorf("%w: %w", ErrMemoryUnavailable, err))
}

// unstore puts back units whose translations could not be stored: they stay
// pending, as if never sent, so their files are not written (an output
// holds only what the memory holds) and are reported as not done, and a
// rerun translates them.
func (c *coordinator) unstore(good []outcome) {
	for _, o := range good {
		o.req.unit.queued = false
	}
	c.unstored += len(good)
}

// memoryStopped is the report's one line for a run the memory stopped (the
// CLI prints it after "stopped early: "): the cause, and how many
// translations were paid for and lost.
func memoryStopped(err error, unstored int) string {
	noun := "translations were"
	if unstored == 1 {
		noun = "translation was"
	}
	return fmt.Sprintf("%v: %s; %d %s not stored", ErrMemoryUnavailable, oneLine(err.Error()), unstored, noun)
}
