package pipeline

import (
	"context"
	"sync"

	"github.com/diglot/diglot/providers"
)

// reserveFactor is how much of a request's estimated cost is set aside
// before it is sent. A chat engine's estimate assumes an output about as
// long as usual; the reserve covers one half as long again.
const reserveFactor = 1.5

// budget keeps spend under a cap: every request reserves its estimated
// worst case before it is sent, and the reservation is released when the
// reply is in and counted. A request whose reservation would pass the cap
// is not sent. A nil *budget, or one with max 0, has no cap.
type budget struct {
	max      float64
	estimate func(reqs []*request) float64
	meter    providers.Metered // the engine's real spend, when it counts one

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced when a reservation is settled
	reserved float64       // in flight
	spent    float64       // estimates of requests that returned, for engines without a meter
	exceeded bool
}

// reserve sets aside the worst case of sending reqs. When that does not
// fit beside the requests in flight it waits for them to settle; when it
// does not fit with nothing in flight it reports false and marks the
// budget exceeded. It gives up, reporting false, when ctx ends.
func (b *budget) reserve(ctx context.Context, reqs []*request) (float64, bool) {
	if b == nil || b.max <= 0 {
		return 0, true
	}
	r := b.estimate(reqs) * reserveFactor
	b.mu.Lock()
	for {
		switch {
		case b.exceeded:
			b.mu.Unlock()
			return 0, false
		case b.spentLocked()+b.reserved+r <= b.max:
			b.reserved += r
			b.mu.Unlock()
			return r, true
		case b.reserved <= 0:
			b.exceeded = true
			b.mu.Unlock()
			return 0, false
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		wait := b.changed
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return 0, false
		case <-wait:
		}
		b.mu.Lock()
	}
}

// settle releases a reservation once its request has returned.
func (b *budget) settle(reservation float64, reqs []*request) {
	if b == nil || b.max <= 0 {
		return
	}
	est := b.estimate(reqs)
	b.mu.Lock()
	b.reserved -= reservation
	b.spent += est
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	b.mu.Unlock()
}

func (b *budget) spentLocked() float64 {
	if b.meter != nil {
		return b.meter.Usage().Cost
	}
	return b.spent
}

func (b *budget) wasExceeded() bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.exceeded
}
