package out

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
)

// Errors the reader returns, wrapped in a *ParseError that names the file
// and line.
var (
	// ErrNoHeader means the data is not a diglot bilingual file.
	ErrNoHeader = errors.New("out: not a diglot bilingual file (no header)")
	// ErrVersion means the file was written by a newer format version.
	ErrVersion = errors.New("out: unsupported bilingual format version")
	// ErrFormat means the file's layout is broken: a missing blank line, a
	// marker without its target, a source block changed by hand.
	ErrFormat = errors.New("out: malformed bilingual file")
	// ErrStructure means a target block no longer has its source block's
	// structure (an item added, a cell lost, a link dropped).
	ErrStructure = errors.New("out: target does not match its source")
)

// ParseError is a reader error located in the bilingual file.
type ParseError struct {
	File string // the name given to ReadBilingual
	Line int    // 1-based line in the bilingual file; 0 when not located
	Msg  string
	Err  error // ErrNoHeader, ErrVersion, ErrFormat, ErrStructure or an underlying error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns the sentinel or underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// Unit is one translated block read back from a bilingual file.
type Unit struct {
	ID    int // the marker's id: the unit's 1-based ordinal
	Block int // index of its source block in File.Source.Blocks
	State State
	Flags []string
	Src   string // the marker's src hash (equal to Hash of the source block)
	MT    string // the marker's mt hash: the target as the machine wrote it
	Line  int    // 1-based line of the marker in the bilingual file
	// TargetLine is the 1-based line where the target block starts.
	TargetLine int
	// TargetBytes is the target block exactly as it is in the file,
	// reviewer edits included.
	TargetBytes []byte
	// Targets is the target text of each segment of the source block
	// (File.Source.Blocks[Block].Segments, in order) in the neutral form
	// with the source segment's tag numbering.
	Targets []string
	// Previous is the earlier reviewed target of a stale unit, or nil.
	Previous []byte
	// Edited reports that the target no longer hashes to MT: a reviewer
	// changed it. A unit whose State was set to reviewed by hand is
	// approved even when not Edited.
	Edited bool
}

// Approved reports whether a reviewer edited or approved the unit.
func (u *Unit) Approved() bool { return u.Edited || u.State == StateReviewed }

// File is a bilingual file read back.
type File struct {
	Name   string
	Header Header
	// Source is the source document reconstructed byte for byte and parsed.
	Source *markdown.Document
	// Units holds the units in order; Units[i].ID == i+1.
	Units []Unit
}

// ReadOptions adjust ReadBilingualWithOptions. A nil *ReadOptions means
// the defaults.
type ReadOptions struct {
	// Markdown are the options the source was parsed with when it was
	// written (front-matter fields, depth). Nil means the defaults.
	Markdown *markdown.Options
}

// ReadBilingual reads a bilingual file (format v1). name is used in error
// messages only. It reconstructs the source exactly, maps each unit to its
// source block, and checks that every target block has its source block's
// structure; on any error nothing of the file is returned.
func ReadBilingual(name string, data []byte) (*File, error) {
	return ReadBilingualWithOptions(name, data, nil)
}

// ReadBilingualWithOptions is ReadBilingual with options.
func ReadBilingualWithOptions(name string, data []byte, opts *ReadOptions) (*File, error) {
	var mdOpts *markdown.Options
	if opts != nil {
		mdOpts = opts.Markdown
	}
	rejected := map[int]bool{}
	for {
		r := &reader{name: name, data: data, mdOpts: mdOpts, rejected: rejected}
		f, err := r.read()
		if errors.Is(err, errRetry) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return f, nil
	}
}

// piece is a run of source bytes found in the bilingual file.
type piece struct {
	data   []byte
	at     int  // offset of data in the bilingual file
	unit   int  // index into reader.units, or -1 for skeleton
	mayEOL bool // a line ending may have been added after data
}

// runit is a unit while it is being read.
type runit struct {
	m        marker
	at       int  // offset of the marker
	fm       bool // the front matter's unit
	line     int
	src      []byte // the source block
	tAt      int    // offset of the target block in the file
	target   []byte
	previous []byte
	prevSet  bool
	tMayEOL  bool // a line ending may have been added after target
}

// reader holds the state of one read.
type reader struct {
	name    string
	data    []byte
	mdOpts  *markdown.Options
	lines   []int // start offset of every line, then len(data)
	pieces  []piece
	units   []runit
	suspect *ParseError // a rejected marker worth naming if the file fails
	fm      bool        // the first piece is the source front matter
	// rejected holds the offsets of markers found to follow a block
	// without segments: crafted look-alikes, skipped when reading again.
	rejected map[int]bool
}

// errRetry asks read to start again with one more marker rejected.
var errRetry = errors.New("retry")

func (r *reader) fail(off int, err error, format string, args ...any) *ParseError {
	line := 0
	if off >= 0 {
		line = r.lineOf(off)
	}
	return &ParseError{File: r.name, Line: line, Msg: fmt.Sprintf(format, args...), Err: err}
}

// lineOf returns the 1-based line holding offset off.
func (r *reader) lineOf(off int) int {
	return sort.SearchInts(r.lines, off+1)
}

// lineAt returns the end (after its line ending) of the line starting at
// off.
func (r *reader) lineEnd(off int) int {
	if i := bytes.IndexByte(r.data[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(r.data)
}

// blankLineAt reports the end of the empty line ("\n" or "\r\n") starting
// at off, or -1.
func (r *reader) blankLineAt(off int) int {
	switch {
	case bytes.HasPrefix(r.data[off:], []byte("\n")):
		return off + 1
	case bytes.HasPrefix(r.data[off:], []byte("\r\n")):
		return off + 2
	}
	return -1
}

// cut returns the start of the first line at or after off that begins
// like a diglot comment, or len(data). Target and previous blocks never
// run past such a line.
func (r *reader) cut(off int) int {
	i := sort.SearchInts(r.lines, off)
	for ; i < len(r.lines)-1; i++ {
		if bytes.HasPrefix(r.data[r.lines[i]:], []byte(cutPrefix)) {
			return r.lines[i]
		}
	}
	return len(r.data)
}

func (r *reader) read() (*File, error) {
	data := r.data
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			c, n := utf8.DecodeRune(data[off:])
			if c == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		r.indexLines()
		return nil, r.fail(off, ErrFormat, "invalid UTF-8 at byte %d", off)
	}
	r.indexLines()
	pos := 0
	hasBOM := bytes.HasPrefix(data, []byte(bom))
	if hasBOM {
		pos = len(bom)
	}

	// The header: on the first line, or right after the front matter.
	hdrAt := -1
	var hdr Header
	for at := pos; at < len(data); at = r.lineEnd(at) {
		h, ok, err := parseHeader(data[at:r.lineEnd(at)])
		if err != nil {
			return nil, r.fail(at, err, "%v", err)
		}
		if ok {
			hdrAt, hdr = at, h
			break
		}
		if at == pos && !bytes.HasPrefix(data[pos:], []byte("---")) {
			break // neither a header nor front matter on the first line
		}
	}
	if hdrAt < 0 {
		return nil, r.fail(-1, ErrNoHeader, "not a diglot bilingual file: no %q header", headerPrefix+"1 … -->")
	}
	fm := data[pos:hdrAt]
	fmAt := pos
	pos = r.lineEnd(hdrAt)
	if pos < len(data) || endsLine(data[:pos]) {
		end := r.blankLineAt(pos)
		if end < 0 {
			if pos < len(data) {
				return nil, r.fail(pos, ErrFormat, "expected a blank line after the header")
			}
			// header then EOF: an empty source
		} else {
			pos = end
		}
	}

	if len(fm) > 0 {
		r.fm = true
		r.pieces = append(r.pieces, piece{data: fm, at: fmAt, unit: -1, mayEOL: true})
		var err error
		if pos, err = r.frontMatterUnit(pos); err != nil {
			return nil, err
		}
	}
	if err := r.body(pos); err != nil {
		return nil, err
	}
	return r.finish(hasBOM, hdr)
}

func (r *reader) indexLines() {
	r.lines = append(r.lines[:0], 0)
	for i, c := range r.data {
		if c == '\n' && i+1 < len(r.data) {
			r.lines = append(r.lines, i+1)
		}
	}
	r.lines = append(r.lines, len(r.data))
}

// frontMatterUnit reads the front matter's unit, if there is one, at pos:
// its marker, then the target front matter from its opening to its
// closing fence. It returns where the body starts.
func (r *reader) frontMatterUnit(pos int) (int, error) {
	if pos >= len(r.data) {
		return pos, nil
	}
	fmp := &r.pieces[len(r.pieces)-1]
	mEnd := r.lineEnd(pos)
	m, ok := parseMarker(r.data[pos:mEnd])
	if !ok || m.id != 1 || m.src != Hash(fmp.data) {
		return pos, nil
	}
	doc, err := markdown.Parse(fmp.data, r.mdOpts)
	if err != nil || len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter || len(doc.Blocks[0].Segments) == 0 {
		return pos, nil
	}
	if lineContent(r.data[mEnd:r.lineEnd(mEnd)]) != "---" {
		return 0, r.fail(mEnd, ErrStructure, "target front matter must start with a --- line after its marker")
	}
	end := r.fenced(mEnd)
	if end < 0 {
		return 0, r.fail(mEnd, ErrStructure, "target front matter is not closed")
	}
	end = r.takeBlankLines(end, trailingBlankLines(fmp.data))
	fmp.unit = len(r.units)
	u := runit{fm: true, m: m, at: pos, line: r.lineOf(pos), src: fmp.data, tAt: mEnd, target: r.data[mEnd:end]}
	return r.afterTarget(&u, end)
}

// fenced returns the end of the front matter whose opening --- line starts
// at off: after the next --- or ... line; -1 when there is none.
func (r *reader) fenced(off int) int {
	if lineContent(r.data[off:r.lineEnd(off)]) != "---" {
		return -1
	}
	for off = r.lineEnd(off); off < len(r.data); off = r.lineEnd(off) {
		if c := lineContent(r.data[off:r.lineEnd(off)]); c == "---" || c == "..." {
			return r.lineEnd(off)
		}
	}
	return -1
}

// takeBlankLines extends end over up to n blank lines.
func (r *reader) takeBlankLines(end, n int) int {
	for ; n > 0 && end < len(r.data); n-- {
		le := r.lineEnd(end)
		if !isBlank(r.data[end:le]) {
			break
		}
		end = le
	}
	return end
}

// firstBlock returns the length of the first top-level block of region
// when it starts at region's first byte and is not blank, else -1.
func (r *reader) firstBlock(region []byte) int {
	first := region
	if i := bytes.IndexByte(region, '\n'); i >= 0 {
		first = region[:i]
	}
	if len(region) == 0 || isBlank(first) {
		return -1
	}
	// A leading blank line keeps a first line of --- from being taken
	// for front matter.
	doc, err := markdown.ParseFragment(append([]byte("\n"), region...), nil, r.mdOpts)
	if err != nil {
		return -1
	}
	for _, b := range doc.Blocks {
		if b.Start == 1 && b.Kind != markdown.Blank {
			return min(b.End-1, len(region))
		}
		if b.Start >= 1 {
			break
		}
	}
	return -1
}

// lastBlock returns the start of the last non-blank top-level block of
// region (which ends at region's end) and whether that block has segments.
func (r *reader) lastBlock(region []byte) (start int, segs bool) {
	doc, err := markdown.ParseFragment(append([]byte("\n"), region...), nil, r.mdOpts)
	if err != nil {
		return -1, false
	}
	for i := len(doc.Blocks) - 1; i >= 0; i-- {
		b := doc.Blocks[i]
		if b.Kind == markdown.Blank {
			continue
		}
		if b.Start < 1 {
			return -1, false
		}
		return b.Start - 1, len(b.Segments) > 0
	}
	return -1, false
}

// maxTries bounds the candidate extents findSource and findTarget try by
// hashing before they parse instead.
const maxTries = 64

// findSource finds the source block that ends at end (before the blank
// line of a marker) and starts at or after pos, and whose Hash is src. It
// returns the block's start.
func (r *reader) findSource(pos, end int, src string) (int, bool) {
	// Most blocks start after a blank line, or a few lines below the block
	// before them: try the line starts since the last blank line first.
	li := r.lineOf(end) - 2 // the block's last line
	var cands []int
	for ; li >= 0 && r.lines[li] >= pos && len(cands) < maxTries; li-- {
		at := r.lines[li]
		if isBlank(r.data[at:r.lineEnd(at)]) {
			break
		}
		cands = append(cands, at)
	}
	for i := len(cands) - 1; i >= 0; i-- {
		if Hash(r.data[cands[i]:end]) == src {
			return cands[i], true
		}
	}
	// A block holding blank lines (a loose list, say): parse.
	s, segs := r.lastBlock(r.data[pos:end])
	if s < 0 || !segs || Hash(r.data[pos+s:end]) != src {
		return 0, false
	}
	return pos + s, true
}

// findTarget finds an unedited target block starting at start: the
// shortest run of lines whose Hash is mt and that a blank line, a diglot
// comment or the end of the file follows. It returns the block's end or
// -1; the caller then parses to find the block.
func (r *reader) findTarget(start int, mt string) int {
	limit := r.cut(start)
	tries := 0
	for off := start; off < limit && tries < maxTries; {
		next := r.lineEnd(off)
		if next > limit {
			break
		}
		if isBlank(r.data[off:next]) {
			break // a target never starts with or holds a blank line here
		}
		if next == limit || isBlank(r.data[next:r.lineEnd(next)]) {
			tries++
			if Hash(r.data[start:next]) == mt {
				return next
			}
		}
		off = next
	}
	return -1
}

// parseTarget finds the target block starting at start by parsing, for a
// source block src.
func (r *reader) parseTarget(start int, src []byte) int {
	region := r.data[start:r.cut(start)]
	kind := markdown.Blank
	if doc, err := markdown.ParseFragment(append([]byte("\n"), src...), nil, r.mdOpts); err == nil {
		for _, b := range doc.Blocks {
			if b.Start >= 1 && b.Kind != markdown.Blank {
				kind = b.Kind
				break
			}
		}
	}
	switch kind {
	case markdown.Paragraph, markdown.Heading, markdown.Quote, markdown.Table:
		// These blocks end at a blank line at the latest: parse no
		// further (a list or a code block in a list item may not).
		for off := start; off < start+len(region); off = r.lineEnd(off) {
			if isBlank(r.data[off:r.lineEnd(off)]) {
				region = region[:r.lineEnd(off)-start]
				break
			}
		}
	}
	n := r.firstBlock(region)
	if n < 0 {
		return -1
	}
	return start + len(trimBlankLines(region[:n]))
}

// body reads units and skeleton from pos to the end of the file.
func (r *reader) body(pos int) error {
	search := pos
	for {
		mAt, m, ok := r.nextMarker(search, len(r.units)+1)
		if !ok {
			if pos < len(r.data) {
				r.pieces = append(r.pieces, piece{data: r.data[pos:], at: pos, unit: -1})
			}
			return nil
		}
		mEnd := r.lineEnd(mAt)
		search = mEnd
		// A real marker follows, after exactly one blank line, a source
		// block with segments whose hash it carries (segments are checked
		// once the whole source is parsed; see finish).
		li := r.lineOf(mAt) - 2
		if li < 0 || r.rejected[mAt] {
			continue
		}
		bAt := r.lines[li]
		if bAt <= pos || r.blankLineAt(bAt) != mAt {
			continue
		}
		sAt, ok := r.findSource(pos, bAt, m.src)
		if !ok {
			if r.suspect == nil {
				r.suspect = r.fail(mAt, ErrFormat, "marker id=%d: src=%s does not match the source block above it (was the source edited?)", m.id, m.src)
			}
			continue
		}
		if sAt > pos {
			r.pieces = append(r.pieces, piece{data: r.data[pos:sAt], at: pos, unit: -1})
		}
		src := r.data[sAt:bAt]
		r.pieces = append(r.pieces, piece{data: src, at: sAt, unit: len(r.units), mayEOL: true})
		end := r.findTarget(mEnd, m.mt)
		if end < 0 {
			if end = r.parseTarget(mEnd, src); end < 0 {
				return r.fail(mEnd, ErrStructure, "marker id=%d is not followed by a target block", m.id)
			}
		}
		end = r.takeBlankLines(end, trailingBlankLines(src))
		u := runit{m: m, at: mAt, line: r.lineOf(mAt), src: src, tAt: mEnd, target: r.data[mEnd:end], tMayEOL: true}
		var err error
		if pos, err = r.afterTarget(&u, end); err != nil {
			return err
		}
		search = pos
	}
}

// nextMarker finds the first line at or after off that is a unit marker
// with the given id.
func (r *reader) nextMarker(off, id int) (int, marker, bool) {
	for i := sort.SearchInts(r.lines, off); i < len(r.lines)-1; i++ {
		at := r.lines[i]
		if !bytes.HasPrefix(r.data[at:], []byte(unitPrefix)) {
			continue
		}
		if m, ok := parseMarker(r.data[at:r.lineEnd(at)]); ok && m.id == id {
			return at, m, true
		}
	}
	return 0, marker{}, false
}

// afterTarget reads a previous target that follows a unit's target block
// at end, records the unit and returns where the source resumes.
func (r *reader) afterTarget(u *runit, end int) (int, error) {
	if end < len(r.data) && parsePrevious(r.data[end:r.lineEnd(end)]) == u.m.id {
		pAt := r.lineEnd(end)
		region := r.data[pAt:r.cut(pAt)]
		pEnd := pAt
		if u.fm {
			if e := r.fenced(pAt); e > 0 {
				pEnd = e
			}
		} else if n := r.firstBlock(region); n > 0 {
			pEnd = pAt + len(trimBlankLines(region[:n]))
		}
		u.previous, u.prevSet = r.data[pAt:pEnd], true
		end = pEnd
		if end < len(r.data) {
			b := r.blankLineAt(end)
			if b < 0 {
				return 0, r.fail(end, ErrFormat, "expected a blank line after the previous target of unit %d", u.m.id)
			}
			end = b
		}
	}
	r.units = append(r.units, *u)
	return end, nil
}

// finish reconstructs the source, parses it, maps units to blocks and
// reads each target.
func (r *reader) finish(hasBOM bool, hdr Header) (*File, error) {
	// A file without a final line ending was made from a source without
	// one; the writer added one after the last source block if it was a
	// unit's (or the front matter), and after its target if a previous
	// target followed.
	if !endsLine(r.data) && len(r.pieces) > 0 {
		p := &r.pieces[len(r.pieces)-1]
		if p.mayEOL {
			var prefix []byte
			for _, q := range r.pieces[:len(r.pieces)-1] {
				prefix = append(prefix, q.data...)
			}
			n := len(p.data)
			p.data = stripAddedEOL(prefix, p.data)
			added := r.pieces[len(r.pieces)-1].at + len(p.data)
			le := r.data[added : added+n-len(p.data)]
			if p.unit >= 0 {
				u := &r.units[p.unit]
				u.src = p.data
				if u.prevSet {
					// The same line ending was added after the target.
					u.target = bytes.TrimSuffix(u.target, le)
				}
			}
		}
	}
	var src []byte
	if hasBOM {
		src = append(src, bom...)
	}
	starts := make([]int, len(r.pieces))
	for i, p := range r.pieces {
		starts[i] = len(src)
		src = append(src, p.data...)
	}
	doc, err := markdown.Parse(src, r.mdOpts)
	if err != nil {
		return nil, r.fail(-1, ErrFormat, "parse reconstructed source: %v", err)
	}
	// biOffset maps a source offset to its offset in the bilingual file.
	biOffset := func(off int) int {
		i := sort.SearchInts(starts, off+1) - 1
		if i < 0 {
			return 0
		}
		return r.pieces[i].at + off - starts[i]
	}
	if r.fm {
		if len(doc.Blocks) == 0 || doc.Blocks[0].Kind != markdown.FrontMatter || doc.Blocks[0].End != starts[0]+len(r.pieces[0].data) {
			return nil, r.fail(r.pieces[0].at, ErrFormat, "the header must be on the first line or right after the front matter")
		}
	}
	byStart := map[int]int{}
	for i, b := range doc.Blocks {
		byStart[b.Start] = i
	}
	f := &File{Name: r.name, Header: hdr, Source: doc, Units: make([]Unit, len(r.units))}
	claimed := map[int]bool{}
	for i, p := range r.pieces {
		if p.unit < 0 {
			continue
		}
		start := starts[i]
		if start == len(bom) && hasBOM {
			start = 0
		}
		bi, ok := byStart[start]
		u := &r.units[p.unit]
		if !ok || doc.Blocks[bi].End != starts[i]+len(p.data) {
			return nil, r.fail(p.at, ErrFormat, "unit %d: its source block and what follows its target do not separate (was the source edited or the target extended?)", u.m.id)
		}
		if len(doc.Blocks[bi].Segments) == 0 {
			// A look-alike comment after a block with nothing to
			// translate: not a marker.
			r.rejected[u.at] = true
			return nil, errRetry
		}
		claimed[bi] = true
		unit, err := r.readUnit(doc, bi, u)
		if err != nil {
			return nil, err
		}
		f.Units[p.unit] = unit
	}
	for i, b := range doc.Blocks {
		if len(b.Segments) > 0 && !claimed[i] {
			if r.suspect != nil {
				return nil, r.suspect
			}
			return nil, r.fail(biOffset(b.Start), ErrFormat, "a source block without a target marker (was the source or a marker edited, or a target block split?)")
		}
	}
	return f, nil
}

// stripAddedEOL removes the line ending the writer added after b, the last
// block of the source, in the style the writer chose (see blockEnding);
// prefix is the source before b.
func stripAddedEOL(prefix, b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\r\n")) {
		c := b[:len(b)-2]
		whole := append(prefix[:len(prefix):len(prefix)], c...)
		if blockEnding(whole, len(prefix), len(whole)) == "\r\n" {
			return c
		}
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// readUnit checks a unit's target against its source block and converts
// its segments to the neutral form in the source numbering.
func (r *reader) readUnit(doc *markdown.Document, bi int, u *runit) (Unit, error) {
	blk := doc.Blocks[bi]
	if !u.m.state.Valid() {
		return Unit{}, r.fail(u.at, ErrFormat, "unit %d: unknown state %q", u.m.id, u.m.state)
	}
	tLine := r.lineOf(u.tAt)
	tLines := bytes.Count(trimBlankLines(u.target), []byte("\n")) + boolInt(!endsLine(trimBlankLines(u.target)))
	suffix := footnoteScope(doc, blk)
	tgtFrag, err := r.fragment(u.target, suffix, doc, blk.Kind)
	if err != nil {
		return Unit{}, r.fail(u.tAt, ErrStructure, "unit %d: parse target block: %v", u.m.id, err)
	}
	edited := Hash(u.target) != u.m.mt
	if edited {
		// A reviewer's edit must keep the structure. (An unedited target
		// is what the writer wrote; its segments are still checked below.)
		srcFrag, err := r.fragment(stripBOM(doc.Source()[blk.Start:blk.End]), suffix, doc, blk.Kind)
		if err != nil {
			return Unit{}, r.fail(u.at, ErrFormat, "unit %d: parse source block: %v", u.m.id, err)
		}
		if diffs := markdown.Compare(srcFrag, tgtFrag); len(diffs) > 0 {
			d := diffs[0]
			line := tLine
			if d.Line > 0 && d.Line <= tLines {
				line += d.Line - 1
			}
			return Unit{}, &ParseError{File: r.name, Line: line, Err: ErrStructure,
				Msg: fmt.Sprintf("unit %d: target does not match its source: %s: %s", u.m.id, d.Kind, d.Message)}
		}
	}
	if len(tgtFrag.Segments) != len(blk.Segments) {
		// Name the line of the first segment that has no counterpart at
		// the same place.
		line := tLine
		for j := 0; j < len(blk.Segments); j++ {
			rel := doc.Segments[blk.Segments[j]].Line - blk.Line
			if j >= len(tgtFrag.Segments) || tgtFrag.Segments[j].Line-1 != rel {
				line = tLine + min(max(rel, 0), max(tLines-1, 0))
				break
			}
		}
		return Unit{}, &ParseError{File: r.name, Line: line, Err: ErrStructure,
			Msg: fmt.Sprintf("unit %d: target has %d segments, its source %d", u.m.id, len(tgtFrag.Segments), len(blk.Segments))}
	}
	unit := Unit{
		ID: u.m.id, Block: bi, State: u.m.state, Flags: u.m.flags, Src: u.m.src, MT: u.m.mt,
		Line: u.line, TargetLine: tLine, TargetBytes: u.target, Previous: u.previous,
		Targets: make([]string, len(blk.Segments)),
		Edited:  edited,
	}
	for j, si := range blk.Segments {
		seg, like := doc.Segments[si], tgtFrag.Segments[j]
		if seg.Kind != like.Kind {
			return Unit{}, r.fail(u.tAt, ErrStructure, "unit %d: segment %d is a different kind of text than its source", u.m.id, j+1)
		}
		text, err := markdown.AlignTags(seg, like)
		if err != nil {
			line := tLine
			if like.Line > 0 {
				line += like.Line - 1
			}
			return Unit{}, &ParseError{File: r.name, Line: line, Err: ErrStructure,
				Msg: fmt.Sprintf("unit %d: segment %d: %v", u.m.id, j+1, err)}
		}
		unit.Targets[j] = text
	}
	return unit, nil
}

// fragment parses one block cut from doc's source, followed by suffix
// (see footnoteScope). The returned document holds only the block's own
// segments.
func (r *reader) fragment(b, suffix []byte, doc *markdown.Document, kind markdown.BlockKind) (*markdown.Document, error) {
	if kind == markdown.FrontMatter {
		// Front matter is only recognised at the start of a document.
		return markdown.Parse(b, r.mdOpts)
	}
	if len(suffix) == 0 {
		return markdown.ParseFragment(b, doc, r.mdOpts)
	}
	le := lineEnding(b)
	whole := slices.Concat(b, []byte(le[:len(le)*boolInt(!endsLine(b))]), []byte(le), suffix)
	frag, err := markdown.ParseFragment(whole, doc, r.mdOpts)
	if err != nil {
		return nil, err
	}
	// Keep the block's own blocks and segments; the footnote definitions
	// after it only put the labels in scope.
	var blocks []markdown.Block
	for _, fb := range frag.Blocks {
		if fb.Start < len(b) {
			blocks = append(blocks, fb)
		}
	}
	var segs []markdown.Segment
	for _, s := range frag.Segments {
		if s.Block < len(blocks) {
			segs = append(segs, s)
		}
	}
	frag.Blocks, frag.Segments = blocks, segs
	return frag, nil
}

// footnoteScope returns the source's top-level footnote definitions when
// blk refers to a footnote: ParseFragment resolves link references from
// its context document but not footnote labels, so the definitions are
// parsed after the block to keep its footnote references tags.
func footnoteScope(doc *markdown.Document, blk markdown.Block) []byte {
	uses := false
	for _, si := range blk.Segments {
		for _, tg := range doc.Segments[si].Tags {
			uses = uses || tg.Kind == markdown.FootnoteRefTag
		}
	}
	if !uses {
		return nil
	}
	var defs []byte
	src := doc.Source()
	for _, b := range doc.Blocks {
		if b.Kind == markdown.FootnoteDef {
			d := src[b.Start:b.End]
			defs = append(defs, d...)
			le := lineEnding(d)
			if !endsLine(d) {
				defs = append(defs, le...)
			}
			defs = append(defs, le...)
		}
	}
	return defs
}
