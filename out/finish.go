package out

// This file holds the second half of a read: the source reconstructed
// and parsed, each unit mapped to its source block, and each target read
// into the neutral form.

import (
	"bytes"
	"fmt"
	"slices"
	"sort"

	"github.com/diglot/diglot/markdown"
)

// finish reconstructs the source, parses it, maps units to blocks and
// reads each target.
func (r *reader) finish(hasBOM bool, hdr Header) (*File, error) {
	bomLen := 0
	if hasBOM {
		bomLen = len(bom)
	}
	n := bomLen
	for _, p := range r.pieces {
		n += p.end - p.at
	}
	src := make([]byte, 0, n)
	src = append(src, bom[:bomLen]...)
	starts := make([]int, len(r.pieces))
	for i, p := range r.pieces {
		starts[i] = len(src)
		src = append(src, r.data[p.at:p.end]...)
	}
	// A file without a final line ending was made from a source without
	// one; the writer added one after the last source block if it was a
	// unit's (or the front matter), and after its target if a previous
	// target followed.
	if last := len(r.pieces) - 1; !endsLine(r.data) && last >= 0 && r.pieces[last].mayEOL {
		p := &r.pieces[last]
		b := src[starts[last]:]
		cut := len(b) - len(stripAddedEOL(src[bomLen:starts[last]], b))
		le := r.data[p.end-cut : p.end]
		p.end -= cut
		src = src[:len(src)-cut]
		if p.unit >= 0 {
			if x := &r.ext[p.unit]; x.prev >= 0 && bytes.HasSuffix(r.data[x.tAt:x.tEnd], le) {
				// The same line ending was added after the target.
				x.tEnd -= len(le)
			}
		}
	}
	// Only errors need lines from now on, and they can count them: let
	// the index go before the parse, when memory is at its highest.
	r.lines = nil
	doc, err := markdown.Parse(src, r.mdOpts)
	if err != nil {
		return nil, r.fail(-1, ErrFormat, "parse reconstructed source: %v", err)
	}
	// biOffset maps a source offset to its offset in the bilingual file.
	biOffset := func(off int) int {
		i := sort.SearchInts(starts, off+1) - 1
		if i < 0 {
			return 0
		}
		return r.pieces[i].at + off - starts[i]
	}
	if r.fm {
		if len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter || doc.Blocks[0].End != starts[0]+r.pieces[0].end-r.pieces[0].at {
			return nil, r.fail(r.pieces[0].at, ErrFormat, "the header must be on the first line or right after the front matter")
		}
	}
	// Units and blocks both run in source order: map one to the other in
	// one walk.
	bi := 0
	for i, p := range r.pieces {
		if p.unit < 0 {
			continue
		}
		start := starts[i]
		if start == len(bom) && hasBOM {
			start = 0
		}
		for bi < len(doc.Blocks) && doc.Blocks[bi].Start < start {
			bi++
		}
		x := &r.ext[p.unit]
		// Either failure may come from a look-alike comment whose hash
		// happens to match: read again without it before reporting.
		if bi == len(doc.Blocks) || doc.Blocks[bi].Start != start || doc.Blocks[bi].End != starts[i]+p.end-p.at {
			return nil, &retryError{x.at, r.fail(p.at, ErrFormat, "unit %d: its source block and what follows its target do not separate (was the source edited or the target extended?)", int(p.unit)+1)}
		}
		if len(doc.Blocks[bi].Segments) == 0 {
			return nil, &retryError{x.at, r.fail(p.at, ErrFormat, "unit %d: its source block has nothing to translate", int(p.unit)+1)}
		}
		x.block = int32(bi)
	}
	k := 0
	for i, b := range doc.Blocks {
		if len(b.Segments) == 0 {
			continue
		}
		if k < len(r.ext) && int(r.ext[k].block) == i {
			k++
			continue
		}
		if r.suspect != nil {
			return nil, r.suspect
		}
		return nil, r.fail(biOffset(b.Start), ErrFormat, "a source block without a target marker (was the source or a marker edited, or a target block split?)")
	}
	r.makeUnits()
	if err := r.findSwaps(); err != nil {
		return nil, err
	}
	t := targets{r: r, doc: doc, hasBOM: hasBOM}
	if !r.cfg.skip {
		t.all = make([]string, len(doc.Segments))
	}
	for k := range r.units {
		if err := t.unit(k); err != nil {
			return nil, err
		}
	}
	return &File{Name: r.name, Header: hdr, Source: doc, Units: r.units}, nil
}

// makeUnits makes the Units from what the read found, their hashes
// written out in one string.
func (r *reader) makeUnits() {
	r.units = make([]Unit, len(r.ext))
	hashes := make([]byte, 0, 2*len(shortHash{})*len(r.ext))
	for _, x := range r.ext {
		hashes = append(append(hashes, x.src[:]...), x.mt[:]...)
	}
	all := string(hashes)
	const n = len(shortHash{})
	for k, x := range r.ext {
		u, m := &r.units[k], r.metas[x.meta]
		*u = Unit{ID: k + 1, Block: int(x.block), State: m.state, Flags: slices.Clone(m.flags), By: m.by,
			Src: all[2*n*k : 2*n*k+n], MT: all[2*n*k+n : 2*n*(k+1)],
			Line: x.line, TargetLine: x.line + 1, TargetBytes: r.data[x.tAt:x.tEnd]}
		if x.prev >= 0 {
			p := r.prevs[x.prev]
			u.Previous = r.data[p.at:p.end]
		}
	}
}

// stripAddedEOL removes the line ending the writer added after b, the last
// block of the source, in the style the writer chose (see blockEnding);
// prefix is the source before b.
func stripAddedEOL(prefix, b []byte) []byte {
	if c, ok := bytes.CutSuffix(b, []byte("\r\n")); ok {
		le := lineEnding(prefix)
		if bytes.IndexByte(c, '\n') >= 0 {
			le = lineEnding(c)
		}
		if le == "\r\n" {
			return c
		}
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// chunkSize is about how many bytes of the target document are parsed at
// once: parsing a whole large document costs several times its size in
// syntax tree, parsing each target alone a parser setup per unit.
const chunkSize = 256 << 10

// targets reads the targets of a file's units into the neutral form, in
// unit order. A target identical to its source block has the source's
// segments. Other unedited targets are parsed in the target document (the
// source skeleton with every target block), a chunk of it at a time
// between blank lines, and take their segments from it when they are one
// block there with as many segments as their source; the rest, and edited
// targets, are parsed alone.
type targets struct {
	r      *reader
	doc    *markdown.Document
	hasBOM bool
	all    []string // every unit's Targets, one after the other
	used   int      // how much of all the units read so far take
	// The chunk parsed last: blocks [first, end) of doc, its units from
	// firstUnit on, and for each of them the index of its target block in
	// chunk, or -1.
	first, end, firstUnit int
	chunk                 *markdown.Document
	found                 []int
	buf                   []byte
	segs                  []markdown.Segment
}

// unit reads the targets of unit k.
func (t *targets) unit(k int) error {
	r, doc := t.r, t.doc
	u, x := &r.units[k], &r.ext[k]
	if !u.State.Valid() {
		return r.fail(x.at, ErrFormat, "unit %d: unknown state %q", u.ID, u.State)
	}
	blk := doc.Blocks[u.Block]
	n := len(blk.Segments)
	switch {
	case r.cfg.skip && !u.Edited:
		return nil
	case r.cfg.skip:
		u.Targets = make([]string, n)
	default:
		u.Targets = t.all[t.used : t.used+n : t.used+n]
		t.used += n
	}
	st := r.cfg.stats
	if st == nil {
		st = &readStats{}
	}
	if x.identity && !r.cfg.alone && !r.cfg.parse {
		for j, si := range blk.Segments {
			u.Targets[j] = doc.Segments[si].Text
		}
		st.identical++
		return nil
	}
	var pre []markdown.Segment
	base := 0
	if !u.Edited && !r.cfg.alone {
		if u.Block >= t.end {
			t.load(u.Block)
		}
		if f := t.found[k-t.firstUnit]; f >= 0 {
			b := t.chunk.Blocks[f]
			pre = t.segs[:0]
			for _, si := range b.Segments {
				pre = append(pre, t.chunk.Segments[si])
			}
			t.segs, base = pre, b.Line
			st.chunked++
		}
	}
	if pre == nil {
		st.alone++
	}
	return r.readUnit(doc, k, pre, base)
}

// load parses the chunk of the target document that holds block bi.
// Chunks start after a blank block (or at the start) so that each parses
// as it would in the whole document; the source's link reference and
// footnote definitions are in scope.
func (t *targets) load(bi int) {
	blocks, units := t.doc.Blocks, t.r.units
	start := bi
	for start > t.end && blocks[start-1].Kind != markdown.Blank {
		start--
	}
	buf := t.buf[:0]
	if start > 0 {
		buf = append(buf, '\n') // so that a first line of --- is not front matter
	} else if t.hasBOM {
		buf = append(buf, bom...)
	}
	u := sort.Search(len(units), func(i int) bool { return units[i].Block >= start })
	t.first, t.firstUnit = start, u
	var raw []int // offset of each unit's target in buf
	end := start
	for end < len(blocks) && (end <= bi || len(buf) < t.r.cfg.chunk || blocks[end-1].Kind != markdown.Blank) {
		if u < len(units) && units[u].Block == end {
			raw = append(raw, len(buf))
			buf = append(buf, units[u].TargetBytes...)
			u++
		} else {
			b := blocks[end]
			s := t.doc.Source()[b.Start:b.End]
			if end == 0 {
				s = stripBOM(s)
			}
			buf = append(buf, s...)
		}
		end++
	}
	t.end, t.buf = end, buf
	chunk, err := markdown.ParseFragment(buf, t.doc, t.r.mdOpts)
	t.chunk = chunk
	t.found = t.found[:0]
	cb := 0
	for i, off := range raw {
		k := t.firstUnit + i
		start := off
		if start == len(bom) && t.hasBOM && t.first == 0 {
			start = 0
		}
		f := -1
		if err == nil {
			for cb < len(chunk.Blocks) && chunk.Blocks[cb].Start < start {
				cb++
			}
			if cb < len(chunk.Blocks) {
				b := chunk.Blocks[cb]
				if b.Start == start && b.End == off+len(units[k].TargetBytes) && len(b.Segments) == len(blocks[units[k].Block].Segments) {
					f = cb
				}
			}
		}
		t.found = append(t.found, f)
	}
}

// readUnit checks unit k's target against its source block and converts
// its segments to the neutral form in the source numbering.
//
// pre, when not nil, holds the target's segments parsed in the target
// document, preBase the line of the block there; they serve an unedited
// target.
func (r *reader) readUnit(doc *markdown.Document, k int, pre []markdown.Segment, preBase int) error {
	u, x := &r.units[k], &r.ext[k]
	blk := doc.Blocks[u.Block]
	tLine := u.TargetLine
	target := trimBlankLines(u.TargetBytes)
	tLines := bytes.Count(target, newline) + boolInt(!endsLine(target))
	segs, base := pre, preBase
	if u.Edited || pre == nil {
		suffix := r.footnoteScope(doc, blk)
		tgtFrag, err := r.fragment(u.TargetBytes, suffix, doc, blk.Kind)
		if err != nil {
			return r.fail(x.tAt, ErrStructure, "unit %d: parse target block: %v", u.ID, err)
		}
		segs, base = tgtFrag.Segments, 1
		if u.Edited {
			if err := r.compare(doc, blk, k, suffix, tgtFrag, tLines); err != nil {
				return err
			}
		}
	}
	if len(segs) != len(blk.Segments) {
		// Name the line of the first segment that has no counterpart at
		// the same place.
		line := tLine
		for j := 0; j < len(blk.Segments); j++ {
			rel := doc.Segments[blk.Segments[j]].Line - blk.Line
			if j >= len(segs) || segs[j].Line-base != rel {
				line = tLine + min(max(rel, 0), max(tLines-1, 0))
				break
			}
		}
		return &ParseError{File: r.name, Line: line, Err: ErrStructure,
			Msg: fmt.Sprintf("unit %d: target has %d segments, its source %d", u.ID, len(segs), len(blk.Segments))}
	}
	for j, si := range blk.Segments {
		seg, like := doc.Segments[si], segs[j]
		text, err := markdown.AlignTags(seg, like)
		if err != nil {
			line := tLine
			if like.Line >= base {
				line += like.Line - base
			}
			return &ParseError{File: r.name, Line: line, Err: ErrStructure,
				Msg: fmt.Sprintf("unit %d: segment %d: %v", u.ID, j+1, err)}
		}
		u.Targets[j] = text
	}
	return nil
}

// parseAlone returns the targets of unit u of doc parsed alone, or nil
// when they do not match its source block's segments.
func (r *reader) parseAlone(doc *markdown.Document, u *Unit) []string {
	if u.Block < 0 || u.Block >= len(doc.Blocks) {
		return nil
	}
	blk := doc.Blocks[u.Block]
	frag, err := r.fragment(u.TargetBytes, r.footnoteScope(doc, blk), doc, blk.Kind)
	if err != nil || len(frag.Segments) != len(blk.Segments) {
		return nil
	}
	targets := make([]string, len(blk.Segments))
	for j, si := range blk.Segments {
		if targets[j], err = markdown.AlignTags(doc.Segments[si], frag.Segments[j]); err != nil {
			return nil
		}
	}
	return targets
}

// compare checks that the edited target of unit k keeps its source
// block's structure.
func (r *reader) compare(doc *markdown.Document, blk markdown.Block, k int, suffix []byte, tgtFrag *markdown.Document, tLines int) error {
	u := &r.units[k]
	srcFrag, err := r.fragment(stripBOM(doc.Source()[blk.Start:blk.End]), suffix, doc, blk.Kind)
	if err != nil {
		return r.fail(r.ext[k].at, ErrFormat, "unit %d: parse source block: %v", u.ID, err)
	}
	diffs := markdown.Compare(srcFrag, tgtFrag)
	if len(diffs) == 0 {
		return nil
	}
	d := diffs[0]
	line := u.TargetLine
	if d.Line > 0 && d.Line <= tLines {
		line += d.Line - 1
	}
	return &ParseError{File: r.name, Line: line, Err: ErrStructure,
		Msg: fmt.Sprintf("unit %d: target does not match its source: %s: %s", u.ID, d.Kind, d.Message)}
}

// fragment parses one block cut from doc's source, followed by suffix
// (see footnoteScope). The returned document holds only the block's own
// segments.
func (r *reader) fragment(b, suffix []byte, doc *markdown.Document, kind markdown.BlockKind) (*markdown.Document, error) {
	if kind == markdown.FrontMatter {
		// Front matter is only recognised at the start of a document.
		return markdown.Parse(b, r.mdOpts)
	}
	if len(suffix) == 0 {
		return markdown.ParseFragment(b, doc, r.mdOpts)
	}
	le := lineEnding(b)
	whole := slices.Concat(b, []byte(le[:len(le)*boolInt(!endsLine(b))]), []byte(le), suffix)
	frag, err := markdown.ParseFragment(whole, doc, r.mdOpts)
	if err != nil {
		return nil, err
	}
	// Keep the block's own blocks and segments; the footnote definitions
	// after it only put the labels in scope.
	var blocks []markdown.Block
	for _, fb := range frag.Blocks {
		if fb.Start < len(b) {
			blocks = append(blocks, fb)
		}
	}
	var segs []markdown.Segment
	for _, s := range frag.Segments {
		if s.Block < len(blocks) {
			segs = append(segs, s)
		}
	}
	frag.Blocks, frag.Segments = blocks, segs
	return frag, nil
}

// footnoteScope returns the source's top-level footnote definitions when
// blk refers to a footnote: ParseFragment resolves link references from
// its context document but not footnote labels, so the definitions are
// parsed after the block to keep its footnote references tags. They are
// gathered once per read.
func (r *reader) footnoteScope(doc *markdown.Document, blk markdown.Block) []byte {
	uses := false
	for _, si := range blk.Segments {
		for _, tg := range doc.Segments[si].Tags {
			uses = uses || tg.Kind == markdown.FootnoteRefTag
		}
	}
	if !uses {
		return nil
	}
	if r.notes != nil {
		return *r.notes
	}
	var defs []byte
	src := doc.Source()
	for _, b := range doc.Blocks {
		if b.Kind == markdown.FootnoteDef {
			d := src[b.Start:b.End]
			defs = append(defs, d...)
			le := lineEnding(d)
			if !endsLine(d) {
				defs = append(defs, le...)
			}
			defs = append(defs, le...)
		}
	}
	r.notes = &defs
	return defs
}
