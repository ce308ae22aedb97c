package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/diglot/diglot/tm"
)

// Several runs that share one memory (processes on one machine with an
// SQLite file, machines with PostgreSQL) pay for each unique segment once:
// a run claims the keys it would send, sends only those granted, and parks
// the others until another run's translation appears in the memory. A run
// that dies leaves leases that expire, and their keys are claimed again.

// claims is a run's side of tm.Claimer; nil when the memory is not shared.
type claims struct {
	store tm.Claimer
	owner string
	ttl   time.Duration
	// renewed is when the leases were last extended.
	renewed time.Time
}

// pollEvery is how often parked keys are looked up and claimed again.
const pollEvery = 500 * time.Millisecond

// newClaims returns the run's claims when its memory is shared.
func (r *run) newClaims() *claims {
	st, ok := r.mem.(tm.Claimer)
	if !ok || r.synthetic || r.opts.DryRun || r.opts.Memory == nil {
		return nil
	}
	if _, local := r.mem.(*tm.Memory); local {
		return nil
	}
	ttl := r.opts.LeaseTTL
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	return &claims{store: st, owner: tm.NewOwner(), ttl: ttl, renewed: time.Now()}
}

// claimGroup puts the pending units of the group's files that no earlier
// file queued, parked or put there at the end of the run's claim line,
// and claims the first of them. Without shared memory everything is left
// to be queued.
func (c *coordinator) claimGroup(ctx context.Context, group []*docFile) {
	if c.claims == nil {
		return
	}
	for _, f := range group {
		for _, u := range f.units {
			if u != nil && u.state == pending && !u.queued && !u.parked && !u.deferred {
				u.deferred = true
				c.toClaim = append(c.toClaim, u)
			}
		}
	}
	c.claimMore(ctx)
}

// claimWindow is how many keys a run holds unsent at most: enough to keep
// its engine busy (four full batches per concurrent request), few enough
// that runs reading the same files at once share them out. A run that
// claimed everything it read would leave the others nothing to send:
// three workers over 60 articles took as long as one.
func (c *coordinator) claimWindow() int {
	per := c.r.tr.lim.MaxSegments
	if per <= 0 || per > 64 {
		per = 64
	}
	return 4 * max(c.workers, 1) * per
}

// claimMore claims units from the claim line, in order, while the run holds
// fewer keys than half its window: granted units are queued, the others
// are parked until their entries appear. Units are looked up first:
// another run may have stored them since they were read. A memory that
// cannot answer (after storeTries tries) stops the run as one that cannot
// store does: the units stay in the line, pending, and their files are
// reported not done.
func (c *coordinator) claimMore(ctx context.Context) {
	if c.claims == nil || c.stopping || c.memErr != nil {
		return
	}
	window := c.claimWindow()
	for len(c.toClaim) > 0 && (len(c.held) < window/2 || c.engineIdle()) {
		n := min(len(c.toClaim), max(window-len(c.held), window/2))
		batch := c.toClaim[:n:n]
		if err := c.tryMemory(ctx, "claiming segments", func() error { return c.claimBatch(ctx, batch) }); err != nil {
			c.memoryGone(fmt.Errorf("claiming segments in the shared memory: %w", err))
			return
		}
		c.toClaim = c.toClaim[n:]
		if len(c.toClaim) == 0 {
			c.toClaim = nil // let the line's array go
		}
	}
}

// claimBatch looks up and claims a batch of the claim line. A failed try
// leaves the batch in the line, so it may be tried again.
func (c *coordinator) claimBatch(ctx context.Context, batch []*unit) error {
	for _, u := range batch {
		if u.state == pending { // a try before may have resolved some
			c.fresh = append(c.fresh, u)
		}
	}
	if err := c.lookup(ctx); err != nil {
		return err
	}
	var want []*unit
	for _, u := range batch {
		if u.state == pending {
			want = append(want, u)
		}
	}
	if err := c.claimAndQueue(ctx, want); err != nil {
		return err
	}
	for _, u := range batch {
		u.deferred = false
	}
	return nil
}

// engineIdle reports whether nothing is packed, waiting or in flight: the
// run must claim more whatever it holds, or it would wait for nothing.
func (c *coordinator) engineIdle() bool {
	return c.inFlight == 0 && len(c.ready) == 0 && len(c.pack.open) == 0
}

// claimAndQueue claims units' keys, queues the units granted (parked ones
// too: their keys came back) and parks the others.
func (c *coordinator) claimAndQueue(ctx context.Context, us []*unit) error {
	granted, err := c.claim(ctx, us)
	if err != nil {
		return err
	}
	for _, u := range us {
		if granted[u.key()] {
			delete(c.parked, u.id)
			u.parked = false
			c.queue(u)
			continue
		}
		u.parked = true
		c.parked[u.id] = u
	}
	return nil
}

// claim asks the memory for units' keys and returns those granted.
func (c *coordinator) claim(ctx context.Context, us []*unit) (map[string]bool, error) {
	granted := map[string]bool{}
	if len(us) == 0 {
		return granted, nil
	}
	keys := make([]string, len(us))
	for i, u := range us {
		keys[i] = u.key()
	}
	rep := c.r.report
	got, err := c.claims.store.Claim(ctx, c.claims.owner,
		tm.Query{SourceLang: rep.Source, TargetLang: rep.Target, Keys: keys, Origin: c.r.lookup}, c.claims.ttl)
	if err != nil {
		return nil, err
	}
	for _, k := range got {
		granted[k] = true
		c.held[k] = true
	}
	return granted, nil
}

// poll looks parked keys up: those another run has stored are resolved,
// and the others are claimed again, so a dead run's keys come back. It
// also renews the run's leases when a third of their time has passed.
func (c *coordinator) poll(ctx context.Context) {
	if c.claims == nil {
		return
	}
	if len(c.held) > 0 && time.Since(c.claims.renewed) > c.claims.ttl/3 {
		if err := c.claims.store.Renew(ctx, c.claims.owner, c.claims.ttl); err != nil {
			c.r.log.Warn("renewing leases", "err", err)
		}
		c.claims.renewed = time.Now()
	}
	if len(c.parked) == 0 || c.stopping {
		return
	}
	var parked []*unit
	for _, u := range c.parked {
		c.fresh = append(c.fresh, u)
		parked = append(parked, u)
	}
	if err := c.lookup(ctx); err != nil {
		c.r.log.Warn("looking up parked segments", "err", err)
		return
	}
	var still []*unit
	for _, u := range parked {
		if u.state != pending {
			delete(c.parked, u.id)
			continue
		}
		still = append(still, u)
	}
	if err := c.claimAndQueue(ctx, still); err != nil {
		c.r.log.Warn("claiming parked segments", "err", err)
	}
}

// release ends the leases of keys this run stored or gave up.
func (c *coordinator) release(ctx context.Context, keys []string) {
	if c.claims == nil || len(keys) == 0 {
		return
	}
	var mine []string
	for _, k := range keys {
		if c.held[k] {
			delete(c.held, k)
			mine = append(mine, k)
		}
	}
	if len(mine) == 0 {
		return
	}
	if err := c.claims.store.Release(context.WithoutCancel(ctx), c.claims.owner, mine); err != nil {
		if c.memErr != nil {
			// The run already said the memory is unavailable, once.
			c.r.log.Debug("releasing leases", "err", err)
			return
		}
		c.r.log.Warn("releasing leases", "err", err)
	}
}

// releaseAll ends every lease the run still holds, at its end.
func (c *coordinator) releaseAll(ctx context.Context) {
	if c.claims == nil {
		return
	}
	keys := make([]string, 0, len(c.held))
	for k := range c.held {
		keys = append(keys, k)
	}
	c.release(ctx, keys)
}
