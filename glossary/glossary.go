package glossary

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/diglot/diglot/tags"
)

// ErrInvalid is the sentinel that every [*LoadError] matches with errors.Is.
var ErrInvalid = errors.New("glossary: invalid input")

// LoadError is bad glossary input, located by file and line. Line is 0 when
// the problem concerns the file as a whole.
type LoadError struct {
	File string
	Line int
	Msg  string
	Err  error // the underlying error, if any
}

// Error returns "file:line: message".
func (e *LoadError) Error() string {
	if e.Line <= 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Is makes errors.Is(err, ErrInvalid) true for every *LoadError.
func (e *LoadError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the underlying error, if any.
func (e *LoadError) Unwrap() error { return e.Err }

// Pos is where an entry was defined.
type Pos struct {
	File string
	Line int
}

// String returns "file:line".
func (p Pos) String() string {
	if p.Line <= 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Conflict records a later glossary overriding an earlier one: New (from
// NewPos) replaced Old (from OldPos) for the spelling Term. Conflicts are
// reported, not errors: overriding a shared glossary with a project one is
// the point of loading several.
type Conflict struct {
	Term           string // the source spelling both entries define
	Old, New       Entry
	OldPos, NewPos Pos
}

// String describes the override for a warning line.
func (c Conflict) String() string {
	return fmt.Sprintf("%s: term %q overrides %s (%q -> %q)", c.NewPos, c.Term, c.OldPos, c.Old.Target, c.New.Target)
}

// Glossary is a set of entries with a matcher built over every spelling.
// A Glossary is immutable and safe for concurrent use.
type Glossary struct {
	entries []Entry
	pos     []Pos
	ac      *automaton
	cands   sync.Pool // *[]candidate buffers reused across Match calls
}

// New builds a glossary from entries, checked as a loaded file would be
// (with "entries" as the file name and the index + 1 as the line). Entries
// are copied and normalised: a keep entry without a target gets its source.
func New(entries []Entry) (*Glossary, error) {
	rows := make([]row, len(entries))
	for i, e := range entries {
		e.Aliases = slices.Clone(e.Aliases)
		e.Forbidden = slices.Clone(e.Forbidden)
		rows[i] = row{e: e, line: i + 1}
	}
	return fromRows("entries", rows)
}

// Len returns the number of entries.
func (g *Glossary) Len() int {
	if g == nil {
		return 0
	}
	return len(g.entries)
}

// Terms returns the entries in the order they were defined.
func (g *Glossary) Terms() []Entry {
	if g == nil {
		return nil
	}
	return slices.Clone(g.entries)
}

// Entry returns the entry with index i (see [Match.Index]). It belongs to
// the Glossary: do not modify it.
func (g *Glossary) Entry(i int) *Entry { return &g.entries[i] }

// Position returns where the entry with index i was defined.
func (g *Glossary) Position(i int) Pos { return g.pos[i] }

// Match is one occurrence of a glossary term in a text.
type Match struct {
	Entry      *Entry // the entry, owned by the Glossary: do not modify
	Index      int    // the entry's index in the Glossary
	Start, End int    // byte offsets of the occurrence in the text
	Text       string // the occurrence as written in the text
	Alias      string // the alias that matched, or "" for the entry's Source
}

// Match finds the glossary terms in text, a segment in the neutral tag form:
// leftmost-longest over every source term and alias, so a shorter term never
// matches inside a longer one (美国总统 wins over 美国). Terms never match
// inside or across a tag, nor inside a bare URL left in the text. Terms that
// begin or end with a letter or digit of a spaced script (Latin, Cyrillic…)
// match only on word boundaries there, case-insensitively unless the entry
// says otherwise; CJK terms match anywhere. Matches are in text order and do
// not overlap.
func (g *Glossary) Match(text string) []Match {
	if g == nil || g.ac == nil || len(g.ac.patterns) == 0 {
		return nil
	}
	cp, _ := g.cands.Get().(*[]candidate)
	if cp == nil {
		cp = new([]candidate)
	}
	defer g.cands.Put(cp)
	cands := (*cp)[:0]
	start := 0
	for i := 0; i < len(text); {
		// Jump to the next place a tag or a URL may start; the rest is
		// scanned by the automaton in one go.
		j := strings.IndexAny(text[i:], "<hHwW")
		if j < 0 {
			break
		}
		i += j
		n := 0
		if text[i] == '<' {
			_, _, n = tags.Match(text[i:])
		} else if i == 0 || !isASCIIWord(text[i-1]) {
			n = urlLen(text[i:])
		}
		if n == 0 {
			i++
			continue
		}
		cands = g.ac.scan(text, start, i, cands)
		i += n
		start = i
	}
	cands = g.ac.scan(text, start, len(text), cands)
	*cp = cands
	if len(cands) == 0 {
		return nil
	}
	// Candidates arrive ordered by end offset; order them by start, longest
	// first, and take the leftmost-longest ones greedily.
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return int(a.pat - b.pat)
	})
	n, end := 0, 0
	for i, c := range cands {
		if c.start >= end {
			cands[n] = cands[i]
			n++
			end = c.end
		}
	}
	ms := make([]Match, n)
	for i, c := range cands[:n] {
		p := &g.ac.patterns[c.pat]
		ms[i] = Match{Entry: &g.entries[p.entry], Index: int(p.entry), Start: c.start, End: c.end, Text: text[c.start:c.end]}
		if p.alias {
			ms[i].Alias = p.spelling
		}
	}
	return ms
}

func isASCIIWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// urlLen returns the length of a bare URL (http://, https://, www.) at the
// start of s, or 0. The URL ends at white space, a tag, quotes, angle
// brackets or a CJK rune (CJK punctuation usually follows a URL directly).
func urlLen(s string) int {
	var n int
	switch {
	case hasPrefixFold(s, "https://"):
		n = 8
	case hasPrefixFold(s, "http://"):
		n = 7
	case hasPrefixFold(s, "www."):
		n = 4
	default:
		return 0
	}
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if r <= ' ' || r == '<' || r == '>' || r == '"' || r == '\'' || r == '`' || isCJK(r) || r == 0x2028 || r == 0x2029 || r == 0xA0 {
			break
		}
		n += size
	}
	return n
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Merge combines glossaries, later ones overriding earlier ones: an entry
// whose source or alias is already defined replaces the entry that owns
// that source (or takes the alias away from it). Each override that changes
// something is reported as a Conflict.
func Merge(gs ...*Glossary) (*Glossary, []Conflict) {
	var (
		entries   []Entry
		pos       []Pos
		dead      []bool
		owner     = map[string]int{} // folded spelling -> entry index
		conflicts []Conflict
	)
	for _, g := range gs {
		if g == nil {
			continue
		}
		for i, e := range g.entries {
			e.Aliases = slices.Clone(e.Aliases)
			e.Forbidden = slices.Clone(e.Forbidden)
			idx := len(entries)
			for _, sp := range spellings(&e) {
				k := fold(sp)
				o, ok := owner[k]
				if !ok || dead[o] {
					continue
				}
				old := &entries[o]
				if !sameEntry(old, &e) {
					conflicts = append(conflicts, Conflict{Term: sp, Old: *old, New: e, OldPos: pos[o], NewPos: g.pos[i]})
				}
				if fold(old.Source) == k {
					dead[o] = true
					for _, osp := range spellings(old) {
						if owner[fold(osp)] == o {
							delete(owner, fold(osp))
						}
					}
					continue
				}
				old.Aliases = slices.DeleteFunc(old.Aliases, func(a string) bool { return fold(a) == k })
				if len(old.Aliases) == 0 {
					old.Aliases = nil
				}
				delete(owner, k)
			}
			entries = append(entries, e)
			pos = append(pos, g.pos[i])
			dead = append(dead, false)
			for _, sp := range spellings(&e) {
				owner[fold(sp)] = idx
			}
		}
	}
	out := &Glossary{}
	for i := range entries {
		if !dead[i] {
			out.entries = append(out.entries, entries[i])
			out.pos = append(out.pos, pos[i])
		}
	}
	out.build()
	return out, conflicts
}

// spellings returns the source and the aliases of e.
func spellings(e *Entry) []string {
	return append([]string{e.Source}, e.Aliases...)
}

func sameEntry(a, b *Entry) bool {
	return a.Source == b.Source && a.Target == b.Target && a.Note == b.Note && modeOf(a) == modeOf(b) &&
		a.CaseSensitive == b.CaseSensitive && slices.Equal(a.Aliases, b.Aliases) && slices.Equal(a.Forbidden, b.Forbidden)
}

// modeOf returns e's mode with the default applied.
func modeOf(e *Entry) Mode {
	if e.Mode == "" {
		return Translate
	}
	return e.Mode
}

// build compiles the automaton over every spelling.
func (g *Glossary) build() {
	var pats []pattern
	for i := range g.entries {
		e := &g.entries[i]
		for j, sp := range spellings(e) {
			first, _ := utf8.DecodeRuneInString(sp)
			last, _ := utf8.DecodeLastRuneInString(sp)
			pats = append(pats, pattern{
				folded:     fold(sp),
				spelling:   sp,
				entry:      int32(i),
				alias:      j > 0,
				sensitive:  e.CaseSensitive,
				checkLeft:  isWordRune(first),
				checkRight: isWordRune(last),
			})
		}
	}
	g.ac = buildAutomaton(pats)
}
