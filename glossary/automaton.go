package glossary

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds a compact Aho–Corasick automaton over the bytes of folded
// text. We write it ourselves rather than import one: the few pure-Go
// libraries either match bytes without folding, report only
// non-overlapping leftmost-first matches, or are unmaintained, and we need
// every candidate (to apply case and word-boundary rules before choosing the
// leftmost-longest) over byte offsets of the unfolded text.
//
// Folding is length-preserving (see fold), so a byte offset in the folded
// stream is the same offset in the original text and no offset table is
// needed. Branching states get a dense row with the failure transitions
// precomputed: 256 entries, or 64 for states inside a UTF-8 character,
// which valid text only follows with continuation bytes. The many
// single-edge states keep their edge inline with the bytes that could stop
// their failure chain, so a byte that continues no term jumps straight to a
// dense row. This keeps matching time close to flat in the number of terms
// (BenchmarkMatch: 10,000 terms against 10).

// denseMin is the edge count from which a state gets a dense row.
const denseMin = 2

// pattern is one spelling (a source term or an alias) of one entry.
type pattern struct {
	folded     string // what the automaton matches
	spelling   string // as written in the glossary
	entry      int32  // index into Glossary.entries
	alias      bool   // spelling is an alias, not the entry's Source
	sensitive  bool   // the text must equal spelling byte for byte
	checkLeft  bool   // the term starts with a word rune: needs a boundary
	checkRight bool   // the term ends with a word rune: needs a boundary
}

type acState struct {
	lo, hi   int32 // sparse edges: edgeByte[lo:hi], edgeNext[lo:hi]
	fail     int32
	dense    int32 // row index into dense; -2-row into dense64; -1 for none
	outLo    int32 // patterns ending exactly here: outs[outLo:outHi]
	outHi    int32
	dictLink int32 // nearest state on the failure chain with outputs, or -1
}

// hotState is what the matching loop needs of a sparse state. Most sparse
// states have a single edge, kept inline. chain lists the edge bytes of the
// state and of the sparse states on its failure chain up to the first dense
// one, failDense: a byte not in chain goes straight to failDense's row,
// skipping the walk down the chain (the common case: a CJK character that
// continues no term).
type hotState struct {
	fail      int32
	next0     int32 // the child on byte0 when the state has exactly one edge
	failDense int32
	byte0     byte
	one       bool    // exactly one edge
	nchain    uint8   // bytes in chain, or chainOverflow
	chain     [5]byte // see above
}

const chainOverflow = 255

type automaton struct {
	// denseOf and emits are the hot per-state data, kept apart from states
	// so that the matching loop touches small arrays: the dense row of each
	// state (or -1), and whether some pattern ends in it.
	denseOf  []int32
	emits    []bool
	hot      []hotState
	states   []acState
	edgeByte []byte
	edgeNext []int32
	dense    []int32 // 256 per dense state
	dense64  []int32 // 64 per dense state inside a character, for bytes 0x80..0xBF
	outs     []int32 // pattern indexes
	patterns []pattern
}

// buildAutomaton builds the automaton for pats. Patterns with an empty
// folded form are ignored.
func buildAutomaton(pats []pattern) *automaton {
	a := &automaton{patterns: pats}
	// Insert in sorted order so that each state's children are created in
	// increasing byte order and need no sorting.
	order := make([]int, 0, len(pats))
	for i, p := range pats {
		if p.folded != "" {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return pats[order[i]].folded < pats[order[j]].folded })

	type buildState struct {
		edges []byte
		next  []int32
		outs  []int32
	}
	bs := []buildState{{}}
	child := func(s int32, c byte) int32 {
		e := bs[s].edges
		i := sort.Search(len(e), func(i int) bool { return e[i] >= c })
		if i < len(e) && e[i] == c {
			return bs[s].next[i]
		}
		return -1
	}
	for _, pi := range order {
		s := int32(0)
		f := pats[pi].folded
		for i := 0; i < len(f); i++ {
			n := child(s, f[i])
			if n < 0 {
				n = int32(len(bs))
				bs = append(bs, buildState{})
				// Sorted insertion keeps edges ascending.
				bs[s].edges = append(bs[s].edges, f[i])
				bs[s].next = append(bs[s].next, n)
			}
			s = n
		}
		bs[s].outs = append(bs[s].outs, int32(pi))
	}

	a.states = make([]acState, len(bs))
	for i := range bs {
		st := &a.states[i]
		st.lo = int32(len(a.edgeByte))
		a.edgeByte = append(a.edgeByte, bs[i].edges...)
		a.edgeNext = append(a.edgeNext, bs[i].next...)
		st.hi = int32(len(a.edgeByte))
		st.outLo = int32(len(a.outs))
		a.outs = append(a.outs, bs[i].outs...)
		st.outHi = int32(len(a.outs))
		st.dense = -1
		st.dictLink = -1
	}

	// Breadth-first: failure links, dictionary links, dense rows. A state's
	// failure target is shallower, so its transitions are complete when the
	// state needs them.
	// pending[s] is how many UTF-8 continuation bytes the state's path still
	// expects: states inside a character only ever see continuation bytes
	// in valid text, so their dense rows need 64 entries, not 256.
	pending := make([]uint8, len(a.states))
	queue := []int32{0}
	var bfs []int32
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		bfs = append(bfs, s)
		st := &a.states[s]
		for i := st.lo; i < st.hi; i++ {
			c, n := a.edgeByte[i], a.edgeNext[i]
			switch {
			case pending[s] > 0:
				pending[n] = pending[s] - 1
			case c >= 0xF0:
				pending[n] = 3
			case c >= 0xE0:
				pending[n] = 2
			case c >= 0xC0:
				pending[n] = 1
			}
			if s == 0 {
				a.states[n].fail = 0
			} else {
				a.states[n].fail = a.nextSparse(a.states[s].fail, c)
			}
			f := a.states[n].fail
			if a.states[f].outHi > a.states[f].outLo {
				a.states[n].dictLink = f
			} else {
				a.states[n].dictLink = a.states[f].dictLink
			}
			queue = append(queue, n)
		}
		if s != 0 && st.hi-st.lo >= denseMin && pending[s] > 0 {
			row := int32(len(a.dense64) / 64)
			a.dense64 = append(a.dense64, make([]int32, 64)...)
			for c := 0; c < 64; c++ {
				a.dense64[int(row)*64+c] = a.nextSparse(s, byte(0x80+c))
			}
			a.states[s].dense = -2 - row
		} else if s == 0 || st.hi-st.lo >= denseMin {
			row := int32(len(a.dense) / 256)
			a.dense = append(a.dense, make([]int32, 256)...)
			for c := 0; c < 256; c++ {
				var n int32
				if s == 0 {
					n = a.sparse(0, byte(c))
					if n < 0 {
						n = 0
					}
				} else {
					n = a.nextSparse(s, byte(c))
				}
				a.dense[int(row)*256+c] = n
			}
			a.states[s].dense = row
		}
	}
	a.denseOf = make([]int32, len(a.states))
	a.emits = make([]bool, len(a.states))
	a.hot = make([]hotState, len(a.states))
	for _, i := range bfs {
		st := &a.states[i]
		h := &a.hot[i]
		*h = hotState{fail: st.fail, next0: -1}
		if st.hi-st.lo == 1 {
			h.one, h.byte0, h.next0 = true, a.edgeByte[st.lo], a.edgeNext[st.lo]
		}
		if st.dense != -1 {
			continue
		}
		// The failure target is shallower, so its chain is done.
		f := st.fail
		chain := a.edgeByte[st.lo:st.hi]
		if a.states[f].dense != -1 {
			h.failDense = f
		} else {
			fh := &a.hot[f]
			h.failDense = fh.failDense
			if fh.nchain == chainOverflow {
				h.nchain = chainOverflow
				continue
			}
			chain = append(append([]byte(nil), chain...), fh.chain[:fh.nchain]...)
		}
		if len(chain) > len(h.chain) {
			h.nchain = chainOverflow
			continue
		}
		h.nchain = uint8(copy(h.chain[:], chain))
	}
	for i := range a.states {
		a.denseOf[i] = a.states[i].dense
		a.emits[i] = a.states[i].outHi > a.states[i].outLo || a.states[i].dictLink >= 0
	}
	return a
}

// sparse returns the child of s on c, or -1.
func (a *automaton) sparse(s int32, c byte) int32 {
	st := &a.states[s]
	for i := st.lo; i < st.hi; i++ {
		b := a.edgeByte[i]
		if b == c {
			return a.edgeNext[i]
		}
		if b > c {
			break
		}
	}
	return -1
}

// next is the automaton's transition function. The dense case is kept
// small enough to inline.
func (a *automaton) next(s int32, c byte) int32 {
	if d := a.denseOf[s]; d >= 0 {
		return a.dense[int(d)<<8|int(c)]
	} else if d < -1 && c&0xC0 == 0x80 {
		return a.dense64[int(-2-d)<<6|int(c&0x3F)]
	}
	return a.nextHot(s, c)
}

// nextHot follows failure links through sparse states using the hot data.
func (a *automaton) nextHot(s int32, c byte) int32 {
	for {
		if d := a.denseOf[s]; d >= 0 {
			return a.dense[int(d)<<8|int(c)]
		} else if d < -1 {
			// Inside a character with a byte that is not a continuation:
			// invalid UTF-8, take the general path.
			return a.nextSparse(s, c)
		}
		h := &a.hot[s]
		if h.nchain != chainOverflow && bytes.IndexByte(h.chain[:h.nchain], c) < 0 {
			s = h.failDense
			continue
		}
		if h.one {
			if h.byte0 == c {
				return h.next0
			}
		} else if n := a.sparse(s, c); n >= 0 {
			return n
		}
		s = h.fail
	}
}

// nextSparse is the general transition function; the build uses it while
// the hot data do not exist yet.
func (a *automaton) nextSparse(s int32, c byte) int32 {
	for {
		st := &a.states[s]
		if st.dense >= 0 {
			return a.dense[int(st.dense)<<8|int(c)]
		}
		if st.dense < -1 && c&0xC0 == 0x80 {
			return a.dense64[int(-2-st.dense)<<6|int(c&0x3F)]
		}
		if n := a.sparse(s, c); n >= 0 {
			return n
		}
		s = st.fail
	}
}

// output reports whether some pattern ends in state s.
func (a *automaton) output(s int32) bool { return a.emits[s] }

// candidate is a spelling found in the text before the leftmost-longest
// choice.
type candidate struct {
	start, end int
	pat        int32
}

// scan runs the automaton over text[from:to] and appends every valid
// candidate (case and word-boundary rules applied) to cands. text is the
// whole segment, so that boundaries look at the real neighbours.
func (a *automaton) scan(text string, from, to int, cands []candidate) []candidate {
	s := int32(0)
	var buf [utf8.UTFMax]byte
	for i := from; i < to; {
		c := text[i]
		switch {
		case c < utf8.RuneSelf:
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s = a.next(s, c)
			i++
			if a.output(s) {
				cands = a.emit(text, s, i, cands)
			}
		case c >= 0xE3 && c <= 0xEE && i+2 < to && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
			// U+3000..U+EFFF: CJK and other uncased scripts, the bulk of
			// our text; pass the three bytes through without decoding.
			s = a.next(s, c)
			s = a.next(s, text[i+1])
			s = a.next(s, text[i+2])
			i += 3
			if a.output(s) {
				cands = a.emit(text, s, i, cands)
			}
		default:
			r, n := utf8.DecodeRuneInString(text[i:to])
			fr := foldRune(r, n)
			if fr == r {
				for k := 0; k < n; k++ {
					s = a.next(s, text[i+k])
				}
			} else {
				utf8.EncodeRune(buf[:], fr)
				for k := 0; k < n; k++ {
					s = a.next(s, buf[k])
				}
			}
			i += n
			cands = a.emit(text, s, i, cands)
		}
	}
	return cands
}

// emit appends the valid patterns that end at end in state s.
func (a *automaton) emit(text string, s int32, end int, cands []candidate) []candidate {
	st := &a.states[s]
	if st.outHi == st.outLo {
		if st.dictLink < 0 {
			return cands
		}
		st = &a.states[st.dictLink]
	}
	for {
		for _, pi := range a.outs[st.outLo:st.outHi] {
			p := &a.patterns[pi]
			start := end - len(p.folded)
			if p.sensitive && text[start:end] != p.spelling {
				continue
			}
			if p.checkLeft && start > 0 {
				r, _ := utf8.DecodeLastRuneInString(text[:start])
				if isWordRune(r) {
					continue
				}
			}
			if p.checkRight && end < len(text) {
				r, _ := utf8.DecodeRuneInString(text[end:])
				if isWordRune(r) {
					continue
				}
			}
			cands = append(cands, candidate{start: start, end: end, pat: pi})
		}
		if st.dictLink < 0 {
			return cands
		}
		st = &a.states[st.dictLink]
	}
}

// foldRune lower-cases r when that keeps its UTF-8 length n, so that byte
// offsets survive folding. The few runes whose lower case has another
// length (e.g. U+0130) stay as they are: such terms then match only in the
// case they are written in.
func foldRune(r rune, n int) rune {
	if r == utf8.RuneError && n <= 1 {
		return r
	}
	l := unicode.ToLower(r)
	if l != r && utf8.RuneLen(l) == n {
		return l
	}
	return r
}

// fold returns s folded with foldRune: same length, same rune boundaries.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return foldSlow(s)
		}
	}
	return s
}

func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteRune(foldRune(r, n))
		i += n
	}
	return b.String()
}

// isWordRune reports whether r belongs to a word of a script that separates
// words with spaces. CJK runes are not word runes: a Latin term next to Han
// text is at a word boundary, and CJK terms match anywhere.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	if isCJK(r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r >= 0x3000 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7AF, r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFF00 && r <= 0xFFEF, r >= 0x20000 && r <= 0x3FFFF:
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
