package pipeline

import (
	"sync"

	"github.com/diglot/diglot/glossary"
	"github.com/diglot/diglot/providers"
)

// Observer receives progress as a run goes; the CLI draws its progress bar
// from it. Methods are called from several goroutines and must return
// quickly. Embed [NopObserver] to implement only some.
type Observer interface {
	// Planned adds files, and unique segments that need an engine, to the
	// known totals.
	Planned(files, segments int)
	// Reused reports segments answered from memory without an engine.
	Reused(segments int)
	// Batch reports segments translated and failed by one request.
	Batch(translated, failed int)
	// InFlight and Retry move the counts of requests in flight and of
	// requests waiting to retry.
	InFlight(delta int)
	Retry(delta int)
	// FileDone reports a finished file.
	FileDone(f FileReport)
	// Spent reports the engine's usage so far.
	Spent(u providers.Usage)
}

// NopObserver ignores every event.
type NopObserver struct{}

func (NopObserver) Planned(int, int)      {}
func (NopObserver) Reused(int)            {}
func (NopObserver) Batch(int, int)        {}
func (NopObserver) InFlight(int)          {}
func (NopObserver) Retry(int)             {}
func (NopObserver) FileDone(FileReport)   {}
func (NopObserver) Spent(providers.Usage) {}

var _ Observer = NopObserver{}

// budget stops new batches before the estimated spend would pass a limit.
// A nil *budget has no limit.
type budget struct {
	max   float64
	cost  func(us []*unit) float64
	meter providers.Metered // the engine's real spend, when it counts one

	mu       sync.Mutex
	spent    float64
	exceeded bool
}

func (b *budget) take(us []*unit) bool {
	if b == nil || b.max <= 0 {
		return true
	}
	c := b.cost(us)
	b.mu.Lock()
	defer b.mu.Unlock()
	spent := b.spent
	if b.meter != nil {
		// Whatever the estimates missed, the real spend bounds it too.
		spent = max(spent, b.meter.Usage().Cost)
	}
	if b.exceeded || spent+c > b.max {
		b.exceeded = true
		return false
	}
	b.spent += c
	return true
}

func (b *budget) wasExceeded() bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.exceeded
}

// unprotect puts glossary terms back in place of the tags that carried
// them, spaced from neighbouring words as glossary.Unprotect does.
func unprotect(s string, restore map[string]string) string {
	return glossary.Unprotect(s, restore)
}
