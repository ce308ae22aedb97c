package markdown

import (
	"bytes"
	"fmt"
)

// Assemble returns the document with each segment's text replaced by
// targets[i] (neutral form), tags restored to their source bytes and the text
// written back in its context (soft line breaks and container prefixes,
// escaping in table cells and YAML). With targets[i] == Segments[i].Text for
// every i, the result equals Source() byte for byte.
func (d *Document) Assemble(targets []string) ([]byte, error) {
	if len(targets) != len(d.Segments) {
		return nil, fmt.Errorf("%w: %d targets for %d segments", ErrTargets, len(targets), len(d.Segments))
	}
	var b bytes.Buffer
	b.Grow(len(d.src) + len(d.src)/3)
	if err := d.write(&b, 0, len(d.src), 0, len(d.Segments), targets); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Texts returns the texts of the segments: the targets for which Assemble
// returns the source.
func (d *Document) Texts() []string {
	out := make([]string, len(d.Segments))
	for i := range d.Segments {
		out[i] = d.Segments[i].Text
	}
	return out
}

// AssembleBlock returns the bytes of top-level block b with its segments
// replaced as in Assemble. targets is indexed like d.Segments.
func (d *Document) AssembleBlock(b int, targets []string) ([]byte, error) {
	if b < 0 || b >= len(d.Blocks) {
		return nil, fmt.Errorf("%w: no block %d", ErrTargets, b)
	}
	if len(targets) != len(d.Segments) {
		return nil, fmt.Errorf("%w: %d targets for %d segments", ErrTargets, len(targets), len(d.Segments))
	}
	blk := d.Blocks[b]
	first, last := 0, 0
	if len(blk.Segments) > 0 {
		first, last = blk.Segments[0], blk.Segments[len(blk.Segments)-1]+1
	}
	var buf bytes.Buffer
	if err := d.write(&buf, blk.Start, blk.End, first, last, targets); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// write writes src[start:end] with segments first..last-1 replaced.
func (d *Document) write(b *bytes.Buffer, start, end, first, last int, targets []string) error {
	pos := start
	for i := first; i < last; i++ {
		s := &d.Segments[i]
		b.Write(d.src[pos:s.start])
		raw := d.src[s.start:s.end]
		if targets[i] == s.Text {
			b.Write(raw)
		} else {
			if err := s.renderTo(b, targets[i], raw); err != nil {
				return fmt.Errorf("%w: segment %d (line %d): %w", ErrTargets, i, s.Line, err)
			}
		}
		pos = s.end
	}
	b.Write(d.src[pos:end])
	return nil
}
