package out

import (
	"bytes"
	"errors"
	"fmt"
	"golang.org/x/text/language"
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
	return readBilingual(name, data, f, readConfig{chunk: chunkSize})
}

// ReadOptions adjust [ReadBilingualWith]. The zero value reads as
// [ReadBilingual] does.
type ReadOptions struct {
	// SkipUnedited leaves Unit.Targets nil for every unit whose target
	// still hashes to its mt (as the writer wrote it; line endings and
	// trailing white space aside): such a target's text is not parsed,
	// which halves the work of reading a translated file. Publishing
	// needs the target blocks' bytes only; a translation memory needs
	// Targets ([File.Targets] parses the skipped ones when asked). Edited
	// targets are parsed and compared with their source as ever, so a
	// target whose structure a reviewer broke is still an error.
	SkipUnedited bool
}

// ReadBilingualWith reads a bilingual file as [ReadBilingual] does,
// adjusted by opts; nil means the defaults.
func ReadBilingualWith(name string, data []byte, f Format, opts *ReadOptions) (*File, error) {
	cfg := readConfig{chunk: chunkSize}
	if opts != nil {
		cfg.skip = opts.SkipUnedited
	}
	return readBilingual(name, data, f, cfg)
}

// readConfig holds how a file is read: ReadOptions, and what tests vary
// (the results must not vary with it).
type readConfig struct {
	// skip is ReadOptions.SkipUnedited.
	skip bool
	// chunk is about how many bytes of the target document are parsed at
	// once (see targets).
	chunk int
	// alone parses every target alone, as an edited one is, rather than
	// taking a target's segments from its source (an identical target) or
	// from a chunk of the target document: the slow path the fast ones
	// must agree with.
	alone bool
	// parse parses identical targets too, rather than taking their
	// source's segments.
	parse bool
	// parseAdjacent finds by parsing the targets that a line with text
	// follows at once (see readWith).
	parseAdjacent bool
	// stats, when not nil, counts how the targets were read.
	stats *readStats
}

// readStats counts how a read took its targets' segments, for tests.
type readStats struct {
	identical, chunked, alone int
}

func readBilingual(name string, data []byte, f Format, cfg readConfig) (*File, error) {
	r := &reader{name: name, data: data, cfg: cfg}
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
	opts := withSource(hdr.Markdown, hdr.Source)
	file, rejected, err := readWith(r, opts)
	if (err != nil || rejected > 0) && hdr.Markdown == nil && !SameSegmentation(nil, f.Markdown) {
		// Failing, or taking a marker for a look-alike, are what reading
		// with the wrong options looks like.
		alt := withSource(f.Markdown, hdr.Source)
		if g, n, gerr := readWith(r, alt); gerr == nil && (err != nil || n < rejected) {
			file, err, opts = g, nil, alt
		}
	}
	if err != nil {
		return nil, err
	}
	file.Format = Format{Source: hdr.Source, Target: hdr.Target, Markdown: opts}
	return file, nil
}

// withSource returns o with the header's source language, which the
// writer parsed the source in (it decides what indented blocks are prose).
func withSource(o *markdown.Options, source string) *markdown.Options {
	tag, err := language.Parse(source)
	if err != nil || (o != nil && o.Source == tag) {
		return o
	}
	c := markdown.Options{}
	if o != nil {
		c = *o
	}
	c.Source = tag
	return &c
}

// readWith reads the file of base with the markdown options opts, reading
// again without a marker found to be a look-alike (see retryError). It
// returns how many markers it rejected so.
func readWith(base *reader, opts *markdown.Options) (*File, int, error) {
	f, n, adjacent, err := readAttempt(base, opts, base.cfg)
	if err != nil && adjacent {
		// A target found by its hash was followed at once by a line with
		// text: a block of the source, or a line a reviewer added to the
		// target (which then joined the source and broke it). Read again
		// finding such targets by parsing, as an edited one is, so that
		// an added line is reported as such.
		cfg := base.cfg
		cfg.parseAdjacent = true
		f, n, _, err = readAttempt(base, opts, cfg)
	}
	return f, n, err
}

// readAttempt is readWith with the reader's configuration cfg. It also
// reports whether a read took a target followed at once by a line with
// text (see readWith).
func readAttempt(base *reader, opts *markdown.Options, cfg readConfig) (*File, int, bool, error) {
	rejected := map[int]bool{}
	var first error
	adjacent := false
	for {
		lines, markers := indexLines(base.data)
		r := &reader{name: base.name, data: base.data, lines: lines, cfg: cfg, mdOpts: opts, rejected: rejected}
		r.pieces = make([]piece, 0, 2*markers+3)
		r.ext = make([]unitExt, 0, markers+1)
		f, err := r.read()
		adjacent = adjacent || r.adjacent
		var re *retryError
		if errors.As(err, &re) {
			if first == nil {
				first = re.err
			}
			if len(rejected) < maxRetries && !rejected[re.at] {
				rejected[re.at] = true
				continue
			}
			return nil, len(rejected), adjacent, first
		}
		if err != nil {
			if first != nil {
				return nil, len(rejected), adjacent, first
			}
			return nil, len(rejected), adjacent, err
		}
		return f, len(rejected), adjacent, nil
	}
}

// piece is a run of source bytes found in the bilingual file: the source
// is the concatenation of the pieces.
type piece struct {
	at, end int   // the bytes in the bilingual file
	unit    int32 // index into reader.ext, or -1 for skeleton
	mayEOL  bool  // a line ending may have been added after the bytes
}

// unitExt is a unit while the file is read, in a smaller form than a Unit
// (a large file holds many while its source is parsed), with what the
// reader needs to know besides. The Units are made from them once the
// source is parsed.
type unitExt struct {
	at, tAt, tEnd int   // the marker; the target block
	line          int   // 1-based line of the marker; its target starts on the next
	piece         int32 // index of the unit's source block in reader.pieces
	block         int32 // index of the source block in the parsed source
	prev          int32 // index of the previous target in reader.prevs, or -1
	meta          int32 // index of state, by and flags in reader.metas
	src, mt       shortHash
	hash          shortHash // Hash of the target, once known
	fm            bool      // the front matter's unit
	identity      bool      // the target is byte for byte its source block
	hashed        bool      // hash is set
}

// unitMeta is what markers say besides ids and hashes; a file's units
// share a few.
type unitMeta struct {
	state State
	by    string
	flags []string
}

// span is a run of bytes of the bilingual file.
type span struct{ at, end int }

// reader holds the state of one read.
type reader struct {
	name   string
	data   []byte
	cfg    readConfig
	mdOpts *markdown.Options
	lines  []int // start offset of every line, then len(data)
	pieces []piece
	// ext holds the units found, in order; units are made from them once
	// the source is parsed.
	ext     []unitExt
	units   []Unit
	prevs   []span // the previous targets of stale units
	metas   []unitMeta
	metaOf  map[string]int32 // metas by state, by and flags
	suspect *ParseError      // a rejected marker worth naming if the file fails
	fm      bool             // the first piece is the source front matter
	parses  int              // region parses by findSource since the last unit
	// rejected holds the offsets of comments found not to be markers
	// after all (see retryError), skipped when reading again.
	rejected map[int]bool
	hs       hasher
	notes    *[]byte // the source's footnote definitions, once asked for
	adjacent bool    // a target found by its hash had a line with text right after it
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

// pieceData returns the bytes of piece i.
func (r *reader) pieceData(i int) []byte {
	p := r.pieces[i]
	return r.data[p.at:p.end]
}

func (r *reader) read() (*File, error) {
	data := r.data // valid UTF-8: ReadBilingual checked
	pos := 0
	hasBOM := bytes.HasPrefix(data, []byte(bom))
	if hasBOM {
		pos = len(bom)
	}
	hdrAt, hdr, err := r.header()
	if err != nil {
		return nil, err
	}
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

	if hdrAt > fmAt {
		r.fm = true
		r.pieces = append(r.pieces, piece{at: fmAt, end: hdrAt, unit: -1, mayEOL: true})
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
