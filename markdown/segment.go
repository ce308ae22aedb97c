package markdown

import (
	"bytes"
	"sort"
	"strings"

	"github.com/diglot/diglot/tags"
)

// mergeBreaks adds the line-break spans to the tag spans. A break inside a
// tag (a code span or link destination across lines) belongs to the tag.
// ok is false when two tags overlap: the block's bytes were not located.
func mergeBreaks(tagSpans, breaks []span) ([]span, bool) {
	all := append(append([]span(nil), tagSpans...), breaks...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].start < all[j].start })
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
	for i := from; i < to; i++ {
		switch src[i] {
		case '<':
			if _, _, n := tags.Match(string(src[i:min(to, i+16)])); n > 0 {
				out = append(out, literal(i, i+n))
				i += n - 1
			}
		case '[':
			if i+1 < to && src[i+1] == '[' {
				if j := bytes.Index(src[i+2:to], []byte("]]")); j >= 0 && bytes.IndexByte(src[i+2:i+2+j], '\n') < 0 {
					out = append(out, literal(i, i+j+4))
					i += j + 3
				}
			}
		}
	}
	return out
}

func literal(s, e int) span {
	return span{start: s, end: e, kind: spanStandalone, tag: &pendingTag{kind: LiteralTag}}
}

// buildSegment numbers the tags and writes the neutral text of
// src[start:end] with spans replaced.
func buildSegment(src []byte, spans []span, start, end int) Segment {
	seg := Segment{start: start, end: end}
	var b strings.Builder
	b.Grow(end - start)
	pos := start
	for _, s := range spans {
		b.Write(src[pos:s.start])
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
	b.Write(src[pos:end])
	seg.Text = b.String()
	return seg
}

// roundTrips reports whether the segment's own text renders back to raw;
// a segment that would not is left as skeleton.
func (s *Segment) roundTrips(raw []byte) bool {
	got, err := s.render(s.Text, raw)
	return err == nil && got == string(raw)
}

// render writes target (neutral form) back in the segment's context; raw
// is the segment's source bytes.
func (s *Segment) render(target string, raw []byte) (string, error) {
	if err := tags.Check(s.Text, target); err != nil {
		return "", err
	}
	if s.enc == encYAML {
		return s.renderYAML(target, raw), nil
	}
	var b strings.Builder
	b.Grow(len(target) + len(target)/4)
	breaks := 0
	for _, t := range tags.Parse(target) {
		switch t.Kind {
		case tags.Text:
			s.writeText(&b, t.Text, &breaks)
		case tags.Standalone, tags.Open:
			b.WriteString(s.Tags[t.ID-1].Open)
		case tags.Close:
			b.WriteString(s.Tags[t.ID-1].Close)
		}
	}
	return b.String(), nil
}

// writeText writes translated text: each "\n" as the next saved line
// break (the last one again when the target has more), or a space where
// the source had none; in a table cell, unescaped pipes are escaped.
func (s *Segment) writeText(b *strings.Builder, text string, breaks *int) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			switch {
			case s.enc == encCell || len(s.lineBreaks) == 0:
				b.WriteByte(' ')
			case *breaks < len(s.lineBreaks):
				b.WriteString(s.lineBreaks[*breaks])
			default:
				b.WriteString(s.lineBreaks[len(s.lineBreaks)-1])
			}
			*breaks++
		case c == '|' && s.enc == encCell && (i == 0 || text[i-1] != '\\'):
			b.WriteString(`\|`)
		default:
			b.WriteByte(c)
		}
	}
}

// tagStrings returns the tags of s by number, for restoring literal tags.
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
