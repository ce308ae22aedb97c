package pipeline

import (
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
