package markdown

import (
	"bytes"
	"slices"
	"sort"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
)

// builder accumulates a Document while Parse runs.
type builder struct {
	src  []byte
	opts options
	doc  *Document
	body []byte // src after the BOM and front matter; goldmark's offsets are into body
	base int    // offset of body in src
	segs []Segment
	cut  [][2]int  // lines whose over-deep prefix was hidden from goldmark
	ctx  *Document // ParseFragment's context document, or nil

	docScripts []*unicode.RangeTable // the document's own script, once known
	prosed     map[ast.Node]bool     // indented code blocks cut as prose
}

// topBlock is a top-level goldmark node and where its first line starts.
type topBlock struct {
	start int
	kind  BlockKind
}

func (b *builder) run(refs []parser.Reference) {
	b.doc = &Document{src: b.src}
	start := 0
	if bytes.HasPrefix(b.src, []byte(bom)) {
		start = len(bom)
	}
	if end, ok := frontMatterEnd(b.src, start); ok {
		b.doc.Blocks = append(b.doc.Blocks, Block{Kind: FrontMatter, Start: 0, End: end})
		b.frontMatter(start, end)
		start = end
	}
	b.base = start
	b.body = b.src[start:]
	parsed, cut := limitDepth(b.body, b.opts.maxDepth)
	b.cut = cut
	root, pc := parseBody(parsed, refs)
	b.doc.refs = pc.References()
	b.doc.notes, _ = pc.Get(footnoteLabelsKey).([]string)
	tops := topBlocks(root, pc, b.body)
	b.doc.Blocks = slices.Grow(b.doc.Blocks, 2*len(tops)+2)
	b.tile(tops)
	b.segs = slices.Grow(b.segs, len(tops)+8)
	b.collect(root, 0)
	b.doc.shape = summarize(root, b.body, b.base, b.opts.maxDepth, b.prosed)
	b.finish()
}

// topBlocks lists the top-level blocks of root in source order.
func topBlocks(root ast.Node, pc parser.Context, body []byte) []topBlock {
	var tops []topBlock
	add := func(n ast.Node) {
		if p := nodeStart(n); p >= 0 {
			tops = append(tops, topBlock{lineStart(body, p), blockKind(n)})
		}
	}
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() != east.KindFootnoteList {
			add(c)
		}
	}
	notes, _ := pc.Get(topFootnotesKey).([]ast.Node)
	for _, n := range notes {
		add(n)
	}
	sort.SliceStable(tops, func(i, j int) bool { return tops[i].start < tops[j].start })
	out := tops[:0]
	for i, t := range tops {
		if i == 0 || t.start != tops[i-1].start {
			out = append(out, t)
		}
	}
	return out
}

// nodeStart returns the offset of a block's first byte, or -1. A table's
// own position is the paragraph's it was cut from, so it is taken from its
// header row.
func nodeStart(n ast.Node) int {
	if t, ok := n.(*east.Table); ok && t.FirstChild() != nil {
		if p := t.FirstChild().Pos(); p >= 0 {
			return p
		}
	}
	if p := n.Pos(); p >= 0 {
		return p
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p := nodeStart(c); p >= 0 {
			return p
		}
	}
	return -1
}

func blockKind(n ast.Node) BlockKind {
	switch n.Kind() {
	case ast.KindHeading:
		return Heading
	case ast.KindThematicBreak:
		return ThematicBreak
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		return CodeBlock
	case ast.KindHTMLBlock:
		return HTMLBlock
	case ast.KindList:
		return List
	case ast.KindBlockquote:
		return Quote
	case east.KindTable:
		return Table
	case ast.KindLinkReferenceDefinition:
		return LinkRefDef
	case east.KindFootnote:
		return FootnoteDef
	}
	return Paragraph
}

// lineStart returns the offset of the start of the line holding p.
func lineStart(s []byte, p int) int {
	if p > len(s) {
		p = len(s)
	}
	return bytes.LastIndexByte(s[:p], '\n') + 1
}

// tile cuts the body into blocks at the top-level starts; the blank lines
// that end each run become Blank blocks of their own.
func (b *builder) tile(tops []topBlock) {
	body := b.body
	if len(tops) == 0 || tops[0].start > 0 && !isBlank(body[:tops[0].start]) {
		kind := Paragraph
		if len(tops) == 0 && isBlank(body) {
			kind = Blank
		}
		tops = append([]topBlock{{0, kind}}, tops...)
		if len(tops) > 1 && tops[1].start == 0 {
			tops = tops[1:]
		}
	} else if tops[0].start > 0 {
		tops = append([]topBlock{{0, Blank}}, tops...)
	}
	for i, t := range tops {
		end := len(body)
		if i+1 < len(tops) {
			end = tops[i+1].start
		}
		cut := end
		if t.kind != Blank {
			cut = trailingBlank(body, t.start, end)
		}
		b.addBlock(t.kind, t.start, cut)
		if cut < end {
			b.addBlock(Blank, cut, end)
		}
	}
}

func (b *builder) addBlock(k BlockKind, start, end int) {
	if start >= end {
		return
	}
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: k, Start: start + b.base, End: end + b.base})
}

// trailingBlank returns where the blank lines that end body[start:end]
// begin (end when there are none). The first line is never cut off.
func trailingBlank(body []byte, start, end int) int {
	for end > start {
		ls := lineStart(body, end-1)
		if ls <= start || !isBlank(body[ls:end]) {
			return end
		}
		end = ls
	}
	return end
}

// isBlank reports whether s holds only spaces, tabs and line endings: a
// no-break or zero-width space is not blank in CommonMark.
func isBlank(s []byte) bool {
	for _, c := range s {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// finish puts the BOM into the first block, orders the segments and links
// blocks and segments.
func (b *builder) finish() {
	d := b.doc
	if len(d.Blocks) == 0 && len(b.src) > 0 {
		d.Blocks = append(d.Blocks, Block{Kind: Blank, End: len(b.src)})
	}
	for i := range d.Blocks {
		if d.Blocks[i].Kind != FrontMatter {
			if i == 0 || d.Blocks[i-1].End < d.Blocks[i].Start {
				d.Blocks[i].Start = 0
				if i > 0 {
					d.Blocks[i].Start = d.Blocks[i-1].End
				}
			}
			break
		}
	}
	sort.SliceStable(b.segs, func(i, j int) bool { return b.segs[i].start < b.segs[j].start })
	d.Segments = b.segs
	lines := newLineIndex(b.src)
	bi := 0
	for i := range d.Blocks {
		d.Blocks[i].Line = lines.line(d.Blocks[i].Start)
	}
	for i := range d.Segments {
		s := &d.Segments[i]
		for bi+1 < len(d.Blocks) && d.Blocks[bi].End <= s.start {
			bi++
		}
		s.Block = bi
		s.Line = lines.line(s.start)
		s.refs = d.refs
		d.Blocks[bi].Segments = append(d.Blocks[bi].Segments, i)
	}
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int

func newLineIndex(src []byte) lineIndex {
	idx := make(lineIndex, 0, bytes.Count(src, []byte{'\n'}))
	for p := 0; ; {
		i := bytes.IndexByte(src[p:], '\n')
		if i < 0 {
			return idx
		}
		idx = append(idx, p+i)
		p += i + 1
	}
}

func (l lineIndex) line(off int) int {
	return sort.SearchInts(l, off) + 1
}

// truncate cuts the document back to its first n bytes, dropping what lies
// beyond (the stand-in definitions of ParseFragment).
func (d *Document) truncate(n int) {
	d.src = d.src[:n]
	blocks := d.Blocks[:0]
	for _, b := range d.Blocks {
		if b.Start >= n {
			break
		}
		b.End = min(b.End, n)
		blocks = append(blocks, b)
	}
	d.Blocks = blocks
	segs := d.Segments[:0]
	for _, s := range d.Segments {
		if s.end <= n {
			segs = append(segs, s)
		}
	}
	d.Segments = segs
	for i := range d.Blocks {
		kept := d.Blocks[i].Segments[:0]
		for _, si := range d.Blocks[i].Segments {
			if si < len(segs) {
				kept = append(kept, si)
			}
		}
		d.Blocks[i].Segments = kept
	}
	d.shape.truncate(n)
}
