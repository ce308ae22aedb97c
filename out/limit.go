package out

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// ReadLimited reads a whole bilingual file from r, refusing it with
// [ErrTooLarge] once it is larger than a file made from a source of at
// most maxSource bytes can be: the source, its target and a stale unit's
// previous target, at most 8 × maxSource bytes of text (blank lines
// aside; a target may take more bytes than its source), plus its diglot
// comment lines (the header and markers, each at most 4 KiB and no more of
// them than lines of text). The limit thus follows from the limit on
// sources: what a run writes, readers with the same limit read.
func ReadLimited(r io.Reader, maxSource int64) ([]byte, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var data []byte
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		// A file's size is known: hold it in one buffer rather than
		// growing one (a growing buffer costs up to three times the
		// file while it grows). No more is set aside than a file
		// within the limit can take.
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			data = make([]byte, 0, min(fi.Size(), 2*textFactor*maxSource)+1)
		}
	}
	var text, textLines, comments int64
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A long line is text: only short lines are comments.
			data = append(data, line...)
			text += int64(len(line))
			if text > textFactor*maxSource {
				return nil, tooLarge(maxSource)
			}
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) > 0 {
			data = append(data, line...)
			switch {
			case bytes.HasPrefix(line, []byte(cutPrefix)) && len(line) <= maxCommentLine:
				comments++
			case !isBlank(line):
				// Blank lines do not count: the writer adds some.
				text += int64(len(line))
				textLines++
			}
			if text > textFactor*maxSource || comments > textLines+1 {
				return nil, tooLarge(maxSource)
			}
		}
		if err == io.EOF {
			return data, nil
		}
	}
}

func tooLarge(maxSource int64) error {
	return fmt.Errorf("%w: more than %d × %d bytes of text (source, target and previous target of a source of at most %d bytes)", ErrTooLarge, textFactor, maxSource, maxSource)
}
