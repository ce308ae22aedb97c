package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/tags"
)

// special marks the bytes of translated text that may need an escape.
var special = func() (t [256]bool) {
	for _, c := range []byte("\n|\\<*_~`:[]") {
		t[c] = true
	}
	return t
}()

// text writes a run of target text (no tags); rest is the target after
// it, starting with the next tag, or "" at the end.
func (r *renderer) text(t, rest string) {
	if t == "" {
		return
	}
	if r.url != "" && r.b.Len() == r.urlAt && urlWouldGrow(r.url, t) {
		// Text right after a bare URL, where the tags between wrote
		// nothing (an unwrapped wiki label).
		r.b.WriteByte(' ')
	}
	r.url = ""
	if !r.fresh || r.s.enc == encCode {
		r.plain(t)
		return
	}
	r.next = rest
	r.escaped(t, r.s.nextRune(rest))
}

// escapedInSource reports whether the tag that starts the rest of the
// target (see text) follows a backslash in the segment's own text: the
// source escaped its first character ("\<x1/>"), and so may the target.
func (r *renderer) escapedInSource(next rune) bool {
	if next == edge {
		return false
	}
	_, _, n := tags.Match(r.next)
	if n == 0 {
		return false
	}
	i := strings.Index(r.s.Text, r.next[:n])
	return i > 0 && backslashesBefore(r.s.Text, i)%2 == 1
}

// plain writes text as it is: each "\n" as the next saved line break (the
// last one again when the target has more), or a space where the source
// had none; in a table cell, unescaped pipes are escaped.
func (r *renderer) plain(text string) {
	b := r.b
	for len(text) > 0 {
		var k int
		if r.s.enc == encCell {
			k = strings.IndexAny(text, "\n|")
		} else {
			k = strings.IndexByte(text, '\n')
		}
		if k < 0 {
			b.WriteString(text)
			return
		}
		b.WriteString(text[:k])
		switch {
		case text[k] == '|' && k > 0 && text[k-1] == '\\':
			b.WriteByte('|')
		case text[k] == '|':
			b.WriteString(`\|`)
		default:
			r.lineBreak()
		}
		text = text[k+1:]
	}
}

// lineBreak writes the next saved line break, or a space where the
// source had none. Before a line break, a translation's trailing white
// space goes: with the break's own it could make a hard break.
func (r *renderer) lineBreak() {
	s, b := r.s, r.b
	if s.enc == encCell || len(s.lineBreaks) == 0 {
		b.WriteByte(' ')
		r.breaks++
		return
	}
	if r.fresh {
		n := b.Len()
		for n > r.mark && (b.Bytes()[n-1] == ' ' || b.Bytes()[n-1] == '\t') {
			n--
		}
		b.Truncate(n)
		if r.lineStart && s.enc != encCode {
			// An empty line would end the paragraph (or start it with a
			// blank line): the break before it is enough.
			r.breaks++
			return
		}
	}
	b.WriteString(s.lineBreaks[min(r.breaks, len(s.lineBreaks)-1)])
	r.breaks++
	r.lineStart = r.fresh
}

// escaped writes translated text, escaping what Markdown would read as
// syntax the source text did not have there; next is the first character
// written after it (edge at the end of the segment).
//
// Some syntax is decided by the text alone, and is escaped where it
// appears: HTML tags and autolinks, emoji shortcodes, URLs, footnote
// references, block syntax at a line start. Emphasis, code spans and
// brackets depend on what else the segment holds: text that could take
// part in them only makes the segment risky, and a probe decides (see
// emphasis.go); a robust rewrite escapes all of it.
func (r *renderer) escaped(t string, next rune) {
	b := r.b
	pos := 0
	esc := func(i int) {
		b.WriteString(t[pos:i])
		b.WriteByte('\\')
		pos = i
	}
	if r.afterWiki {
		r.afterWiki = false
		if t[0] == '(' || t[0] == '[' {
			esc(0) // [[a|b]](c) would be a link
		}
	}
	www := strings.Contains(t, "www.")
	for i := 0; i < len(t); {
		if r.lineStart {
			b.WriteString(t[pos:i])
			i, pos = r.startLine(t, i, next)
			continue
		}
		for i < len(t) && !special[t[i]] && !(www && t[i] == '.') {
			i++
		}
		if i == len(t) {
			break
		}
		switch c := t[i]; c {
		case '\n':
			if odd := backslashesBefore(t, i); odd%2 == 1 {
				esc(i) // a backslash before a line ending is a hard break
			}
			b.WriteString(t[pos:i])
			r.lineBreak()
			i++
			pos = i
		case '|':
			if r.s.enc == encCell && backslashesBefore(t, i)%2 == 0 {
				esc(i)
			}
			i++
		case '\\':
			n := run(t, i, '\\')
			switch {
			case n%2 == 0:
			case i+n < len(t) && isASCIIPunct(t[i+n]):
				n++ // an escape: the character after it is text already
			case i+n == len(t) && (next != edge || r.s.enc == encCell) && !r.escapedInSource(next):
				esc(i) // it would escape what comes next
			}
			i += n
		case '<':
			if htmlAt(t, i) {
				esc(i) // HTML or an autolink
			}
			i++
		case '*', '_', '~':
			n := run(t, i, c)
			switch {
			case r.robust:
				for k := i; k < i+n; k++ {
					esc(k)
				}
			case !r.risky && r.delimiters(c) >= 2:
				prev, after := r.prevRune(t, i), runeAt(t, i+n, next)
				r.risky = canOpen(c, prev, after) || canClose(c, prev, after)
			}
			i += n
		case '`':
			n := run(t, i, c)
			switch {
			case r.robust:
				for k := i; k < i+n; k++ {
					esc(k)
				}
			case r.backticks() >= 2:
				r.risky = true
			}
			i += n
		case ':':
			if backslashesBefore(t, i)%2 == 0 && (r.schemeAt(t, i) || shortcodeAt(t, i, next)) {
				esc(i)
			}
			i++
		case '[', ']':
			if backslashesBefore(t, i)%2 == 1 {
				i++
				continue
			}
			// "](" and "][" may close a link, and with the document's
			// link references defined any "[…]" may be one.
			link := c == ']' && i+1 < len(t) && (t[i+1] == '(' || t[i+1] == '[') || c == '[' && len(r.s.refs) > 0
			switch {
			case c == '[' && i+1 < len(t) && t[i+1] == '^' && !r.inSource(t, i):
				esc(i) // a footnote reference
			case r.robust && (r.labels > 0 || link):
				esc(i)
			case r.labels > 0 || link:
				r.risky = true
			}
			i++
		case '.':
			if i >= 3 && t[i-3:i] == "www" && r.linkifies(t, i-3) {
				esc(i) // www.x.org would be a link
			}
			i++
		default:
			i++
		}
	}
	b.WriteString(t[pos:])
}

// htmlAt reports whether t[i:] starts with what goldmark would read as raw
// HTML or an autolink: "<" then a letter, "/", "!" or "?", and a ">" to
// close it on the same line before another "<".
func htmlAt(t string, i int) bool {
	if i+1 >= len(t) || !isASCIILetter(t[i+1]) && strings.IndexByte("/!?", t[i+1]) < 0 {
		return false
	}
	k := strings.IndexAny(t[i+1:], "<>\n")
	return k >= 0 && t[i+1+k] == '>'
}

// schemeAt reports whether the colon at t[i] ends a URL scheme ("http://")
// where linkify or the segmenter would read a URL: not glued to a letter
// or digit before it.
func (r *renderer) schemeAt(t string, i int) bool {
	if !strings.HasPrefix(t[i:], "://") {
		return false
	}
	for _, s := range []string{"https", "http", "ftp"} {
		if i >= len(s) && strings.EqualFold(t[i-len(s):i], s) {
			k := i - len(s)
			prev := r.prevByte(t, k)
			return !isASCIIAlnum(prev)
		}
	}
	return false
}

// linkifies reports whether linkify would start reading at t[k]: at a line
// start, or after white space, '*', '_', '~' or '('.
func (r *renderer) linkifies(t string, k int) bool {
	prev := r.prevByte(t, k)
	return prev == 0 || prev == '\n' || strings.IndexByte(" \t*_~(", prev) >= 0
}

// prevByte returns the byte written before t[k], or 0 at the segment's
// start.
func (r *renderer) prevByte(t string, k int) byte {
	if k > 0 {
		return t[k-1]
	}
	if r.b.Len() > r.mark {
		return r.b.Bytes()[r.b.Len()-1]
	}
	return 0
}

// inSource reports whether the bracketed group at t[i:] is in the
// segment's own text as well: it was text there, and is text here.
func (r *renderer) inSource(t string, i int) bool {
	k := strings.IndexByte(t[i:], ']')
	return k > 0 && strings.Contains(r.s.Text, t[i:i+k+1])
}

// startLine writes what starts a line of translated text at t[i:]: its
// leading white space is dropped (indentation would change the block), and
// what would start a block (a heading, list item, quote, fence, thematic
// break, setext underline, table or link definition) is escaped: at the
// paragraph's start with backslashes, on a later line by an indentation of
// four spaces.
// It returns where to go on scanning and the start of the text not yet
// written.
func (r *renderer) startLine(t string, i int, next rune) (int, int) {
	first := r.b.Len() == r.mark // the segment's first line: a block's start
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	if i == len(t) {
		return i, i // a tag starts the line
	}
	if t[i] == '\n' {
		r.breaks++ // an empty line: dropped (see lineBreak)
		return i + 1, i + 1
	}
	r.lineStart = false
	line := t[i:]
	complete := next == edge // the line ends in this text
	if k := strings.IndexByte(line, '\n'); k >= 0 {
		line, complete = line[:k], true
	}
	after := func(k int) rune {
		if k < len(line) {
			c, _ := utf8.DecodeRuneInString(line[k:])
			return c
		}
		if complete {
			return edge
		}
		return next
	}
	ends := func(k int) bool { a := after(k); return a == ' ' || a == '\t' || a == edge }
	at := -1
	switch c := line[0]; {
	case c == '#':
		if n := run(line, 0, '#'); n <= 6 && ends(n) {
			at = 0
		}
	case c == '>':
		at = 0
	case c == '-' || c == '+' || c == '*':
		if ends(1) {
			at = 0
		}
	case c >= '0' && c <= '9':
		// Any number starts an ordered list at a paragraph's start; only 1
		// interrupts a paragraph.
		n := 0
		for n < len(line) && n < 10 && line[n] >= '0' && line[n] <= '9' {
			n++
		}
		if n <= 9 && n < len(line) && (line[n] == '.' || line[n] == ')') && ends(n+1) && (first || line[:n] == "1") {
			at = n
		}
	case c == '`' || c == '~':
		// A fence; a backtick fence's info string has no backtick.
		if n := run(line, 0, c); n >= 3 && (c == '~' || strings.IndexByte(line[n:], '`') < 0) {
			at = 0
		}
	case c == '[':
		if first && strings.Contains(line, "]:") {
			at = 0 // a link reference definition (it cannot interrupt a paragraph)
		}
	}
	if at < 0 && complete && (ruleLine(line) || !first && delimiterRow(line)) {
		at = 0
	}
	if at < 0 {
		return i, i
	}
	hard := r.hardBreak
	r.hardBreak = false
	if !first && !hard {
		// (After a hard break, the reader takes the next line's
		// indentation into the break: backslashes there.)
		// A paragraph's continuation line indented four columns past the
		// paragraph's own is still text, and starts no block: no
		// backslash, which inside a code span or next to delimiters would
		// be read otherwise.
		bs := r.b.Bytes()
		col := columns(bs[bytes.LastIndexByte(bs, '\n')+1:])
		for k := col; k < r.s.indent+4; k++ {
			r.b.WriteByte(' ')
		}
		return i, i
	}
	r.b.WriteString(line[:at])
	if c := line[at]; c == '*' || c == '_' || c == '`' || c == '~' {
		// Every character of a delimiter run: escaping one would leave a
		// shorter run that may now open or close emphasis or a code span.
		n := run(line, at, c)
		for k := 0; k < n; k++ {
			r.b.WriteString("\\" + line[at:at+1])
		}
		return i + at + n, i + at + n
	}
	r.b.WriteByte('\\')
	return i + at + 1, i + at
}

// delimiterRow reports whether line could be a table's delimiter row
// ("--- | :---:"), which makes a table of the paragraph line above it.
func delimiterRow(line string) bool {
	line = strings.TrimSpace(line)
	return strings.Contains(line, "-") && strings.Trim(line, "-|: \t") == "" &&
		(strings.Contains(line, "|") || strings.Contains(line, ":"))
}

// columns returns the width of a line's prefix, a tab to the next multiple
// of four.
func columns(prefix []byte) int {
	n := 0
	for _, c := range prefix {
		if c == '\t' {
			n += 4 - n%4
		} else {
			n++
		}
	}
	return n
}

// ruleLine reports whether line is a setext underline ("===", "--") or a
// thematic break ("***", "- - -").
func ruleLine(line string) bool {
	line = strings.TrimRight(line, " \t")
	if line == "" {
		return false
	}
	c := line[0]
	if strings.IndexByte("-=*_", c) < 0 {
		return false
	}
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case c:
			n++
		case ' ', '\t':
			if c == '=' {
				return false
			}
		default:
			return false
		}
	}
	return c == '=' || c == '-' && !strings.ContainsAny(line, " \t") || n >= 3
}

// delimiters returns how many delimiter runs of c (text and tags) the
// target has: a run of literal asterisks can only become emphasis with
// another.
func (r *renderer) delimiters(c byte) int {
	r.count()
	return r.runs[strings.IndexByte("*_~", c)]
}

// backticks returns how many literal backtick runs and code spans the
// target has.
func (r *renderer) backticks() int {
	r.count()
	return r.ticks
}

func (r *renderer) count() {
	if r.counted {
		return
	}
	r.counted = true
	for _, tok := range tags.Parse(r.target) {
		if tok.Kind != tags.Text {
			if tok.ID < 1 || tok.ID > len(r.s.Tags) {
				continue
			}
			t := &r.s.Tags[tok.ID-1]
			switch {
			case t.Kind == CodeTag:
				r.ticks++
			case flanked(t.Kind) && tok.Kind == tags.Open:
				r.runs[strings.IndexByte("*_~", t.Open[0])] += 2
			}
			continue
		}
		s := tok.Text
		for i := 0; i < len(s); {
			k := strings.IndexAny(s[i:], "*_~`")
			if k < 0 {
				break
			}
			i += k
			c := s[i]
			n := run(s, i, c)
			if backslashesBefore(s, i)%2 == 0 {
				if c == '`' {
					r.ticks++
				} else {
					r.runs[strings.IndexByte("*_~", c)]++
				}
			}
			i += n
		}
	}
}

// prevRune returns the character written before t[i].
func (r *renderer) prevRune(t string, i int) rune {
	if i > 0 {
		c, _ := utf8.DecodeLastRuneInString(t[:i])
		return c
	}
	if r.b.Len() == 0 {
		return edge
	}
	c, _ := utf8.DecodeLastRune(r.b.Bytes())
	return c
}

// runeAt returns the character at t[i], a line ending as a space, or next
// past the end.
func runeAt(t string, i int, next rune) rune {
	if i >= len(t) {
		return next
	}
	if t[i] == '\n' {
		return ' '
	}
	c, _ := utf8.DecodeRuneInString(t[i:])
	return c
}

// run returns the length of the run of c at t[i].
func run(t string, i int, c byte) int {
	n := 0
	for i+n < len(t) && t[i+n] == c {
		n++
	}
	return n
}

// backslashesBefore returns how many backslashes come right before t[i].
func backslashesBefore(t string, i int) int {
	n := 0
	for i-n > 0 && t[i-n-1] == '\\' {
		n++
	}
	return n
}

// shortcodeAt reports whether the colon at t[i] opens an emoji shortcode
// by the segmenter's rule (see spanWalker.shortcodes); next is the
// character after t.
func shortcodeAt(t string, i int, next rune) bool {
	j := i + 1
	letter := false
	for j < len(t) && j-i <= 40 && isShortcodeByte(t[j]) {
		letter = letter || t[j] >= 'a' && t[j] <= 'z'
		j++
	}
	if j == i+1 || !letter {
		return false
	}
	if j < len(t) {
		return t[j] == ':'
	}
	return next == ':' && j-i <= 40
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
