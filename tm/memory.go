package tm

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Memory is a [Store] held in memory, with the same semantics as [SQLite].
// It serves tests and runs without a persistent store (--no-tm), where it
// still dedupes segments across the run. The zero value is not usable; call
// [NewMemory].
type Memory struct {
	now   func() time.Time
	langs langCache

	mu     sync.RWMutex
	pairs  map[pair]map[string][]Entry // the entries of a key, one per slot
	leases map[pair]map[string]lease
	closed bool
}

type pair struct{ src, tgt string }

type lease struct {
	owner   string
	expires time.Time
}

// NewMemory returns an empty in-memory store.
func NewMemory(opts *Options) *Memory {
	return &Memory{now: opts.now(), pairs: make(map[pair]map[string][]Entry), leases: make(map[pair]map[string]lease)}
}

// Get implements [Store].
func (m *Memory) Get(ctx context.Context, q Query) (map[string]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q, err := q.canon(&m.langs)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	return m.get(q), nil
}

// get is Get with m.mu held.
func (m *Memory) get(q Query) map[string]Entry {
	found := make(map[string]Entry)
	byKey := m.pairs[pair{q.SourceLang, q.TargetLang}]
	for _, k := range q.Keys {
		for _, e := range byKey[k] {
			q.pick(found, e)
		}
	}
	for k, e := range found {
		found[k] = e.detached()
	}
	return found
}

// detached returns e with its own copy of the markup, so that a caller
// changing an entry it got cannot change what the store holds.
func (e Entry) detached() Entry {
	e.Markup = slices.Clone(e.Markup)
	return e
}

// Variants implements [VariantLister].
func (m *Memory) Variants(ctx context.Context, srcLang, tgtLang, key string) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src, tgt, err := m.langs.pair(srcLang, tgtLang)
	if err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	var es []Entry
	for _, e := range m.pairs[pair{src, tgt}][key] {
		es = append(es, e.detached())
	}
	slices.SortFunc(es, compareVariants)
	return es, nil
}

// Put implements [Store].
func (m *Memory) Put(ctx context.Context, entries []Entry) error {
	return m.put(ctx, entries, false)
}

// Replace implements [Replacer].
func (m *Memory) Replace(ctx context.Context, entries []Entry) error {
	return m.put(ctx, entries, true)
}

func (m *Memory) put(ctx context.Context, entries []Entry, force bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// Validate everything first: a Put either stores all its entries or
	// none, as the SQL transactions do.
	prepared := make([]Entry, len(entries))
	for i, e := range entries {
		p, err := prepare(e, m.now, &m.langs)
		if err != nil {
			return err
		}
		prepared[i] = p
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, e := range prepared {
		p := pair{e.SourceLang, e.TargetLang}
		byKey := m.pairs[p]
		if byKey == nil {
			byKey = make(map[string][]Entry)
			m.pairs[p] = byKey
		}
		byKey[e.Key] = place(byKey[e.Key], e, force)
	}
	return nil
}

// place returns the entries of one key after e is put in its slot: with
// force, whatever the slot held is replaced, and a machine entry also
// removes the reviewed one (Replace); otherwise [Supersedes] decides.
func place(es []Entry, e Entry, force bool) []Entry {
	if force && e.State == Machine {
		es = slices.DeleteFunc(es, func(old Entry) bool { return old.State == Reviewed })
	}
	for i, old := range es {
		if sameSlot(e, old) {
			if force || Supersedes(e, old) {
				es[i] = merge(e, old)
			}
			return es
		}
	}
	return append(es, e)
}

// Delete implements [Deleter].
func (m *Memory) Delete(ctx context.Context, srcLang, tgtLang string, keys []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	src, tgt, err := m.langs.pair(srcLang, tgtLang)
	if err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return 0, ErrClosed
	}
	byKey := m.pairs[pair{src, tgt}]
	n := 0
	for _, k := range keys {
		n += len(byKey[k])
		delete(byKey, k)
	}
	return n, nil
}

// Each implements [Enumerator]. It works on a snapshot taken when called, so
// fn may write to the store.
func (m *Memory) Each(ctx context.Context, f *Filter, fn func(Entry) error) error {
	cf, err := f.canon()
	if err != nil {
		return err
	}
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	var all []Entry
	for _, byKey := range m.pairs {
		for _, es := range byKey {
			for _, e := range es {
				if cf.match(e) {
					all = append(all, e.detached())
				}
			}
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(all, compareEntries)
	for _, e := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Stats implements [StatsReporter].
func (m *Memory) Stats(ctx context.Context) (*Stats, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	counts := make(map[StatsRow]int)
	keys := make(map[pair]int)
	for p, byKey := range m.pairs {
		for _, es := range byKey {
			if len(es) > 0 {
				keys[p]++
			}
			for _, e := range es {
				counts[StatsRow{SourceLang: e.SourceLang, TargetLang: e.TargetLang, Origin: e.Origin, State: e.State}]++
			}
		}
	}
	rows := make([]StatsRow, 0, len(counts))
	for r, n := range counts {
		r.Entries = n
		rows = append(rows, r)
	}
	var pairKeys []PairKeys
	for p, n := range keys {
		pairKeys = append(pairKeys, PairKeys{SourceLang: p.src, TargetLang: p.tgt, Keys: n})
	}
	return NewStats(rows, pairKeys), nil
}

// Claim implements [Claimer].
func (m *Memory) Claim(ctx context.Context, owner string, q Query, ttl time.Duration) ([]string, error) {
	if err := checkClaim(owner, ttl); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q, err := q.canon(&m.langs)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	now := m.now()
	q.Keys = uniqueKeys(q.Keys)
	done := m.get(q)
	p := pair{q.SourceLang, q.TargetLang}
	held := m.leases[p]
	if held == nil {
		held = make(map[string]lease)
		m.leases[p] = held
	}
	granted := []string{}
	for _, k := range q.Keys {
		if _, ok := done[k]; ok {
			continue
		}
		if l, ok := held[k]; ok && l.owner != owner && l.expires.After(now) {
			continue
		}
		held[k] = lease{owner: owner, expires: now.Add(ttl)}
		granted = append(granted, k)
	}
	return granted, nil
}

// Renew implements [Claimer].
func (m *Memory) Renew(ctx context.Context, owner string, ttl time.Duration) error {
	if err := checkClaim(owner, ttl); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	expires := m.now().Add(ttl)
	for _, held := range m.leases {
		for k, l := range held {
			if l.owner == owner {
				held[k] = lease{owner: owner, expires: expires}
			}
		}
	}
	return nil
}

// Release implements [Claimer].
func (m *Memory) Release(ctx context.Context, owner string, keys []string) error {
	if err := validOwner(owner); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, held := range m.leases {
		for _, k := range keys {
			if l, ok := held[k]; ok && l.owner == owner {
				delete(held, k)
			}
		}
	}
	return nil
}

// Close implements [Store]. It drops the entries.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	m.closed = true
	m.pairs, m.leases = nil, nil
	return nil
}

var (
	_ Store         = (*Memory)(nil)
	_ Enumerator    = (*Memory)(nil)
	_ VariantLister = (*Memory)(nil)
	_ StatsReporter = (*Memory)(nil)
	_ Deleter       = (*Memory)(nil)
	_ Replacer      = (*Memory)(nil)
	_ Claimer       = (*Memory)(nil)
)
