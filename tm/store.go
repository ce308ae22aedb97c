package tm

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// DefaultPath is the store's path relative to the directory holding the
// configuration file, used when the tm.path setting is absent.
const DefaultPath = ".diglot/tm.db"

// Store is what the pipeline needs from a translation memory. It is small on
// purpose, so that server-backed stores ([Postgres]) sit beside [SQLite] and
// [Memory]; the pipeline type-asserts nothing beyond it except the optional
// interfaces below, each with a fallback.
//
// A key holds at most one reviewed entry and one machine entry per origin
// (its slots, see [Entry.Slot]).
//
// Get looks q.Keys up in one language pair and returns, per key found, the
// entry q selects: the reviewed entry if any, else the machine entry whose
// origin q.Origin accepts (see [Query]). Missing keys are simply absent from
// the map. Any number of keys may be passed in one call; stores answer a
// large batch in a few queries, not one per key.
//
// Put stores entries in one transaction: when it returns nil every entry is
// durable (the pipeline commits each finished batch before using its
// results, so a killed run loses only the batches in flight); when it returns
// an error none is stored. Each entry goes to its slot: a machine entry
// replaces the machine entry of the same origin and never touches the
// reviewed one; a reviewed entry replaces the reviewed one unless that was
// updated later ([Supersedes]). Entries of one call are applied in order.
// Zero Created and Updated times are set to the store's clock; when an entry
// replaces another, the earlier Created and the first non-empty FirstSeen
// are kept, and the old Markup when the new entry has none. Markup comes
// back sorted by tag number, nil when empty. Languages are canonicalised (BCP 47), so "zh-cn" and "zh-CN" are
// one pair.
//
// All methods are safe for concurrent use. After Close every method returns
// [ErrClosed].
type Store interface {
	Get(ctx context.Context, q Query) (map[string]Entry, error)
	Put(ctx context.Context, entries []Entry) error
	Close() error
}

// Enumerator is implemented by stores that can list their entries, for
// export. Each calls fn for every entry that f selects (nil selects all), in
// the order (SourceLang, TargetLang, Key, State, Slot), and stops at the
// first error fn returns, returning it.
type Enumerator interface {
	Each(ctx context.Context, f *Filter, fn func(Entry) error) error
}

// VariantLister is implemented by stores that can list every entry of one
// key — the reviewed one and each origin's machine translation — for the
// review workbench's "other translations". Variants returns them best first
// (the reviewed entry, then machine entries newest first), or none.
type VariantLister interface {
	Variants(ctx context.Context, srcLang, tgtLang, key string) ([]Entry, error)
}

// StatsReporter is implemented by stores that can count their entries, for
// `diglot tm stats`.
type StatsReporter interface {
	Stats(ctx context.Context) (*Stats, error)
}

// Deleter is implemented by stores that can remove entries. Delete removes
// every entry (all slots) of the given keys of one language pair in one
// transaction and returns how many entries it removed.
type Deleter interface {
	Delete(ctx context.Context, srcLang, tgtLang string, keys []string) (int, error)
}

// Replacer is implemented by stores that can write entries without the
// precedence rule, for --force-reviewed: Replace is Put except that every
// entry replaces what its slot holds whatever the times, and a machine entry
// also removes its key's reviewed entry, so that Get returns what was just
// written.
type Replacer interface {
	Replace(ctx context.Context, entries []Entry) error
}

// Filter selects entries for [Enumerator.Each]. A zero field selects all.
type Filter struct {
	SourceLang string // only this source language
	TargetLang string // only this target language
	State      State  // only this state
}

// canon returns f with its languages canonicalised; nil becomes the zero
// Filter.
func (f *Filter) canon() (Filter, error) {
	var c Filter
	if f == nil {
		return c, nil
	}
	c = *f
	var err error
	if c.SourceLang != "" {
		if c.SourceLang, err = canonLang(c.SourceLang); err != nil {
			return c, fmt.Errorf("tm: filter source language: %w", err)
		}
	}
	if c.TargetLang != "" {
		if c.TargetLang, err = canonLang(c.TargetLang); err != nil {
			return c, fmt.Errorf("tm: filter target language: %w", err)
		}
	}
	if c.State != "" && !c.State.Valid() {
		return c, fmt.Errorf("tm: filter state %q is neither machine nor reviewed", c.State)
	}
	return c, nil
}

func (f Filter) match(e Entry) bool {
	return (f.SourceLang == "" || f.SourceLang == e.SourceLang) &&
		(f.TargetLang == "" || f.TargetLang == e.TargetLang) &&
		(f.State == "" || f.State == e.State)
}

// Options configures a store. A nil *Options means the defaults.
type Options struct {
	// Now is the clock that fills zero entry times; nil means time.Now.
	Now func() time.Time
	// BusyTimeout is how long SQLite waits for another writer's lock before
	// failing; zero means 10 seconds. Ignored by Memory.
	BusyTimeout time.Duration
	// Logger receives debug lines (migrations); nil discards them.
	Logger *slog.Logger
}

func (o *Options) now() func() time.Time {
	if o != nil && o.Now != nil {
		return o.Now
	}
	return time.Now
}

func (o *Options) logger() *slog.Logger {
	if o != nil && o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (o *Options) busyTimeout() time.Duration {
	if o != nil && o.BusyTimeout > 0 {
		return o.BusyTimeout
	}
	return 10 * time.Second
}
