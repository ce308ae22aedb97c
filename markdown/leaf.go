package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// collect walks the block tree and cuts a segment from every leaf text
// block nested no deeper than MaxDepth containers.
func (b *builder) collect(n ast.Node, depth int) {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindTextBlock:
		b.leaf(n, ParagraphSeg)
		return
	case ast.KindHeading:
		b.leaf(n, HeadingSeg)
		return
	case east.KindTableCell:
		b.leaf(n, CellSeg)
		return
	case ast.KindCodeBlock:
		if b.prose(n) {
			b.codeLeaf(n)
		}
		return
	case ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindLinkReferenceDefinition:
		return
	case ast.KindBlockquote, ast.KindList:
		depth++
		if depth > b.opts.maxDepth {
			return
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b.collect(c, depth)
	}
}

// leaf cuts the segment of one leaf text block, or leaves it skeleton when
// it has nothing to translate or its spans cannot be mapped exactly.
func (b *builder) leaf(n ast.Node, kind SegmentKind) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return
	}
	start, end := lines.At(0).Start, lines.At(lines.Len()-1).Stop
	if cb, ok := n.FirstChild().(*east.TaskCheckBox); ok && cb.Pos() >= start {
		start = cb.Pos() + 3
	}
	start, end = trimSpace(b.body, start, end)
	if start >= end || overlaps(b.cut, start, end) {
		return
	}
	sp, ok := inlineSpans(b.body, n, start, end)
	if !ok {
		return
	}
	sp, ok = mergeBreaks(sp, lineBreaks(b.body, lines, start, end))
	if !ok {
		return
	}
	sp = addLiterals(b.body, sp, start, end, b.opts.wiki)
	enc := encInline
	if kind == CellSeg {
		enc = encCell
	}
	seg, ok := buildSegment(b.body, sp, start, end)
	if !ok {
		return
	}
	seg.Kind, seg.enc, seg.wiki = kind, enc, b.opts.wiki
	// A paragraph, and a setext heading's text, start a line: block syntax
	// a translation puts there must be escaped. An ATX heading's text
	// follows its "#", a cell's its "|".
	// (Text after a byte order mark or an ideographic space that the
	// segment leaves out does not start a line for CommonMark.)
	prefix := b.body[lineStart(b.body, start):start]
	seg.lineStart = (kind == ParagraphSeg || kind == HeadingSeg && bytes.IndexByte(prefix, '#') < 0) && ascii(prefix)
	seg.indent = columns(prefix)
	seg.start += b.base
	seg.end += b.base
	b.segs = append(b.segs, seg)
}

// trimSpace narrows [start, end) to exclude leading and trailing white
// space (Unicode, so an ideographic space indent stays skeleton) and stray
// byte order marks.
func trimSpace(s []byte, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRune(s[start:end])
		if !trimmable(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRune(s[start:end])
		if !trimmable(r) {
			break
		}
		end -= n
	}
	return start, end
}

func trimmable(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }

// lineBreaks returns a span for the break after every line but the last of
// a leaf block, clipped to [start, end): soft breaks become "\n", hard
// breaks (two spaces or a backslash before the line ending) a tag.
func lineBreaks(src []byte, lines *text.Segments, start, end int) []span {
	var out []span
	for i := 0; i+1 < lines.Len(); i++ {
		line, next := lines.At(i), lines.At(i+1).Start
		stop := line.Stop
		for stop > line.Start && (src[stop-1] == '\n' || src[stop-1] == '\r') {
			stop--
		}
		content := stop
		for content > line.Start && (src[content-1] == ' ' || src[content-1] == '\t') {
			content--
		}
		if content < start || next > end {
			continue
		}
		sp := span{start: content, end: next, kind: spanBreak}
		if stop-content >= 2 && src[stop-1] == ' ' && src[stop-2] == ' ' {
			sp.kind = spanHard
		} else if content == stop && oddBackslashes(src, line.Start, stop) {
			sp.start, sp.kind = stop-1, spanHard
		}
		out = append(out, sp)
	}
	return out
}

// oddBackslashes reports whether src[from:to] ends with an odd run of
// backslashes: the last one escapes the line ending, a hard break.
func oddBackslashes(src []byte, from, to int) bool {
	n := 0
	for to > from && src[to-1] == '\\' {
		n++
		to--
	}
	return n%2 == 1
}

// ascii reports whether b holds only ASCII bytes.
func ascii(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// hasLetterBytes is hasLetter for bytes, with an ASCII fast path.
func hasLetterBytes(s []byte) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c|0x20 && c|0x20 <= 'z' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if unicode.IsLetter(r) {
			return true
		}
		i += n
	}
	return false
}
