package tm

import (
	"cmp"
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
	pairs  map[pair]map[string]Entry
	closed bool
}

type pair struct{ src, tgt string }

// NewMemory returns an empty in-memory store.
func NewMemory(opts *Options) *Memory {
	return &Memory{now: opts.now(), pairs: make(map[pair]map[string]Entry)}
}

// Get implements [Store].
func (m *Memory) Get(ctx context.Context, srcLang, tgtLang string, keys []string) (map[string]Entry, error) {
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
	found := make(map[string]Entry)
	byKey := m.pairs[pair{src, tgt}]
	for _, k := range keys {
		if e, ok := byKey[k]; ok {
			found[k] = e
		}
	}
	return found, nil
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
	// none, as the SQLite transaction does.
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
			byKey = make(map[string]Entry)
			m.pairs[p] = byKey
		}
		old, ok := byKey[e.Key]
		switch {
		case !ok:
			byKey[e.Key] = e
		case force || Supersedes(e, old):
			byKey[e.Key] = merge(e, old)
		}
	}
	return nil
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
		if _, ok := byKey[k]; ok {
			delete(byKey, k)
			n++
		}
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
		for _, e := range byKey {
			if cf.match(e) {
				all = append(all, e)
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

// compareEntries orders entries as SQLite's primary key does (byte order).
func compareEntries(a, b Entry) int {
	return cmp.Or(
		cmp.Compare(a.SourceLang, b.SourceLang),
		cmp.Compare(a.TargetLang, b.TargetLang),
		cmp.Compare(a.Key, b.Key),
	)
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
	for _, byKey := range m.pairs {
		for _, e := range byKey {
			counts[StatsRow{SourceLang: e.SourceLang, TargetLang: e.TargetLang, Origin: e.Origin, State: e.State}]++
		}
	}
	rows := make([]StatsRow, 0, len(counts))
	for r, n := range counts {
		r.Entries = n
		rows = append(rows, r)
	}
	return NewStats(rows), nil
}

// Close implements [Store]. It drops the entries.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	m.closed = true
	m.pairs = nil
	return nil
}

var (
	_ Store         = (*Memory)(nil)
	_ Enumerator    = (*Memory)(nil)
	_ StatsReporter = (*Memory)(nil)
	_ Deleter       = (*Memory)(nil)
	_ Replacer      = (*Memory)(nil)
)
