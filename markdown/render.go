package markdown

import (
	"bytes"
	"slices"
	"strings"

	"github.com/diglot/diglot/tags"
)

// renderer writes one target text of a segment back as Markdown inline text.
//
// A segment's own text renders back to its source bytes by construction.
// A translation is new text in the same place, and Markdown reads some text
// as syntax: "1. " at a line start, "**" that can now pair, "<b" that
// looks like HTML, ":word:" that looks like an emoji shortcode, "http://"
// that becomes a link, a word glued to a bare URL. Such a text would not
// read back with the segment's tags (the bilingual reader would refuse it),
// so a translation is escaped where it would be read differently: a
// backslash before the character (which renders as the character), a space
// between a bare URL and the text around it, an indentation before a line
// (escape.go), or, where emphasis, code spans or links could pair
// otherwise, a robust rewrite once a probe shows it is needed
// (emphasis.go). The source's own text is never escaped.
type renderer struct {
	s         *Segment
	b         *bytes.Buffer
	target    string
	fresh     bool   // target is not the segment's own text: escape it
	mark      int    // b.Len() when the segment started
	breaks    int    // soft line breaks written
	lineStart bool   // what is written next starts a line
	labels    int    // link and image texts open: brackets in them may pair otherwise
	afterWiki bool   // a wiki span was just written: "(" or "[" after it is escaped
	counted   bool   // runs and ticks are known
	runs      [3]int // delimiter runs of *, _ and ~ in the target, tags included
	ticks     int
	inner     []innerText // wiki and title tags: where their text is in target
	titles    []int       // the title tag of each link or image tag, or 0
	next      string      // the target after the text being written
	robust    bool        // every delimiter run made unambiguous (see emphasis.go)
	probing   bool        // rendering a probe: no further checks
	risky     bool        // text that could take part in emphasis, code or links was written
	hardBreak bool        // the line being started follows a hard break
	url       string      // the bare URL written last, ending at b[urlAt]
	urlAt     int
	linkified []writtenURL // bare URLs written where linkify reads them
	spaced    []int        // bare URL tags written with a space after (see grownURL)
	delims    []delimAt    // the emphasis delimiters written
	closedAt  int          // b.Len() after the last closing delimiter
}

// innerText is the text of a wiki or title tag in a target.
type innerText struct {
	found      bool
	from, to   int  // target[from:to] is the text between the tags
	end        int  // target[end:] follows the closing tag
	plain      bool // the text holds no tag
	unwrapped  bool // a wiki label written as plain text, without its span
	closeFirst bool // the closing tag comes first: badly nested
}

// renderInline writes target as Markdown inline text. It returns false
// unless target holds each of the segment's tags at most once, well
// nested, every tag that is not optional, and no other tag (what
// tags.Check verifies, in one pass without maps).
func (s *Segment) renderInline(b *bytes.Buffer, target string) bool {
	fresh := target != s.Text
	r := renderer{s: s, b: b, fresh: fresh, mark: b.Len(), lineStart: fresh && s.lineStart, target: s.spacesOutside(target)}
	return r.run()
}

// run writes r.target.
func (r *renderer) run() bool {
	s, b, target := r.s, r.b, r.target
	if s.inner && !r.findInner() {
		return false
	}
	b.Grow(len(target) + len(target)/4)
	var seenBuf [32]uint8 // which of each tag's open and close were seen
	seen := seenBuf[:]
	if len(s.Tags) >= len(seen) {
		seen = make([]uint8, len(s.Tags)+1)
	}
	var stack []int
	text := 0
	for i := 0; i < len(target); {
		j := strings.IndexByte(target[i:], '<')
		if j < 0 {
			break
		}
		i += j
		kind, id, n := tags.Match(target[i:])
		if n == 0 {
			i++
			continue
		}
		chunk := b.Len()
		r.text(target[text:i], target[i:])
		i += n
		text = i
		if id > len(s.Tags) || s.Tags[id-1].Paired == (kind == tags.Standalone) {
			return false
		}
		tag := &s.Tags[id-1]
		if tag.Kind == BreakTag && strings.HasPrefix(tag.Open, " ") {
			// A hard break of spaces takes every space before the line
			// ending: spaces the translation left before it would make a
			// break with other bytes than the source's.
			for b.Len() > r.mark && (b.Bytes()[b.Len()-1] == ' ' || b.Bytes()[b.Len()-1] == '\t') {
				b.Truncate(b.Len() - 1)
			}
		}
		switch kind {
		case tags.Standalone, tags.Open:
			if seen[id]&1 != 0 {
				return false
			}
			seen[id] |= 1
			if kind == tags.Open {
				stack = append(stack, id)
			}
			if kind == tags.Open && (tag.Kind == TitleTag || tag.Kind == WikiTag && !r.inner[id].unwrapped) {
				// The whole span is written now, its text included.
				in := r.inner[id]
				if in.closeFirst || !in.found {
					return false
				}
				r.span(tag, in)
				seen[id] |= 2
				stack = stack[:len(stack)-1]
				i, text = in.end, in.end
				continue
			}
			moved := r.open(tag, kind, target[i:])
			i += moved
			text = i
		case tags.Close:
			if seen[id]&2 != 0 || len(stack) == 0 || stack[len(stack)-1] != id {
				return false
			}
			seen[id] |= 2
			stack = stack[:len(stack)-1]
			r.close(tag, target[i:], chunk)
		}
	}
	r.text(target[text:], "")
	if len(stack) != 0 {
		return false
	}
	for k := range s.Tags {
		t := &s.Tags[k]
		want := uint8(1)
		if t.Paired {
			want = 3
		}
		if seen[t.ID] != want && !(t.Optional() && seen[t.ID] == 0) {
			return false
		}
	}
	if !r.fresh {
		return true
	}
	if id := r.grownURL(); id != 0 {
		// Written again with a space after that URL: a new renderer, as
		// the delimiter positions recorded so far would move.
		r.b.Truncate(r.mark)
		again := renderer{s: s, b: b, fresh: true, mark: r.mark, lineStart: s.lineStart, target: target,
			robust: r.robust, probing: r.probing, spaced: append(r.spaced[:len(r.spaced):len(r.spaced)], id)}
		return again.run()
	}
	return r.emphasisChecked(target)
}

// writtenURL is a bare URL tag written at b[pos:pos+n].
type writtenURL struct {
	id, pos, n int
}

// grownURL returns the ID of a bare URL, written where linkify reads it,
// that linkify would read on past its end through the bytes written after
// it, or 0. Linkify matches a URL before emphasis, code spans and links
// are parsed, so it runs through the delimiters a tag writes after the
// URL: a source that glued "https://x.org/a?f=(4)" to a Chinese character
// read "_NAME_" after it as emphasis, where a translation's
// "See https://x.org/a?f=(4)_NAME_[1]" is one link. Only linkify's match
// counts here: the reader extends a URL further (extendURL) only through
// the text right after it, which is checked as it is written (see
// urlWouldGrow), never into a tag's node.
func (r *renderer) grownURL() int {
	out := r.b.Bytes()
	for _, u := range r.linkified {
		if !slices.Contains(r.spaced, u.id) && linkifyLen(out[u.pos:]) > u.n {
			return u.id
		}
	}
	return 0
}

// open writes an opening or standalone tag; rest is the target after it.
// It returns how many bytes of rest it consumed.
func (r *renderer) open(tag *Tag, kind tags.Kind, rest string) int {
	b := r.b
	wrote := true
	moved := 0
	switch {
	case kind == tags.Standalone && tag.Kind == AutolinkTag && !strings.HasPrefix(tag.Open, "<"):
		if r.fresh && b.Len() > r.mark && isASCIIAlnum(b.Bytes()[b.Len()-1]) {
			b.WriteByte(' ') // a URL glued to a word is not a URL
		}
		if r.fresh && r.labels == 0 && r.linkifies("", 0) {
			r.linkified = append(r.linkified, writtenURL{id: tag.ID, pos: b.Len(), n: len(tag.Open)})
		}
		b.WriteString(tag.Open)
		r.url, r.urlAt = tag.Open, b.Len()
		if r.fresh && (urlWouldGrow(tag.Open, rest) || r.robust && escapesFirst(rest) || slices.Contains(r.spaced, tag.ID)) {
			b.WriteByte(' ') // the text after a bare URL must not read as part of it
		}
	case kind == tags.Open && flanked(tag.Kind):
		moved = r.openDelimiter(tag, rest)
	case tag.Kind == WikiTag && kind == tags.Open:
		// An unwrapped label: the text is written without its span.
		wrote = !r.fresh
		if wrote {
			b.WriteString(tag.Open)
		}
	case r.probing && tag.Kind == BreakTag:
		b.WriteByte('\n') // without the next line's container prefix
	default:
		b.WriteString(tag.Open)
		if kind == tags.Open && (tag.Kind == LinkTag || tag.Kind == ImageTag) {
			r.labels++
		}
	}
	if wrote {
		r.lineStart = r.fresh && tag.Kind == BreakTag
		r.hardBreak = r.lineStart
		r.afterWiki = r.fresh && tag.Kind == WikiTag && kind == tags.Standalone
	}
	return moved
}

// close writes a closing tag; rest is the target after it and floor the
// buffer length before the text that precedes it.
func (r *renderer) close(tag *Tag, rest string, floor int) {
	switch {
	case flanked(tag.Kind):
		r.closeDelimiter(tag, rest, floor)
	case tag.Kind == WikiTag:
		if !r.fresh {
			r.b.WriteString(tag.Close)
		}
		return
	case tag.Kind == LinkTag || tag.Kind == ImageTag:
		r.labels--
		r.closeLink(tag)
	default:
		r.b.WriteString(tag.Close)
	}
	r.lineStart = false
	r.afterWiki = false
}

// closeLink writes the closing bytes of a link or image, with its title as
// the target has it: the source's when unchanged, none when the target
// dropped it.
func (r *renderer) closeLink(tag *Tag) {
	if tag.cut[1] == 0 || !r.fresh {
		r.b.WriteString(tag.Close)
		return
	}
	title := 0
	if tag.ID < len(r.titles) {
		title = r.titles[tag.ID]
	}
	if title == 0 {
		r.b.WriteString(tag.Close)
		return
	}
	in := r.inner[title]
	if !in.found {
		r.b.WriteString(tag.Close[:tag.cut[0]])
		r.b.WriteString(tag.Close[tag.cut[1]:])
		return
	}
	text := r.target[in.from:in.to]
	if text == r.s.Tags[title-1].text {
		r.b.WriteString(tag.Close)
		return
	}
	r.b.WriteString(tag.Close[:tag.title[0]])
	writeTitle(r.b, text, tag.Close[tag.title[1]])
	r.b.WriteString(tag.Close[tag.title[1]:])
}

// span writes a wiki span whose label is written inside it, or skips a
// title (closeLink writes it): both are written whole, from their inner
// text in the target.
func (r *renderer) span(tag *Tag, in innerText) {
	if tag.Kind == TitleTag {
		return
	}
	text := r.target[in.from:in.to]
	if !r.fresh || text == tag.text || strings.TrimSpace(text) == "" {
		r.b.WriteString(tag.Open)
		r.b.WriteString(tag.text)
		r.b.WriteString(tag.Close)
	} else {
		r.b.WriteString("[[")
		r.b.WriteString(tag.Dest)
		r.b.WriteByte('|')
		if r.s.enc == encCode {
			r.b.WriteString(text) // nothing is Markdown in a code block
		} else {
			writeLabel(r.b, text)
		}
		r.b.WriteString("]]")
	}
	r.lineStart = false
	r.afterWiki = r.fresh
}

// findInner locates the text of each wiki and title tag in the target. It
// returns false when a title's text holds another tag: it cannot be
// written inside the quotes.
func (r *renderer) findInner() bool {
	r.inner = make([]innerText, len(r.s.Tags)+1)
	r.titles = make([]int, len(r.s.Tags)+1)
	for k := range r.s.Tags {
		if t := &r.s.Tags[k]; t.Kind == TitleTag && t.owner > 0 && t.owner <= len(r.s.Tags) {
			r.titles[t.owner] = t.ID
		}
	}
	inner := func(id int) bool {
		if id < 1 || id > len(r.s.Tags) {
			return false
		}
		t := &r.s.Tags[id-1]
		return t.Paired && (t.Kind == WikiTag || t.Kind == TitleTag)
	}
	var open []int // inner tags open, innermost last
	tagsIn := 0    // tags seen inside the innermost open inner tag
	off := 0
	for _, tok := range tags.Parse(r.target) {
		at := off
		off += len(tok.Text)
		if tok.Kind == tags.Text {
			continue
		}
		if !inner(tok.ID) {
			if len(open) > 0 {
				tagsIn++
			}
			continue
		}
		in := &r.inner[tok.ID]
		switch tok.Kind {
		case tags.Open:
			if !in.found {
				in.found, in.from = true, off
				open = append(open, tok.ID)
				tagsIn = 0
			}
		case tags.Close:
			if !in.found {
				in.closeFirst = true // tags.Check's error: badly nested
				continue
			}
			if in.to != 0 || len(open) == 0 || open[len(open)-1] != tok.ID {
				continue
			}
			open = open[:len(open)-1]
			in.to, in.end = at, off
			inside := r.target[in.from:in.to]
			in.plain = tagsIn == 0
			t := &r.s.Tags[tok.ID-1]
			if t.Kind == TitleTag && !in.plain {
				return false
			}
			// A label that holds tags, or any label when WikiLinks is
			// "unwrap", is written as plain text: the tags inside it could
			// not be read back inside a wiki span.
			in.unwrapped = t.Kind == WikiTag && r.fresh && (r.s.wiki == wikiUnwrap || !in.plain || strings.Contains(inside, "\n") ||
				r.s.enc == encCode && strings.ContainsAny(inside, "[]\\\r"))
			if len(open) > 0 {
				tagsIn++ // for the enclosing inner tag, this one is inside
			}
		}
	}
	for id := range r.inner {
		if in := &r.inner[id]; in.found && in.to == 0 && !in.closeFirst {
			in.found = false // unclosed: tags.Check's error
		}
	}
	return true
}

// writeTitle writes a translated link title between quotes q (or
// parentheses): the closing quote escaped, line breaks as spaces.
func writeTitle(b *bytes.Buffer, text string, q byte) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\' && i+1 < len(text) && isASCIIPunct(text[i+1]):
			b.WriteByte(c)
			b.WriteByte(text[i+1])
			i++
			continue
		case c == '\\' && i+1 == len(text):
			b.WriteByte('\\') // it would escape the closing quote
		case c == '\n' || c == '\r':
			c = ' '
		case c == q || q == ')' && c == '(':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}

// writeLabel writes a translated wiki label: what would make the span
// read otherwise (brackets, emphasis, code, HTML, a shortcode or URL) is
// escaped, line breaks are spaces.
func writeLabel(b *bytes.Buffer, text string) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\' && i+1 < len(text) && isASCIIPunct(text[i+1]):
			b.WriteByte(c)
			b.WriteByte(text[i+1])
			i++
			continue
		case c == '\\':
			b.WriteString(`\\`)
			continue
		case c == '\n' || c == '\r':
			c = ' '
		case strings.IndexByte("[]<*_~`&", c) >= 0,
			c == ':' && (strings.HasPrefix(text[i:], "://") || shortcodeAt(text, i, edge)):
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}

// isASCIIPunct reports the characters a backslash escapes in CommonMark.
func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// escapesFirst reports whether text written after a bare URL starts with
// a character a robust rewrite escapes: a backslash escape right after a
// URL extends it (see escapedTail).
func escapesFirst(rest string) bool {
	if rest == "" || tagStart(rest) == 0 {
		return false
	}
	return strings.IndexByte("*_~[]`", rest[0]) >= 0
}

// tagStart returns the index of the first tag in s, or -1.
func tagStart(s string) int {
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			return -1
		}
		if _, _, n := tags.Match(s[i+j:]); n > 0 {
			return i + j
		}
		i += j + 1
	}
	return -1
}
