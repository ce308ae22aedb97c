package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
)

// Chinese paragraphs indented by four spaces are CommonMark code blocks:
// rendered as preformatted text, and without this never translated. With
// IndentedCode "auto" an indented (never a fenced) code block whose text
// is mostly letters, mostly of the source language's script, with hardly
// any of the characters code is made of, is a segment. Its text is the
// block's lines as they are (nothing in a code block is Markdown), and a
// translation is written back as it is, each line break with the source's
// line ending and indentation, so the target is still an indented block.
// Wiki spans and bare URLs in it are tags as in a paragraph.

// prose reports whether the indented code block n is translated.
func (b *builder) prose(n ast.Node) bool {
	switch b.opts.indented {
	case IndentedCode:
		return false
	case IndentedProse:
		return true
	}
	content := linesText(n, b.body)
	if b.ctx != nil {
		// A fragment of a translation (a target block read back): its
		// script is not the source's. A code block that was not
		// translated is in the target as it was in the source.
		for _, c := range b.ctx.shape.code {
			if !c.prose && c.val == content {
				return false
			}
		}
		return naturalText([]byte(content), nil, false)
	}
	return naturalText([]byte(content), b.scripts(), true)
}

// scripts returns the scripts of the source language: Options.Source's,
// or the document's own (Han or Latin, whichever has more letters).
func (b *builder) scripts() []*unicode.RangeTable {
	if b.opts.source != language.Und {
		if s := lang.Scripts(b.opts.source); s != nil {
			return s
		}
	}
	if b.docScripts == nil {
		b.docScripts = []*unicode.RangeTable{dominantScript(b.body)}
	}
	return b.docScripts
}

// dominantScript returns Han or Latin, whichever src has more text in: a
// Han character counts as four Latin letters (about a word each), so the
// URLs of a Chinese document do not make it Latin.
func dominantScript(src []byte) *unicode.RangeTable {
	han, latin := 0, 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if isASCIILetter(c) {
				latin++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
		i += n
	}
	if 4*han >= latin {
		return unicode.Han
	}
	return unicode.Latin
}

// naturalText reports whether s reads as natural-language text rather than
// code: at least half of its characters (white space, wiki markup and URLs
// aside) are letters, at least 30% of those in scripts (any script when
// nil), and at most 10% are characters code is made of. When strict, text
// in a script written with spaces needs sentences too (four words, some
// punctuation): "import os" is all letters. A translation read back is
// judged without: it is whatever its engine wrote.
func naturalText(s []byte, scripts []*unicode.RangeTable, strict bool) bool {
	letters, inScript, code, total := 0, 0, 0, 0
	cjk, words, punct := 0, 0, false
	inWord := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '[' || c == ']':
			i++
			if c == '[' && i < len(s) && s[i] == '[' {
				// A wiki span counts as its label.
				i++
				if j := bytes.Index(s[i:], []byte("]]")); j >= 0 && bytes.IndexByte(s[i:i+j], '\n') < 0 {
					_, label := splitWiki(s[i : i+j])
					i += label
				}
			}
			continue
		case (c == 'h' || c == 'H') && schemeFirst(s[i:]):
			i = max(i+1, urlEnd(s, i, len(s)))
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		i += n
		letter := unicode.IsLetter(r)
		if letter && !inWord {
			words++
		}
		inWord = letter
		switch {
		case unicode.IsSpace(r):
			continue
		case letter:
			letters++
			if scripts == nil || unicode.In(r, scripts...) {
				inScript++
			}
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				cjk++
			}
		case r < utf8.RuneSelf && bytes.IndexByte([]byte("{};=<>$\\|&^`"), byte(r)) >= 0:
			code++
		case r < utf8.RuneSelf && bytes.IndexByte([]byte(".,:!?"), byte(r)) >= 0, unicode.In(r, unicode.Po) && r >= 0x3000:
			punct = true
		}
		total++
	}
	if total == 0 || 2*letters < total || 10*code > total || 10*inScript < 3*letters {
		return false
	}
	return !strict || 2*cjk >= letters || words >= 4 && punct
}

// codeLeaf cuts the segment of an indented code block read as prose.
func (b *builder) codeLeaf(n ast.Node) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return
	}
	for i := 0; i < lines.Len(); i++ {
		if lines.At(i).Padding > 0 {
			return // a tab only partly indentation: keep the block as it is
		}
	}
	body := b.body
	start, end := trimSpace(body, lines.At(0).Start, lines.At(lines.Len()-1).Stop)
	if start >= end || overlaps(b.cut, start, end) {
		return
	}
	// Each line break runs from the end of a line's text to the start of
	// the next line's that has any: line ending, blank lines, indentation.
	var sp []span
	prev := -1
	for i := 0; i < lines.Len(); i++ {
		l := lines.At(i)
		s, e := l.Start, l.Stop
		for s < e && (body[s] == ' ' || body[s] == '\t') {
			s++
		}
		for e > s && (body[e-1] == ' ' || body[e-1] == '\t' || body[e-1] == '\n' || body[e-1] == '\r') {
			e--
		}
		if s >= e || s < start || e > end {
			continue
		}
		if prev >= 0 {
			sp = append(sp, span{start: prev, end: s, kind: spanBreak})
		}
		sp = codeURLs(body, s, e, sp)
		prev = e
	}
	sp = addLiterals(body, sp, start, end, b.opts.wiki)
	seg, ok := buildSegment(body, sp, start, end)
	if !ok {
		return
	}
	seg.Kind, seg.enc, seg.wiki = ParagraphSeg, encCode, b.opts.wiki
	if len(seg.lineBreaks) == 0 {
		// A translation may have more lines than a one-line source:
		// each is a line of the block, indented as its first.
		le := "\n"
		if i := bytes.IndexByte(body[end:], '\n'); i > 0 && body[end+i-1] == '\r' {
			le = "\r\n"
		}
		seg.lineBreaks = []string{le + string(body[lineStart(body, start):start])}
	}
	seg.start += b.base
	seg.end += b.base
	b.segs = append(b.segs, seg)
	if b.prosed == nil {
		b.prosed = map[ast.Node]bool{}
	}
	b.prosed[n] = true
}

// codeURLs appends a tag span for each bare URL in the line src[s:e] of a
// code block read as prose, found by the rules of text (see url.go).
func codeURLs(src []byte, s, e int, sp []span) []span {
	for i := s; i < e; {
		j := urlStart(src[i:e])
		if j < 0 {
			return sp
		}
		p := i + j
		end := p + linkifyEnd(src[p:e])
		if end == p {
			end = urlEnd(src, p, e)
		}
		end = extendURL(src, p, end, e)
		if end-p > len("https://") {
			sp = append(sp, span{start: p, end: end, kind: spanStandalone, tag: &pendingTag{kind: AutolinkTag, dest: string(src[p:end])}})
			i = end
			continue
		}
		i = p + 1
	}
	return sp
}
