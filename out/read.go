package out

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
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

// Error returns "file:line: message".
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
	// By is the marker's by attribute: the engine:model that wrote the
	// machine translation; empty in files written before it was recorded.
	By   string
	Src  string // the marker's src hash (equal to Hash of the source block)
	MT   string // the marker's mt hash: the target as the machine wrote it
	Line int    // 1-based line of the marker in the bilingual file
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
	// Name is the name given to ReadBilingual.
	Name   string
	Header Header
	// Format is the file's language pair and the markdown options it was
	// read with: what writing it again needs.
	Format Format
	// Source is the source document reconstructed byte for byte and parsed.
	Source *markdown.Document
	// Units holds the units in order; Units[i].ID == i+1.
	Units []Unit
}

// ReadBilingual reads a bilingual file (format v1) written for the
// format f. name is used in error messages only. It reconstructs the
// source exactly, maps each unit to its source block, and checks that
// every target block has its source block's structure; on any error
// nothing of the file is returned.
//
// A file whose language pair is not f's is an [ErrPair] error naming both
// pairs (an empty f.Source and f.Target accept any pair). The source and
// targets are parsed with the markdown options the header records, the
// defaults for those it does not record, whatever f.Markdown says: a file
// is read with the options it was written with. Only a file whose header
// records no option at all, and which does not read with the defaults (or
// only by taking one of its markers for a look-alike), is read again with
// f.Markdown: it may come from a writer that did not record options yet.
// [File.Format] says which options were used; a caller whose options cut
// segments differently ([SameSegmentation]) must expect units whose
// Targets do not match its own segments.
func ReadBilingual(name string, data []byte, f Format) (*File, error) {
	r := &reader{name: name, data: data}
	r.indexLines()
	if err := r.checkUTF8(); err != nil {
		return nil, err
	}
	hdrAt, hdr, err := r.header()
	if err != nil {
		return nil, err
	}
	if err := checkPair(hdr, f); err != nil {
		return nil, r.fail(hdrAt, ErrPair, "%s", strings.TrimPrefix(err.Error(), ErrPair.Error()+": "))
	}
	opts := hdr.Markdown
	file, rejected, err := readWith(name, data, opts)
	if (err != nil || rejected > 0) && hdr.Markdown == nil && !SameSegmentation(nil, f.Markdown) {
		// Failing, or taking a marker for a look-alike, are what reading
		// with the wrong options looks like.
		if g, n, gerr := readWith(name, data, f.Markdown); gerr == nil && (err != nil || n < rejected) {
			file, err, opts = g, nil, f.Markdown
		}
	}
	if err != nil {
		return nil, err
	}
	file.Format = Format{Source: hdr.Source, Target: hdr.Target, Markdown: opts}
	return file, nil
}

// readWith reads data with the markdown options opts, reading again
// without a marker found to be a look-alike (see retryError). It returns
// how many markers it rejected so.
func readWith(name string, data []byte, opts *markdown.Options) (*File, int, error) {
	rejected := map[int]bool{}
	var first error
	for {
		r := &reader{name: name, data: data, mdOpts: opts, rejected: rejected}
		f, err := r.read()
		var re *retryError
		if errors.As(err, &re) {
			if first == nil {
				first = re.err
			}
			if len(rejected) < maxRetries && !rejected[re.at] {
				rejected[re.at] = true
				continue
			}
			return nil, len(rejected), first
		}
		if err != nil {
			if first != nil {
				return nil, len(rejected), first
			}
			return nil, len(rejected), err
		}
		return f, len(rejected), nil
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
	at       int    // offset of the marker
	fm       bool   // the front matter's unit
	line     int    // 1-based line of the marker
	src      []byte // the source block
	tAt      int    // offset of the target block in the file
	target   []byte
	previous []byte
	prevSet  bool   // a previous target was read
	hash     string // Hash of target, set by findSwaps
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
	parses  int         // region parses by findSource since the last unit
	// rejected holds the offsets of comments found not to be markers
	// after all (see retryError), skipped when reading again.
	rejected map[int]bool
}

// retryError asks ReadBilingual to read again with the marker at offset
// at rejected: it may be a look-alike whose hash happens to match.
type retryError struct {
	at  int
	err *ParseError
}

func (e *retryError) Error() string { return e.err.Error() }

// maxRetries bounds how many markers a read may reject after the fact.
const maxRetries = 8

func (r *reader) fail(off int, err error, format string, args ...any) *ParseError {
	line := 0
	if off >= 0 {
		line = r.lineOf(off)
	}
	return &ParseError{File: r.name, Line: line, Msg: fmt.Sprintf(format, args...), Err: err}
}

func (r *reader) read() (*File, error) {
	data := r.data // valid UTF-8: ReadBilingual checked
	r.indexLines()
	pos := 0
	hasBOM := bytes.HasPrefix(data, []byte(bom))
	if hasBOM {
		pos = len(bom)
	}
	hdrAt, hdr, err := r.header()
	if err != nil {
		return nil, err
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
		if pos, err = r.frontMatterUnit(pos); err != nil {
			return nil, err
		}
	}
	if err := r.body(pos); err != nil {
		return nil, err
	}
	return r.finish(hasBOM, hdr)
}

// checkUTF8 fails on invalid UTF-8, naming its offset.
func (r *reader) checkUTF8() error {
	if utf8.Valid(r.data) {
		return nil
	}
	off := 0
	for off < len(r.data) {
		c, n := utf8.DecodeRune(r.data[off:])
		if c == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return r.fail(off, ErrFormat, "invalid UTF-8 at byte %d", off)
}

// header finds and parses the header: on the first line (after a byte
// order mark), or right after the front matter. It returns the header's
// offset.
func (r *reader) header() (int, Header, error) {
	pos := 0
	if bytes.HasPrefix(r.data, []byte(bom)) {
		pos = len(bom)
	}
	for _, at := range []int{pos, r.fenced(pos)} {
		if at < 0 || at > len(r.data) || (at == len(r.data) && at > pos) {
			continue
		}
		h, ok, err := parseHeader(r.data[at:r.lineEnd(at)])
		if err != nil {
			return 0, h, r.fail(at, err, "%v", err)
		}
		if ok {
			return at, h, nil
		}
	}
	return 0, Header{}, r.fail(-1, ErrNoHeader, "not a diglot bilingual file: no %q header", headerPrefix+"1 … -->")
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
	claimed := map[int]int{} // block index to unit index
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
		// Either failure may come from a look-alike comment whose hash
		// happens to match: read again without it before reporting.
		if !ok || doc.Blocks[bi].End != starts[i]+len(p.data) {
			return nil, &retryError{u.at, r.fail(p.at, ErrFormat, "unit %d: its source block and what follows its target do not separate (was the source edited or the target extended?)", u.m.id)}
		}
		if len(doc.Blocks[bi].Segments) == 0 {
			return nil, &retryError{u.at, r.fail(p.at, ErrFormat, "unit %d: its source block has nothing to translate", u.m.id)}
		}
		claimed[bi] = p.unit
	}
	for i, b := range doc.Blocks {
		if _, ok := claimed[i]; len(b.Segments) > 0 && !ok {
			if r.suspect != nil {
				return nil, r.suspect
			}
			return nil, r.fail(biOffset(b.Start), ErrFormat, "a source block without a target marker (was the source or a marker edited, or a target block split?)")
		}
	}
	if err := r.findSwaps(); err != nil {
		return nil, err
	}
	// Parse all targets at once, in the target document, rather than one
	// small fragment each: a unit whose target is one block there with as
	// many segments as its source takes them from it.
	var tgt []byte
	if hasBOM {
		tgt = append(tgt, bom...)
	}
	tAt := make([]int, len(r.units))
	for i, b := range doc.Blocks {
		if k, ok := claimed[i]; ok {
			tAt[k] = len(tgt)
			tgt = append(tgt, r.units[k].target...)
			continue
		}
		s := src[b.Start:b.End]
		if i == 0 {
			s = stripBOM(s)
		}
		tgt = append(tgt, s...)
	}
	tdoc, err := markdown.Parse(tgt, r.mdOpts)
	tByStart := map[int]int{}
	if err == nil {
		for i, b := range tdoc.Blocks {
			tByStart[b.Start] = i
		}
	}
	blockOf := make([]int, len(r.units))
	for bi, k := range claimed {
		blockOf[k] = bi
	}
	for k, bi := range blockOf {
		u := &r.units[k]
		var pre []markdown.Segment
		preBase := 0
		start := tAt[k]
		if start == len(bom) && hasBOM {
			start = 0
		}
		if tb, ok := tByStart[start]; ok && err == nil {
			b := tdoc.Blocks[tb]
			if b.End == tAt[k]+len(u.target) && len(b.Segments) == len(doc.Blocks[bi].Segments) {
				for _, si := range b.Segments {
					pre = append(pre, tdoc.Segments[si])
				}
				preBase = b.Line
			}
		}
		unit, err := r.readUnit(doc, bi, u, pre, preBase)
		if err != nil {
			return nil, err
		}
		f.Units[k] = unit
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
//
// pre, when not nil, holds the target's segments parsed in the target
// document, preBase the line of the block there; they serve an unedited
// target.
func (r *reader) readUnit(doc *markdown.Document, bi int, u *runit, pre []markdown.Segment, preBase int) (Unit, error) {
	blk := doc.Blocks[bi]
	if !u.m.state.Valid() {
		return Unit{}, r.fail(u.at, ErrFormat, "unit %d: unknown state %q", u.m.id, u.m.state)
	}
	tLine := r.lineOf(u.tAt)
	tLines := bytes.Count(trimBlankLines(u.target), []byte("\n")) + boolInt(!endsLine(trimBlankLines(u.target)))
	edited := u.hash != u.m.mt
	segs, base := pre, preBase
	if edited || pre == nil {
		suffix := footnoteScope(doc, blk)
		tgtFrag, err := r.fragment(u.target, suffix, doc, blk.Kind)
		if err != nil {
			return Unit{}, r.fail(u.tAt, ErrStructure, "unit %d: parse target block: %v", u.m.id, err)
		}
		segs, base = tgtFrag.Segments, 1
		if edited {
			if err := r.compare(doc, blk, u, suffix, tgtFrag, tLine, tLines); err != nil {
				return Unit{}, err
			}
		}
	}
	if len(segs) != len(blk.Segments) {
		// Name the line of the first segment that has no counterpart at
		// the same place.
		line := tLine
		for j := 0; j < len(blk.Segments); j++ {
			rel := doc.Segments[blk.Segments[j]].Line - blk.Line
			if j >= len(segs) || segs[j].Line-base != rel {
				line = tLine + min(max(rel, 0), max(tLines-1, 0))
				break
			}
		}
		return Unit{}, &ParseError{File: r.name, Line: line, Err: ErrStructure,
			Msg: fmt.Sprintf("unit %d: target has %d segments, its source %d", u.m.id, len(segs), len(blk.Segments))}
	}
	unit := Unit{
		ID: u.m.id, Block: bi, State: u.m.state, Flags: u.m.flags, By: u.m.by, Src: u.m.src, MT: u.m.mt,
		Line: u.line, TargetLine: tLine, TargetBytes: u.target, Previous: u.previous,
		Targets: make([]string, len(blk.Segments)),
		Edited:  edited,
	}
	for j, si := range blk.Segments {
		seg, like := doc.Segments[si], segs[j]
		text, err := markdown.AlignTags(seg, like)
		if err != nil {
			line := tLine
			if like.Line >= base {
				line += like.Line - base
			}
			return Unit{}, &ParseError{File: r.name, Line: line, Err: ErrStructure,
				Msg: fmt.Sprintf("unit %d: segment %d: %v", u.m.id, j+1, err)}
		}
		unit.Targets[j] = text
	}
	return unit, nil
}

// compare checks that an edited target keeps its source block's structure.
func (r *reader) compare(doc *markdown.Document, blk markdown.Block, u *runit, suffix []byte, tgtFrag *markdown.Document, tLine, tLines int) error {
	srcFrag, err := r.fragment(stripBOM(doc.Source()[blk.Start:blk.End]), suffix, doc, blk.Kind)
	if err != nil {
		return r.fail(u.at, ErrFormat, "unit %d: parse source block: %v", u.m.id, err)
	}
	diffs := markdown.Compare(srcFrag, tgtFrag)
	if len(diffs) == 0 {
		return nil
	}
	d := diffs[0]
	line := tLine
	if d.Line > 0 && d.Line <= tLines {
		line += d.Line - 1
	}
	return &ParseError{File: r.name, Line: line, Err: ErrStructure,
		Msg: fmt.Sprintf("unit %d: target does not match its source: %s: %s", u.m.id, d.Kind, d.Message)}
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
