package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"

	"github.com/diglot/diglot/tags"
)

// A translation changes the characters around emphasis delimiters: "said
// **“quoted”**", "**强调：**的" turned into English, a word glued to an
// underscore. CommonMark decides from those neighbours whether a delimiter
// run opens or closes emphasis (its flanking rules), so a delimiter that
// parsed in the source may not parse in the translation, and the output
// would not read back. When writing a translated segment, openDelimiter and
// closeDelimiter keep each delimiter able to do its job: white space just
// inside moves outside, and where that is not enough a space goes outside.
// The source's own text never needs either (it parsed), so round trips
// stay byte for byte.

// flanked reports whether a tag kind's delimiters follow flanking rules.
func flanked(k TagKind) bool { return k == EmphasisTag || k == StrongTag || k == StrikeTag }

// openDelimiter writes tag's opening delimiter; rest is the target after
// it. It returns how many bytes of rest it consumed (white space it moved
// before the delimiter).
func (r *renderer) openDelimiter(tag *Tag, rest string) int {
	s, b := r.s, r.b
	c := tag.Open[0]
	moved := 0
	if !s.startsRun(rest, c, tags.Open) {
		moved = len(rest) - len(strings.TrimLeft(rest, " \t"))
	}
	b.WriteString(rest[:moved])
	if r.robust && b.Len() == r.closedAt && endsWith(b, c) {
		b.WriteByte(' ') // a closing run must not go on into an opening one
	}
	prev := runPrev(b, c)
	next := s.runNext(rest[moved:], c, tags.Open)
	bad := !canOpen(c, prev, next) || r.robust && canClose(c, prev, next)
	if bad && !isSpace(prev) && !endsWith(b, c) {
		b.WriteByte(' ')
	}
	r.delims = append(r.delims, delimAt{b.Len(), len(tag.Open), true})
	b.WriteString(tag.Open)
	return moved
}

// closeDelimiter writes tag's closing delimiter; rest is the target after
// it.
func (r *renderer) closeDelimiter(tag *Tag, rest string, floor int) {
	s, b := r.s, r.b
	c := tag.Close[0]
	trimmed := b.Len()
	for trimmed > floor && (b.Bytes()[trimmed-1] == ' ' || b.Bytes()[trimmed-1] == '\t') {
		trimmed--
	}
	moved := string(b.Bytes()[trimmed:])
	b.Truncate(trimmed)
	prev := runPrev(b, c)
	r.delims = append(r.delims, delimAt{b.Len(), len(tag.Close), false})
	b.WriteString(tag.Close)
	r.closedAt = b.Len()
	b.WriteString(moved)
	if moved != "" || s.startsRun(rest, c, tags.Close) {
		return
	}
	next := s.runNext(rest, c, tags.Close)
	if !canClose(c, prev, next) || r.robust && canOpen(c, prev, next) {
		b.WriteByte(' ')
	}
}

// A delimiter run is every delimiter character in a row: the "*" and "**"
// of nested tags in "***bar***" form one run, and CommonMark judges the
// run by the characters around all of it. runPrev and runNext look past
// the run's other delimiters.

// runPrev returns the last character written before the run that ends b.
func runPrev(b *bytes.Buffer, c byte) rune {
	bs := b.Bytes()
	i := len(bs)
	for i > 0 && bs[i-1] == c {
		i--
	}
	if i == 0 {
		return edge
	}
	r, _ := utf8.DecodeLastRune(bs[:i])
	return r
}

func endsWith(b *bytes.Buffer, c byte) bool { return b.Len() > 0 && b.Bytes()[b.Len()-1] == c }

// startsRun reports whether rest starts with another delimiter tag of kind
// and character c: the run goes on, so the decision belongs to its end.
func (s *Segment) startsRun(rest string, c byte, kind tags.Kind) bool {
	k, id, n := tags.Match(rest)
	if n == 0 || k != kind || id < 1 || id > len(s.Tags) || !flanked(s.Tags[id-1].Kind) {
		return false
	}
	t := s.Tags[id-1]
	d := t.Open
	if kind == tags.Close {
		d = t.Close
	}
	return d != "" && d[0] == c
}

// runNext returns the first character after the run that rest may
// continue: it skips delimiter tags of kind and character c.
func (s *Segment) runNext(rest string, c byte, kind tags.Kind) rune {
	for s.startsRun(rest, c, kind) {
		_, _, n := tags.Match(rest)
		rest = rest[n:]
	}
	return s.nextRune(rest)
}

// edge stands for the start or end of a line around a delimiter run.
const edge rune = -1

// canOpen and canClose are CommonMark's rules for a delimiter run of c
// between prev and next (edge at a line's start or end).
func canOpen(c byte, prev, next rune) bool {
	left, right := flanks(prev, next)
	return left && (c != '_' || !right || isPunct(prev))
}

func canClose(c byte, prev, next rune) bool {
	left, right := flanks(prev, next)
	return right && (c != '_' || !left || isPunct(next))
}

func flanks(prev, next rune) (left, right bool) {
	left = !isSpace(next) && (!isPunct(next) || isSpace(prev) || isPunct(prev))
	right = !isSpace(prev) && (!isPunct(prev) || isSpace(next) || isPunct(next))
	return left, right
}

// isSpace and isPunct are goldmark's own classes (the parser decides, so
// the writer must agree with it exactly).
func isSpace(r rune) bool { return r == edge || util.IsSpaceRune(r) }

func isPunct(r rune) bool { return r != edge && util.IsPunctRune(r) }

// nextRune returns the first character the rest of a target renders to:
// its text, or the first byte of the tag it starts with; edge at the end.
func (s *Segment) nextRune(rest string) rune {
	if rest == "" {
		return edge
	}
	if kind, id, n := tags.Match(rest); n > 0 && id >= 1 && id <= len(s.Tags) {
		t := s.Tags[id-1]
		bs := t.Open
		if kind == tags.Close {
			bs = t.Close
		}
		if bs != "" {
			r, _ := utf8.DecodeRuneInString(bs)
			return r
		}
	}
	if rest[0] == '\n' {
		return ' '
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r
}

// spacesOutside moves white space that a translation put just inside paired
// emphasis tags ("<g1> word </g1>") outside them, repeatedly, so nested
// tags get it right ("a?</g2></g1> "): a delimiter next to white space
// inside cannot open or close. The source's own text never has any there.
func (s *Segment) spacesOutside(target string) string {
	if !strings.ContainsAny(target, " \t") || !strings.Contains(target, "<g") {
		return target
	}
	for changed := true; changed; {
		changed = false
		toks := tags.Parse(target)
		if !s.spaceInside(toks) {
			return target
		}
		for i, t := range toks {
			if t.Kind == tags.Text || t.ID < 1 || t.ID > len(s.Tags) || !flanked(s.Tags[t.ID-1].Kind) {
				continue
			}
			switch {
			case t.Kind == tags.Open && i+1 < len(toks) && toks[i+1].Kind == tags.Text && startsSpace(toks[i+1].Text):
				ws := leadingSpace(toks[i+1].Text)
				toks[i].Text, toks[i+1].Text = ws+t.Text, toks[i+1].Text[len(ws):]
				changed = true
			case t.Kind == tags.Close && i > 0 && toks[i-1].Kind == tags.Text && endsSpace(toks[i-1].Text):
				prev := toks[i-1].Text
				ws := prev[len(strings.TrimRight(prev, " \t")):]
				toks[i-1].Text, toks[i].Text = prev[:len(prev)-len(ws)], t.Text+ws
				changed = true
			}
			if changed {
				break
			}
		}
		var b strings.Builder
		for _, t := range toks {
			b.WriteString(t.Text)
		}
		target = b.String()
	}
	return target
}

// spaceInside reports whether any paired emphasis tag has white space just
// inside it, so that most segments are left without rebuilding them.
func (s *Segment) spaceInside(toks []tags.Token) bool {
	for i, t := range toks {
		if t.Kind == tags.Text || t.ID < 1 || t.ID > len(s.Tags) || !flanked(s.Tags[t.ID-1].Kind) {
			continue
		}
		if t.Kind == tags.Open && i+1 < len(toks) && toks[i+1].Kind == tags.Text && startsSpace(toks[i+1].Text) ||
			t.Kind == tags.Close && i > 0 && toks[i-1].Kind == tags.Text && endsSpace(toks[i-1].Text) {
			return true
		}
	}
	return false
}

func startsSpace(s string) bool { return s != "" && (s[0] == ' ' || s[0] == '\t') }
func endsSpace(s string) bool   { return s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') }
func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}
