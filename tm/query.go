package tm

import (
	"cmp"
	"fmt"
)

// AnyOrigin as [Query.Origin] accepts a machine entry from any origin (the
// newest one), for runs with --reuse any.
const AnyOrigin = "*"

// Query selects, for each of Keys in one language pair, the entry a run may
// reuse: the key's reviewed entry if it has one, else a machine entry that
// Origin accepts.
//
// Origin is the "engine:model" of the run ("openai:gpt-4o-mini"): machine
// entries are taken only from that origin, because another engine's or
// model's output is not what the user asked for. [AnyOrigin] takes the
// newest machine entry of any origin; "" takes none (reviewed entries only,
// as the offline engines do).
type Query struct {
	SourceLang, TargetLang string
	Keys                   []string
	Origin                 string
}

// accepts reports whether q may return e (an entry of one of its keys).
func (q *Query) accepts(e Entry) bool {
	switch {
	case e.State == Reviewed:
		return true
	case q.Origin == AnyOrigin:
		return true
	default:
		return q.Origin != "" && e.Origin == q.Origin
	}
}

// preferred reports whether a, an entry q accepts, wins over b, another
// accepted entry of the same key: reviewed over machine, then the newer,
// then (so the choice never depends on storage order) the smaller origin.
func preferred(a, b Entry) bool {
	if (a.State == Reviewed) != (b.State == Reviewed) {
		return a.State == Reviewed
	}
	if c := a.Updated.Compare(b.Updated); c != 0 {
		return c > 0
	}
	return a.Origin < b.Origin
}

// pick adds e to found when q accepts it and it beats the entry found holds
// for its key. Stores scan the candidate rows of a lookup through it.
func (q *Query) pick(found map[string]Entry, e Entry) {
	if !q.accepts(e) {
		return
	}
	if old, ok := found[e.Key]; ok && !preferred(e, old) {
		return
	}
	found[e.Key] = e
}

// canon returns q with its languages canonicalised.
func (q Query) canon(langs *langCache) (Query, error) {
	var err error
	if q.SourceLang, q.TargetLang, err = langs.pair(q.SourceLang, q.TargetLang); err != nil {
		return q, err
	}
	return q, nil
}

// compareVariants orders the entries of one key as [VariantLister] lists
// them: the reviewed entry first, then machine entries newest first.
func compareVariants(a, b Entry) int {
	if preferred(a, b) {
		return -1
	}
	if preferred(b, a) {
		return 1
	}
	return 0
}

// compareEntries orders entries as [Enumerator.Each] walks them: by pair and
// key, then state ("machine" before "reviewed") and slot, in byte order, as
// the SQL stores' primary keys sort.
func compareEntries(a, b Entry) int {
	return cmp.Or(
		cmp.Compare(a.SourceLang, b.SourceLang),
		cmp.Compare(a.TargetLang, b.TargetLang),
		cmp.Compare(a.Key, b.Key),
		cmp.Compare(a.State, b.State),
		cmp.Compare(a.Slot(), b.Slot()),
	)
}

// validOwner checks a lease owner's name.
func validOwner(owner string) error {
	if owner == "" {
		return fmt.Errorf("%w: empty owner", ErrInvalidClaim)
	}
	return nil
}
