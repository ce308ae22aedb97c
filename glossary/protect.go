package glossary

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/tags"
)

// ProtectMode says which matched terms [Protect] replaces with tags.
type ProtectMode int

// The protect modes.
const (
	// ProtectAll protects every matched term: for engines that neither take
	// glossary hints nor have a native glossary. The engine sees a tag and
	// the target term is put back by [Unprotect].
	ProtectAll ProtectMode = iota
	// ProtectKeep protects only mode=keep terms: for engines that follow
	// hints or a native glossary, which still must not translate a name
	// that stays as it is.
	ProtectKeep
)

// maxTagID is the largest number the neutral form allows (six digits).
const maxTagID = 999999

// Protect replaces each matched term (all of them, or only the keep terms,
// as mode says) with a new standalone tag <xK/>, K numbered after the
// highest tag number already in text. It returns the protected text and,
// for each new tag, what it becomes in the translation: the entry's Target,
// or the term as written in the source for keep terms. matches must come
// from Match on the same text.
func Protect(text string, matches []Match, mode ProtectMode) (protected string, restore map[string]string) {
	var pick []Match
	for _, m := range matches {
		if mode == ProtectAll || modeOf(m.Entry) == Keep {
			pick = append(pick, m)
		}
	}
	if len(pick) == 0 {
		return text, nil
	}
	used := map[int]bool{}
	highest := 0
	for _, t := range tags.Parse(text) {
		if t.Kind != tags.Text {
			used[t.ID] = true
			highest = max(highest, t.ID)
		}
	}
	next := highest
	newID := func() int {
		// After the highest; should that overflow six digits, reuse the
		// lowest free numbers instead.
		if next < maxTagID {
			next++
			return next
		}
		for id := 1; ; id++ {
			if !used[id] {
				return id
			}
		}
	}
	restore = make(map[string]string, len(pick))
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, m := range pick {
		id := newID()
		used[id] = true
		tag := tags.X(id)
		b.WriteString(text[last:m.Start])
		b.WriteString(tag)
		last = m.End
		if modeOf(m.Entry) == Keep {
			restore[tag] = text[m.Start:m.End]
		} else {
			restore[tag] = m.Entry.Target
		}
	}
	b.WriteString(text[last:])
	return b.String(), restore
}

// Unprotect replaces the tags that Protect added with what restore says.
// Other tags stay as they are; a tag the engine lost is left for the
// pipeline's tag check to report. Where a restored term would run into a
// neighbouring word of a spaced script ("US PresidentBiden" from two
// adjacent tags, the way CJK source text sits), a space is put between
// them, except before a plural ending ("<x1/>s"); CJK neighbours are
// joined as they are.
func Unprotect(translated string, restore map[string]string) string {
	if len(restore) == 0 || !strings.Contains(translated, "<x") {
		return translated
	}
	var b strings.Builder
	b.Grow(len(translated))
	prevRestored := false
	for _, t := range tags.Parse(translated) {
		v, ok := restore[t.Text]
		ok = ok && t.Kind == tags.Standalone
		piece := t.Text
		if ok {
			piece = v
		}
		if (ok || prevRestored && t.Kind == tags.Text) && b.Len() > 0 && piece != "" {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(piece)
			if isWordRune(last) && isWordRune(first) && !(prevRestored && pluralSuffix(piece)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(piece)
		prevRestored = ok
	}
	return b.String()
}

// pluralSuffix reports whether s starts with a plural ending (s, es) that
// an engine attached to a protected term: "<x1/>s" means "Presidents".
func pluralSuffix(s string) bool {
	for _, suf := range []string{"s", "es"} {
		if strings.HasPrefix(s, suf) && boundaryAt(s, len(suf)) {
			return true
		}
	}
	return false
}

// Entries returns the distinct entries of matches in order of first
// occurrence: what goes into providers.Request.Glossary.
func Entries(matches []Match) []Entry {
	var (
		out  []Entry
		seen = map[*Entry]bool{}
	)
	for _, m := range matches {
		if seen[m.Entry] {
			continue
		}
		seen[m.Entry] = true
		e := *m.Entry
		e.Aliases = slices.Clone(e.Aliases)
		e.Forbidden = slices.Clone(e.Forbidden)
		out = append(out, e)
	}
	return out
}

// KeyHash returns a short stable hash of the matched entries' source,
// target, mode and forbidden variants, independent of order and of how
// often a term occurs, or "" when nothing matched. Put it into a segment's
// translation-memory key: changing a term then re-translates only the
// segments that contain it.
func KeyHash(matches []Match) string {
	if len(matches) == 0 {
		return ""
	}
	var keys []string
	for _, e := range Entries(matches) {
		f := slices.Clone(e.Forbidden)
		slices.Sort(f)
		var b strings.Builder
		for _, s := range append([]string{e.Source, e.Target, string(modeOf(&e))}, f...) {
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteByte(':')
			b.WriteString(s)
		}
		keys = append(keys, b.String())
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
