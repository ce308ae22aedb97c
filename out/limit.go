package out

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
)

// ErrTooLarge is returned by [ReadLimited] for a bilingual file larger
// than a run with the same source limit can write.
var ErrTooLarge = errors.New("out: bilingual file too large")

// textFactor bounds the text of a bilingual file in multiples of its
// source's limit: the source, then a target and a stale unit's previous
// target of up to 3.5 times the source's bytes each (a Latin-script source
// translated into Thai or Devanagari takes three bytes a letter).
const textFactor = 8

// maxCommentLine bounds one diglot comment line (header, marker, previous
// marker): real ones are well under 200 bytes.
const maxCommentLine = 4 << 10

// longLine is the length past which a line counts as text whatever it
// holds: a line is not looked at until it ends, and one that does not end
// must not be read without bound.
const longLine = 64 << 10

// ReadLimited reads a whole bilingual file from r, refusing it with
// [ErrTooLarge] once it is larger than a file made from a source of at
// most maxSource bytes can be: the source, its target and a stale unit's
// previous target, at most 8 × maxSource bytes of text (blank lines
// aside; a target may take more bytes than its source), plus its diglot
// comment lines (the header and markers, each at most 4 KiB and no more of
// them than lines of text). The limit thus follows from the limit on
// sources: what a run writes, readers with the same limit read. A line
// longer than 64 KiB counts as text whatever it holds.
func ReadLimited(r io.Reader, maxSource int64) ([]byte, error) {
	limit := textFactor * maxSource
	var data []byte
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		// A file's size is known: hold it in one buffer rather than
		// growing one (a growing buffer costs up to three times the
		// file while it grows). No more is set aside than a file
		// within the limit can take.
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			data = make([]byte, 0, min(fi.Size(), 2*limit)+1)
		}
	}
	var text, textLines, comments int64
	count := func(line []byte) error {
		switch {
		case len(line) > longLine:
			text += int64(len(line))
			textLines++
		case bytes.HasPrefix(line, []byte(cutPrefix)) && len(line) <= maxCommentLine:
			comments++
		case !isBlank(line):
			// Blank lines do not count: the writer adds some.
			text += int64(len(line))
			textLines++
		}
		if text > limit || comments > textLines+1 {
			return tooLarge(maxSource)
		}
		return nil
	}
	scanned := 0 // data[:scanned] is counted
	for {
		if len(data) == cap(data) {
			data = slices.Grow(data, max(len(data), 64<<10))
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		for {
			i := bytes.IndexByte(data[scanned:], '\n')
			if i < 0 {
				break
			}
			if err := count(data[scanned : scanned+i+1]); err != nil {
				return nil, err
			}
			scanned += i + 1
		}
		if rest := int64(len(data) - scanned); rest > longLine && text+rest > limit {
			return nil, tooLarge(maxSource) // a long line that does not end
		}
		if err == io.EOF {
			if scanned < len(data) {
				if err := count(data[scanned:]); err != nil {
					return nil, err
				}
			}
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func tooLarge(maxSource int64) error {
	return fmt.Errorf("%w: more than %d × %d bytes of text (source, target and previous target of a source of at most %d bytes)", ErrTooLarge, textFactor, maxSource, maxSource)
}
