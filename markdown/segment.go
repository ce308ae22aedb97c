package markdown

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/diglot/diglot/tags"
)

// mergeBreaks adds the line-break spans to the tag spans. A break inside a
// tag (a code span or link destination across lines) belongs to the tag.
// ok is false when two tags overlap: the block's bytes were not located.
func mergeBreaks(tagSpans, breaks []span) ([]span, bool) {
	if len(breaks) == 0 {
		return tagSpans, true
	}
	if len(tagSpans) == 0 {
		return breaks, true
	}
	all := make([]span, 0, len(tagSpans)+len(breaks))
	i, j := 0, 0
	for i < len(tagSpans) || j < len(breaks) {
		if j == len(breaks) || i < len(tagSpans) && tagSpans[i].start <= breaks[j].start {
			all = append(all, tagSpans[i])
			i++
		} else {
			all = append(all, breaks[j])
			j++
		}
	}
	out := all[:0]
	for _, s := range all {
		if len(out) == 0 || s.start >= out[len(out)-1].end {
			out = append(out, s)
			continue
		}
		last := &out[len(out)-1]
		switch {
		case isBreak(s.kind):
		case isBreak(last.kind):
			*last = s
		default:
			return nil, false
		}
	}
	return out, true
}

func isBreak(k spanKind) bool { return k == spanBreak || k == spanHard }

// addLiterals protects what the plain text between spans must not carry
// as is: text that looks like a tag, and [[…]] wiki spans kept intact.
func addLiterals(src []byte, spans []span, start, end int) []span {
	var lits []span
	pos := start
	for i := 0; i <= len(spans); i++ {
		stop := end
		if i < len(spans) {
			stop = spans[i].start
		}
		lits = literals(src, pos, stop, lits)
		if i < len(spans) {
			pos = spans[i].end
		}
	}
	if lits == nil {
		return spans
	}
	all := append(spans, lits...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
	return all
}

// literals appends a LiteralTag span for each tag look-alike and wiki span
// in src[from:to].
func literals(src []byte, from, to int, out []span) []span {
	noWiki := false
	for i := from; i < to; i++ {
		k := bytes.IndexAny(src[i:to], "<[")
		if k < 0 {
			return out
		}
		i += k
		switch src[i] {
		case '<':
			if _, _, n := tags.Match(string(src[i:min(to, i+16)])); n > 0 {
				out = append(out, literal(i, i+n))
				i += n - 1
			}
		case '[':
			if i+1 < to && src[i+1] == '[' && !noWiki {
				j := bytes.Index(src[i+2:to], []byte("]]"))
				if j < 0 {
					noWiki = true // no later "[[" can close either
					continue
				}
				out = append(out, literal(i, i+j+4))
				i += j + 3
			}
		}
	}
	return out
}

func literal(s, e int) span {
	return span{start: s, end: e, kind: spanStandalone, tag: &pendingTag{kind: LiteralTag}}
}

// buildSegment numbers the tags and writes the neutral text of
// src[start:end] with spans replaced. ok is also false when the text has
// no letter outside its tags: nothing to translate.
//
// ok is false when a text run between spans holds a line ending that is not
// a known line break: "\n" in the text would not come back as those bytes.
// With that excluded (and tag look-alikes protected by addLiterals), the
// text renders back to src[start:end] by construction.
func buildSegment(src []byte, spans []span, start, end int) (seg Segment, ok bool) {
	seg = Segment{start: start, end: end}
	ntags := 0
	for _, s := range spans {
		if s.kind != spanBreak && s.kind != spanClose {
			ntags++
		}
	}
	seg.Tags = make([]Tag, 0, ntags)
	var b strings.Builder
	b.Grow(end - start)
	pos := start
	letter := false
	for _, s := range spans {
		chunk := src[pos:s.start]
		if bytes.IndexByte(chunk, '\n') >= 0 {
			return seg, false
		}
		letter = letter || hasLetterBytes(chunk)
		b.Write(chunk)
		pos = s.end
		raw := string(src[s.start:s.end])
		switch s.kind {
		case spanBreak:
			b.WriteByte('\n')
			seg.lineBreaks = append(seg.lineBreaks, raw)
		case spanHard:
			seg.Tags = append(seg.Tags, Tag{ID: len(seg.Tags) + 1, Kind: BreakTag, Open: raw})
			b.WriteString(tags.X(len(seg.Tags)))
		case spanStandalone:
			seg.Tags = append(seg.Tags, Tag{ID: len(seg.Tags) + 1, Kind: s.tag.kind, Open: raw, Dest: s.tag.dest})
			b.WriteString(tags.X(len(seg.Tags)))
		case spanOpen:
			seg.Tags = append(seg.Tags, Tag{ID: len(seg.Tags) + 1, Kind: s.tag.kind, Paired: true, Open: raw, Dest: s.tag.dest})
			s.tag.id = len(seg.Tags)
			b.WriteString(tags.G(s.tag.id))
		case spanClose:
			seg.Tags[s.tag.id-1].Close = raw
			b.WriteString(tags.EndG(s.tag.id))
		}
	}
	if bytes.IndexByte(src[pos:end], '\n') >= 0 {
		return seg, false
	}
	letter = letter || hasLetterBytes(src[pos:end])
	b.Write(src[pos:end])
	seg.Text = b.String()
	return seg, letter
}

// roundTrips reports whether the segment's own text renders back to raw;
// a segment that would not is left as skeleton.
func (s *Segment) roundTrips(raw []byte) bool {
	if s.enc == encYAML {
		return s.renderYAML(s.Text, raw) == string(raw)
	}
	var b bytes.Buffer
	return s.renderInline(&b, s.Text) && bytes.Equal(b.Bytes(), raw)
}

// render writes target (neutral form) back in the segment's context; raw
// is the segment's source bytes. A target whose tags do not match the
// segment's fails with the *tags.Error of tags.Check.
func (s *Segment) render(target string, raw []byte) (string, error) {
	var b bytes.Buffer
	err := s.renderTo(&b, target, raw)
	return b.String(), err
}

// renderTo is render writing to b; on error b is left as it was.
func (s *Segment) renderTo(b *bytes.Buffer, target string, raw []byte) error {
	if s.enc == encYAML {
		if err := tags.Check(s.Text, target); err != nil {
			return err
		}
		b.WriteString(s.renderYAML(target, raw))
		return nil
	}
	mark := b.Len()
	if s.renderInline(b, target) {
		return nil
	}
	b.Truncate(mark)
	if err := tags.Check(s.Text, target); err != nil {
		return err
	}
	return fmt.Errorf("%w: %q", tags.ErrMismatch, target)
}

// renderInline writes target as Markdown inline text. It returns false
// unless target holds each of the segment's tags exactly once, well nested,
// and no other tag (what tags.Check verifies, in one pass without maps).
func (s *Segment) renderInline(b *bytes.Buffer, target string) bool {
	target = s.spacesOutside(target)
	b.Grow(len(target) + len(target)/4)
	var seenBuf [32]uint8 // which of each tag's open and close were seen
	seen := seenBuf[:]
	if len(s.Tags) >= len(seen) {
		seen = make([]uint8, len(s.Tags)+1)
	}
	var stack []int
	breaks, count, text := 0, 0, 0
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
		s.writeText(b, target[text:i], &breaks)
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
			for b.Len() > chunk && (b.Bytes()[b.Len()-1] == ' ' || b.Bytes()[b.Len()-1] == '\t') {
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
			if kind == tags.Standalone && tag.Kind == AutolinkTag && !strings.HasPrefix(tag.Open, "<") {
				b.WriteString(tag.Open)
				if urlWouldGrow(tag.Open, target[i:]) {
					b.WriteByte(' ') // the text after a bare URL must not read as part of it
				}
			} else if kind == tags.Open && flanked(tag.Kind) {
				moved := s.openDelimiter(b, tag, target[i:])
				i += moved
				text = i
			} else {
				b.WriteString(tag.Open)
			}
		case tags.Close:
			if seen[id]&2 != 0 || len(stack) == 0 || stack[len(stack)-1] != id {
				return false
			}
			seen[id] |= 2
			stack = stack[:len(stack)-1]
			if flanked(tag.Kind) {
				s.closeDelimiter(b, tag, target[i:], chunk)
			} else {
				b.WriteString(tag.Close)
			}
		}
		count++
	}
	s.writeText(b, target[text:], &breaks)
	want := 0
	for _, t := range s.Tags {
		want++
		if t.Paired {
			want++
		}
	}
	return count == want && len(stack) == 0
}

// writeText writes translated text: each "\n" as the next saved line
// break (the last one again when the target has more), or a space where
// the source had none; in a table cell, unescaped pipes are escaped.
func (s *Segment) writeText(b *bytes.Buffer, text string, breaks *int) {
	for len(text) > 0 {
		var k int
		if s.enc == encCell {
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
		case s.enc == encCell || len(s.lineBreaks) == 0:
			b.WriteByte(' ')
			*breaks++
		case *breaks < len(s.lineBreaks):
			b.WriteString(s.lineBreaks[*breaks])
			*breaks++
		default:
			b.WriteString(s.lineBreaks[len(s.lineBreaks)-1])
			*breaks++
		}
		text = text[k+1:]
	}
}

// restore returns target with every tag replaced by its source bytes.
func (s *Segment) restore(target string) string {
	var b strings.Builder
	for _, t := range tags.Parse(target) {
		switch t.Kind {
		case tags.Text:
			b.WriteString(t.Text)
		case tags.Standalone, tags.Open:
			b.WriteString(s.Tags[t.ID-1].Open)
		case tags.Close:
			b.WriteString(s.Tags[t.ID-1].Close)
		}
	}
	return b.String()
}
