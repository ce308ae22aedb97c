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
// as is: text that looks like a tag, and [[…]] wiki spans.
func addLiterals(src []byte, spans []span, start, end int, wiki wikiMode) []span {
	var lits []span
	pos := start
	for i := 0; i <= len(spans); i++ {
		stop := end
		if i < len(spans) {
			stop = spans[i].start
		}
		lits = literals(src, pos, stop, lits, wiki)
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

// literals appends a LiteralTag span for each tag look-alike in
// src[from:to], and the spans of each wiki span (see wikiSpans).
func literals(src []byte, from, to int, out []span, wiki wikiMode) []span {
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
			var next int
			out, next = wikiSpans(src, from, i, to, out, wiki)
			i = next - 1
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
			seg.Tags = append(seg.Tags, Tag{ID: len(seg.Tags) + 1, Kind: s.tag.kind, Paired: true, Open: raw, Dest: s.tag.dest, text: s.tag.text})
			s.tag.id = len(seg.Tags)
			b.WriteString(tags.G(s.tag.id))
			seg.inner = seg.inner || s.tag.kind == WikiTag
		case spanClose:
			t := &seg.Tags[s.tag.id-1]
			t.Close = raw
			if c := s.tag.cut; c[1] > 0 {
				t.cut = [2]int{c[0] - s.start, c[1] - s.start}
			}
			if tt := s.tag.title; tt[1] > 0 {
				t.title = [2]int{tt[0] - s.start, tt[1] - s.start}
			}
			b.WriteString(tags.EndG(s.tag.id))
		case spanTitle:
			id := len(seg.Tags) + 1
			seg.Tags = append(seg.Tags, Tag{ID: id, Kind: TitleTag, Paired: true, owner: s.tag.owner.id, text: s.tag.text})
			b.WriteString(tags.G(id))
			b.WriteString(s.tag.text)
			b.WriteString(tags.EndG(id))
			letter = letter || hasLetter(s.tag.text)
			seg.inner = true
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
