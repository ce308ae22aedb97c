package out

// This file holds how the reader finds its way through a bilingual file:
// lines, markers, source blocks, target blocks and previous targets. Every
// search here moves forward through the file, so that reading stays linear
// in its size.

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/diglot/diglot/markdown"
)

// indexLines returns the start offset of every line of data, then
// len(data), and how many lines start like a unit marker: a bound on the
// number of units, for sizing.
func indexLines(data []byte) (lines []int, markers int) {
	lines = make([]int, 1, bytes.Count(data, newline)+2)
	if bytes.HasPrefix(data, []byte(unitPrefix)) {
		markers++
	}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 || off+i+1 >= len(data) {
			break
		}
		off += i + 1
		lines = append(lines, off)
		if bytes.HasPrefix(data[off:], []byte(unitPrefix)) {
			markers++
		}
	}
	return append(lines, len(data)), markers
}

// lineOf returns the 1-based line holding offset off.
func (r *reader) lineOf(off int) int {
	if r.lines != nil {
		return sort.SearchInts(r.lines, off+1)
	}
	// The line index is let go once the units are found; the few lines
	// asked for later (by errors) are counted. This counts the entries
	// of indexLines's index that are at most off.
	n := 1
	if end := min(off, len(r.data)-1); end > 0 {
		n += bytes.Count(r.data[:end], newline)
	}
	if len(r.data) <= off {
		n++
	}
	return n
}

// lineEnd returns the end (after its line ending) of the line starting at
// off.
func (r *reader) lineEnd(off int) int {
	if i := bytes.IndexByte(r.data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(r.data)
}

// blankLineAt reports the end of the empty line ("\n" or "\r\n") starting
// at off, or -1.
func (r *reader) blankLineAt(off int) int {
	switch {
	case bytes.HasPrefix(r.data[off:], []byte("\n")):
		return off + 1
	case bytes.HasPrefix(r.data[off:], []byte("\r\n")):
		return off + 2
	}
	return -1
}

// cut returns the start of the first line at or after off that begins
// like a diglot comment, or len(data). Target and previous blocks never
// run past such a line.
func (r *reader) cut(off int) int {
	i := sort.SearchInts(r.lines, off)
	for ; i < len(r.lines)-1; i++ {
		if bytes.HasPrefix(r.data[r.lines[i]:], []byte(cutPrefix)) {
			return r.lines[i]
		}
	}
	return len(r.data)
}

// frontMatterUnit reads the front matter's unit, if there is one, at pos:
// its marker, then the target front matter from its opening to its
// closing fence. It returns where the body starts.
func (r *reader) frontMatterUnit(pos int) (int, error) {
	if pos >= len(r.data) {
		return pos, nil
	}
	pi := len(r.pieces) - 1
	fm := r.pieceData(pi)
	mEnd := r.lineEnd(pos)
	m, ok := parseMarker(r.data[pos:mEnd])
	if !ok || m.id != 1 || !r.hs.hash(fm).is(m.src) {
		return pos, nil
	}
	doc, err := markdown.Parse(fm, r.mdOpts)
	if err != nil || len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter || len(doc.Blocks[0].Segments) == 0 {
		return pos, nil
	}
	if mEnd >= len(r.data) || string(r.fence(mEnd)) != "---" {
		return 0, r.fail(mEnd, ErrStructure, "target front matter must start with a --- line after its marker")
	}
	end := r.fenced(mEnd)
	if end < 0 {
		return 0, r.fail(mEnd, ErrStructure, "target front matter is not closed")
	}
	end = r.takeBlankLines(end, trailingBlankLines(fm))
	r.pieces[pi].unit = int32(len(r.ext))
	return r.afterTarget(m, pos, r.lineOf(pos), pi, mEnd, end, true)
}

// fenced returns the end of the front matter whose opening --- line starts
// at off: after the next --- or ... line; -1 when there is none.
// The rule is markdown's for front matter.
func (r *reader) fenced(off int) int {
	if off >= len(r.data) || string(r.fence(off)) != "---" || r.lineEnd(off) >= len(r.data) {
		return -1
	}
	for off = r.lineEnd(off); off < len(r.data); off = r.lineEnd(off) {
		if c := r.fence(off); string(c) == "---" || string(c) == "..." {
			return r.lineEnd(off)
		}
	}
	return -1
}

// fence returns the line at off as front matter fences are matched: without
// its line ending and trailing spaces and tabs.
func (r *reader) fence(off int) []byte {
	line := bytes.TrimSuffix(r.data[off:r.lineEnd(off)], []byte("\n"))
	return bytes.TrimRight(bytes.TrimSuffix(line, []byte("\r")), " \t")
}

// takeBlankLines extends end over up to n blank lines.
func (r *reader) takeBlankLines(end, n int) int {
	for ; n > 0 && end < len(r.data); n-- {
		le := r.lineEnd(end)
		if !isBlank(r.data[end:le]) {
			break
		}
		end = le
	}
	return end
}

// firstBlock returns the length of the first top-level block of region
// when it starts at region's first byte and is not blank, else -1.
func (r *reader) firstBlock(region []byte) int {
	first := region
	if i := bytes.IndexByte(region, '\n'); i >= 0 {
		first = region[:i]
	}
	if len(region) == 0 || isBlank(first) {
		return -1
	}
	// A leading blank line keeps a first line of --- from being taken
	// for front matter.
	doc, err := markdown.ParseFragment(append([]byte("\n"), region...), nil, r.mdOpts)
	if err != nil {
		return -1
	}
	for _, b := range doc.Blocks {
		if b.Start == 1 && b.Kind != markdown.Blank {
			return min(b.End-1, len(region))
		}
		if b.Start >= 1 {
			break
		}
	}
	return -1
}

// lastBlock returns the start of the last non-blank top-level block of
// region (which ends at region's end) and whether that block has segments.
func (r *reader) lastBlock(region []byte) (start int, segs bool) {
	doc, err := markdown.ParseFragment(append([]byte("\n"), region...), nil, r.mdOpts)
	if err != nil {
		return -1, false
	}
	for i := len(doc.Blocks) - 1; i >= 0; i-- {
		b := doc.Blocks[i]
		if b.Kind == markdown.Blank {
			continue
		}
		if b.Start < 1 {
			return -1, false
		}
		return b.Start - 1, len(b.Segments) > 0
	}
	return -1, false
}

// maxTries bounds the candidate extents findSource tries by hashing
// before it parses instead.
const maxTries = 64

// findSource finds the source block that ends at end (before the blank
// line of a marker), whose last line is line li (0-based), and that
// starts at or after pos, and whose Hash is src. It returns the block's
// start.
func (r *reader) findSource(pos, end, li int, src string) (int, bool) {
	// Most blocks start after a blank line, or a few lines below the block
	// before them: try the line starts since the last blank line first.
	var buf [maxTries]int
	cands := buf[:0]
	for ; li >= 0 && r.lines[li] >= pos && len(cands) < maxTries; li-- {
		at := r.lines[li]
		if isBlank(r.data[at:r.lines[li+1]]) {
			break
		}
		cands = append(cands, at)
	}
	for i := len(cands) - 1; i >= 0; i-- {
		if r.hs.hash(r.data[cands[i]:end]).is(src) {
			return cands[i], true
		}
	}
	// A block holding blank lines (a loose list, say): parse. Look-alike
	// comments between two units make this parse a growing region again
	// and again: give up on them after a few.
	if r.parses++; r.parses > maxTries {
		return 0, false
	}
	s, segs := r.lastBlock(r.data[pos:end])
	if s < 0 || !segs || !r.hs.hash(r.data[pos+s:end]).is(src) {
		return 0, false
	}
	return pos + s, true
}

// findTarget finds an unedited target block starting at start: the
// shortest run of lines whose Hash is mt, not counting lines of white
// space that Hash ignores but that would still belong to the block (a
// no-break space). The block may hold blank lines (a loose list). It
// returns the block's end, or -1 when there is none (the caller then
// parses to find the block), and whether a line with text follows the
// block at once: the next block, as in the source (a heading after a
// paragraph), or a line a reviewer added to the block, which the source
// parsed with it shows (see readWith). Only a diglot comment or the end
// of the file ends the search: hashing line by line, each line costs one
// more sum.
func (r *reader) findTarget(start int, mt string) (end int, adjacent bool) {
	var lh lineHash
	lh.start(&r.hs)
	for off := start; off < len(r.data); {
		next := r.lineEnd(off)
		line := r.data[off:next]
		if bytes.HasPrefix(line, []byte(cutPrefix)) || off == start && isBlank(line) {
			break // a target never starts with a blank line
		}
		lh.add(line)
		after := r.data[next:r.lineEnd(next)]
		ends := next == len(r.data) || isBlank(after) || bytes.HasPrefix(after, []byte(cutPrefix))
		if (ends || !isSpaceOnly(after) && !r.cfg.parseAdjacent) && lh.sum().is(mt) {
			return next, !ends
		}
		off = next
	}
	return -1, false
}

// isSpaceOnly reports whether line holds nothing but white space as Hash
// sees it (which is more than CommonMark's blank: a no-break space).
func isSpaceOnly(line []byte) bool {
	return len(bytes.TrimRightFunc(line, unicode.IsSpace)) == 0
}

// parseTarget finds the target block starting at start by parsing, for a
// source block src.
func (r *reader) parseTarget(start int, src []byte) int {
	region := r.data[start:r.cut(start)]
	kind := markdown.Blank
	if doc, err := markdown.ParseFragment(append([]byte("\n"), src...), nil, r.mdOpts); err == nil {
		for _, b := range doc.Blocks {
			if b.Start >= 1 && b.Kind != markdown.Blank {
				kind = b.Kind
				break
			}
		}
	}
	switch kind {
	case markdown.Paragraph, markdown.Heading, markdown.Quote, markdown.Table:
		// These blocks end at a blank line at the latest: parse no
		// further (a list or a code block in a list item may not).
		for off := start; off < start+len(region); off = r.lineEnd(off) {
			if isBlank(r.data[off:r.lineEnd(off)]) {
				region = region[:r.lineEnd(off)-start]
				break
			}
		}
	}
	n := r.firstBlock(region)
	if n < 0 {
		return -1
	}
	return start + len(trimBlankLines(region[:n]))
}

// body reads units and skeleton from pos to the end of the file.
func (r *reader) body(pos int) error {
	search := pos
	for {
		mi, m, ok := r.nextMarker(search, len(r.ext)+1)
		if !ok {
			if pos < len(r.data) {
				r.pieces = append(r.pieces, piece{at: pos, end: len(r.data), unit: -1})
			}
			return nil
		}
		mAt, mEnd := r.lines[mi], r.lines[mi+1]
		search = mEnd
		// A real marker follows, after exactly one blank line, a source
		// block with segments whose hash it carries (segments are checked
		// once the whole source is parsed; see finish).
		if mi < 2 || r.rejected[mAt] {
			continue
		}
		bAt := r.lines[mi-1]
		if bAt <= pos || r.blankLineAt(bAt) != mAt {
			continue
		}
		sAt, ok := r.findSource(pos, bAt, mi-2, m.src)
		if !ok {
			if r.suspect == nil {
				r.suspect = r.fail(mAt, ErrFormat, "marker id=%d: src=%s does not match the source block above it (was the source edited?)", m.id, m.src)
			}
			continue
		}
		r.parses = 0
		end, adjacent := r.findTarget(mEnd, m.mt)
		unedited := end >= 0
		r.adjacent = r.adjacent || adjacent
		if end < 0 {
			if end = r.parseTarget(mEnd, r.data[sAt:bAt]); end < 0 {
				// Not a marker after all (a look-alike whose hash happens
				// to match), or a target deleted: the error is reported if
				// the file does not read without this marker.
				if r.suspect == nil {
					r.suspect = r.fail(mEnd, ErrStructure, "marker id=%d is not followed by a target block", m.id)
				}
				continue
			}
		}
		if sAt > pos {
			r.pieces = append(r.pieces, piece{at: pos, end: sAt, unit: -1})
		}
		r.pieces = append(r.pieces, piece{at: sAt, end: bAt, unit: int32(len(r.ext)), mayEOL: true})
		end = r.takeBlankLines(end, trailingBlankLines(r.data[sAt:bAt]))
		var err error
		if pos, err = r.afterTarget(m, mAt, mi+1, len(r.pieces)-1, mEnd, end, false); err != nil {
			return err
		}
		if unedited {
			// Hashed by findTarget; blank lines and a line ending taken
			// off at the end of the file do not change a hash.
			x := &r.ext[len(r.ext)-1]
			x.hash, x.hashed = x.mt, true
		}
		search = pos
	}
}

// nextMarker finds the first line at or after off that is a unit marker
// with the given id, and returns its index in r.lines.
func (r *reader) nextMarker(off, id int) (int, marker, bool) {
	for i := sort.SearchInts(r.lines, off); i < len(r.lines)-1; i++ {
		at := r.lines[i]
		if !bytes.HasPrefix(r.data[at:], []byte(unitPrefix)) {
			continue
		}
		if m, ok := parseMarker(r.data[at:r.lines[i+1]]); ok && m.id == id {
			return i, m, true
		}
	}
	return 0, marker{}, false
}

// afterTarget records the unit of marker m (at offset at, on line line,
// its source in piece pi) whose target block runs from tAt to end, with
// the previous target that may follow it, and returns where the source
// resumes.
func (r *reader) afterTarget(m marker, at, line, pi, tAt, end int, fm bool) (int, error) {
	x := unitExt{at: at, line: line, piece: int32(pi), tAt: tAt, tEnd: end, prev: -1, fm: fm, meta: r.meta(m)}
	copy(x.src[:], m.src)
	copy(x.mt[:], m.mt)
	if end < len(r.data) && parsePrevious(r.data[end:r.lineEnd(end)]) == m.id {
		pAt := r.lineEnd(end)
		pEnd := pAt
		if fm {
			if e := r.fenced(pAt); e > 0 {
				pEnd = e
			}
		} else if region := r.data[pAt:r.cut(pAt)]; len(region) > 0 {
			if n := r.firstBlock(region); n > 0 {
				pEnd = pAt + len(trimBlankLines(region[:n]))
			}
		}
		x.prev = int32(len(r.prevs))
		r.prevs = append(r.prevs, span{pAt, pEnd})
		end = pEnd
		if end < len(r.data) {
			b := r.blankLineAt(end)
			if b < 0 {
				return 0, r.fail(end, ErrFormat, "expected a blank line after the previous target of unit %d", m.id)
			}
			end = b
		}
	}
	r.ext = append(r.ext, x)
	return end, nil
}

// meta returns the index in r.metas of m's state, by and flags, adding
// them the first time; strings are copied so that no unit keeps its
// marker's text alive.
func (r *reader) meta(m marker) int32 {
	same := func(u unitMeta) bool {
		return u.state == m.state && u.by == m.by && slices.Equal(u.flags, m.flags)
	}
	if n := len(r.metas); n > 0 && same(r.metas[n-1]) {
		return int32(n - 1)
	}
	key := string(m.state) + "\x00" + m.by + "\x00" + strings.Join(m.flags, ",")
	if i, ok := r.metaOf[key]; ok {
		return i
	}
	if r.metaOf == nil {
		r.metaOf = map[string]int32{}
	}
	u := unitMeta{state: State(strings.Clone(string(m.state))), by: strings.Clone(m.by)}
	for _, c := range []State{StateNew, StateMachine, StateReviewed, StateStale, StateFailed} {
		if m.state == c {
			u.state = c
		}
	}
	for _, f := range m.flags {
		u.flags = append(u.flags, strings.Clone(f))
	}
	i := int32(len(r.metas))
	r.metas = append(r.metas, u)
	r.metaOf[key] = i
	return i
}
