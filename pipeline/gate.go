package pipeline

import (
	"context"
	"sync"
)

// gate is an adaptive concurrency limit: it halves while the engine answers
// 429 and grows back by one after as many successes as the current limit.
// Only 429 shrinks it: a timeout or a 5xx says nothing about how many
// requests the engine takes at once, and halving on them let one hung
// request freeze a run.
type gate struct {
	mu       sync.Mutex
	wake     chan struct{} // closed and replaced whenever a slot may have freed
	max      int
	limit    int
	inFlight int
	streak   int
}

func newGate(max int) *gate {
	max = maxInt(max, 1)
	return &gate{max: max, limit: max, wake: make(chan struct{})}
}

// acquire waits for a slot or for ctx to end.
func (g *gate) acquire(ctx context.Context) error {
	for {
		g.mu.Lock()
		if g.inFlight < g.limit {
			g.inFlight++
			g.mu.Unlock()
			return nil
		}
		wake := g.wake
		g.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}

func (g *gate) release() {
	g.mu.Lock()
	g.inFlight--
	g.broadcast()
	g.mu.Unlock()
}

// broadcast wakes every waiter; g.mu must be held.
func (g *gate) broadcast() {
	close(g.wake)
	g.wake = make(chan struct{})
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
		g.broadcast()
	}
	g.mu.Unlock()
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
