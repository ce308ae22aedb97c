package markdown

import (
	"bytes"
	"fmt"
)

// AssembleSegment returns the bytes of the top-level block holding segment
// i, with that segment's text replaced by target (neutral form) and every
// other segment of the block as in the source. It lets a caller check one
// translation in its block's context, the way the block will be written,
// without building targets for the whole document.
func (d *Document) AssembleSegment(i int, target string) ([]byte, error) {
	if i < 0 || i >= len(d.Segments) {
		return nil, fmt.Errorf("%w: no segment %d", ErrTargets, i)
	}
	s := &d.Segments[i]
	blk := d.Blocks[s.Block]
	var b bytes.Buffer
	b.Grow(blk.End - blk.Start + len(target))
	b.Write(d.src[blk.Start:s.start])
	raw := d.src[s.start:s.end]
	if target == s.Text {
		b.Write(raw)
	} else if err := s.renderTo(&b, target, raw); err != nil {
		return nil, fmt.Errorf("%w: segment %d (line %d): %w", ErrTargets, i, s.Line, err)
	}
	b.Write(d.src[s.end:blk.End])
	return b.Bytes(), nil
}
