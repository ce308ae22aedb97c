package tm

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// State says how far an entry's translation has been checked by a person.
type State string

// The states of an entry. A reviewed entry always beats a machine one.
const (
	Machine  State = "machine"  // written by an engine, not yet checked
	Reviewed State = "reviewed" // written or approved by a person
)

// Valid reports whether s is one of the known states.
func (s State) Valid() bool { return s == Machine || s == Reviewed }

// OriginHuman is the Origin of an entry a reviewer wrote or approved in a
// bilingual file.
const OriginHuman = "human"

// ImportOrigin returns the Origin recorded for entries imported from the file
// named name, "import:<name>" (just "import" when name is empty).
func ImportOrigin(name string) string {
	if name == "" {
		return "import"
	}
	return "import:" + name
}

// Entry is one unit of a translation memory: the translation of one source
// segment into one target language.
//
// The store identifies an entry by (SourceLang, TargetLang, Key). The store
// never computes keys: the pipeline does (a hash of the normalised source plus
// a hash of the glossary entries that matched it), so the store stays usable
// by tools with other keying rules.
type Entry struct {
	SourceLang string    `json:"source_lang"`          // BCP 47, canonicalised by the store
	TargetLang string    `json:"target_lang"`          // BCP 47, canonicalised by the store
	Key        string    `json:"key"`                  // segment key computed by the caller
	Source     string    `json:"source"`               // source text in the neutral tag form
	Target     string    `json:"target"`               // target text in the neutral tag form
	Origin     string    `json:"origin"`               // "openai:gpt-4o-mini", "human", "import:<file>"
	State      State     `json:"state"`                // Machine or Reviewed
	Created    time.Time `json:"created"`              // when the key was first stored
	Updated    time.Time `json:"updated"`              // when this translation was written
	FirstSeen  string    `json:"first_seen,omitempty"` // path of the document the segment was first seen in
	// Markup is the original markup of the tags of Source (and Target,
	// which carries the same tags), by tag number; nil when unknown
	// (entries stored before diglot recorded it, or imported without it).
	// It is what a TMX export shows as each tag's native code. Entries of
	// one key share their source text, so any of them serves.
	Markup []TagMarkup `json:"markup,omitempty"`
}

// ErrInvalidEntry is matched (errors.Is) by every error about an entry that
// cannot be stored: an empty key or language, an unknown state.
var ErrInvalidEntry = errors.New("tm: invalid entry")

// ErrClosed is returned by every method of a store after Close.
var ErrClosed = errors.New("tm: store closed")

// Supersedes reports whether e wins over old for one key. It is the
// precedence rule every [Store] enforces, in Put (within a slot, see
// [Entry.Slot]) and in Get (across slots):
//
//   - a reviewed entry beats a machine one, so a machine Put never
//     overwrites a reviewed entry and Get returns the reviewed one;
//   - a reviewed entry beats a reviewed one updated earlier or at the same
//     time (the later write wins a tie), but never one updated later;
//   - a machine entry replaces a machine entry of its slot (the same
//     origin: how --force re-translates).
//
// Both entries must have their times set (Put fills zero times first).
func Supersedes(e, old Entry) bool {
	switch {
	case old.State != Reviewed:
		return true
	case e.State != Reviewed:
		return false
	default:
		return !e.Updated.Before(old.Updated)
	}
}

// Slot returns the place e takes among the entries of its key: "" for the
// one reviewed entry a key may have, and the origin for a machine entry, so
// each engine and model keeps its own machine translation of a key. Put
// replaces the entry of the same slot only (the same state and slot).
func (e Entry) Slot() string {
	if e.State == Reviewed {
		return ""
	}
	return e.Origin
}

// sameSlot reports whether a and b, entries of one key, share a slot.
func sameSlot(a, b Entry) bool { return a.State == b.State && a.Slot() == b.Slot() }

// merge returns e as it is stored over old: e's translation, with the
// earliest creation time and the first place the segment was seen kept,
// and old's markup when e brings none.
func merge(e, old Entry) Entry {
	if old.Created.Before(e.Created) {
		e.Created = old.Created
	}
	if old.FirstSeen != "" {
		e.FirstSeen = old.FirstSeen
	}
	if e.Markup == nil {
		e.Markup = old.Markup
	}
	return e
}

// prepare validates e, canonicalises its languages and fills zero times with
// now, the way every store does before applying precedence.
func prepare(e Entry, now func() time.Time, langs *langCache) (Entry, error) {
	var err error
	if e.SourceLang, err = langs.canon(e.SourceLang); err != nil {
		return e, fmt.Errorf("%w: key %q: source language: %w", ErrInvalidEntry, e.Key, err)
	}
	if e.TargetLang, err = langs.canon(e.TargetLang); err != nil {
		return e, fmt.Errorf("%w: key %q: target language: %w", ErrInvalidEntry, e.Key, err)
	}
	if e.Key == "" {
		return e, fmt.Errorf("%w: empty key", ErrInvalidEntry)
	}
	// Keys, origins and paths are names: a server-backed store keeps them
	// as text, which holds neither NUL nor invalid UTF-8. Texts may hold
	// anything.
	for _, f := range [...]struct{ name, v string }{{"key", e.Key}, {"origin", e.Origin}, {"first-seen path", e.FirstSeen}} {
		if !utf8.ValidString(f.v) || strings.IndexByte(f.v, 0) >= 0 {
			return e, fmt.Errorf("%w: %s %q is not valid UTF-8 without NUL", ErrInvalidEntry, f.name, f.v)
		}
	}
	if !e.State.Valid() {
		return e, fmt.Errorf("%w: key %q: state %q is neither machine nor reviewed", ErrInvalidEntry, e.Key, e.State)
	}
	if e.Markup, err = checkMarkup(e.Markup); err != nil {
		return e, fmt.Errorf("%w: key %q: %w", ErrInvalidEntry, e.Key, err)
	}
	if e.Created.IsZero() || e.Updated.IsZero() {
		t := now()
		if e.Updated.IsZero() {
			e.Updated = t
		}
		if e.Created.IsZero() {
			e.Created = e.Updated
		}
	}
	// Every store keeps UTC with nanosecond precision and no monotonic
	// reading, so entries compare equal whichever store they come from.
	e.Created = e.Created.UTC().Round(0)
	e.Updated = e.Updated.UTC().Round(0)
	return e, nil
}

// canonLang returns the canonical form of a BCP 47 tag ("zh-cn" -> "zh-CN"),
// so a lookup never misses because two callers spelled a language
// differently.
func canonLang(s string) (string, error) {
	if s == "" {
		return "", errors.New("empty language")
	}
	t, err := language.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q: %w", s, err)
	}
	return t.String(), nil
}

// langCache memoises canonLang for a store, which canonicalises the
// languages of every Get and of every entry Put.
type langCache struct {
	m sync.Map // spelling -> canonical tag
	n atomic.Int32
}

func (c *langCache) canon(s string) (string, error) {
	if v, ok := c.m.Load(s); ok {
		return v.(string), nil
	}
	v, err := canonLang(s)
	// A run uses a handful of spellings; the bound only guards against a
	// file full of odd ones.
	if err == nil && c.n.Add(1) <= 256 {
		c.m.Store(s, v)
	}
	return v, err
}

// pair canonicalises a language pair for lookups.
func (c *langCache) pair(src, tgt string) (string, string, error) {
	s, err := c.canon(src)
	if err != nil {
		return "", "", fmt.Errorf("tm: source language: %w", err)
	}
	t, err := c.canon(tgt)
	if err != nil {
		return "", "", fmt.Errorf("tm: target language: %w", err)
	}
	return s, t, nil
}
