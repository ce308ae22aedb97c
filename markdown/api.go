package markdown

import (
	"errors"

	"github.com/yuin/goldmark/parser"
)

// Options adjust parsing. A nil *Options means the defaults.
type Options struct {
	// FrontMatterFields are the YAML front-matter keys whose values are
	// translated. Nil means title, description and summary.
	FrontMatterFields []string
	// MaxDepth bounds container nesting (block quotes, lists). Content nested
	// deeper is skeleton. Zero means 64.
	MaxDepth int
}

// BlockKind is the kind of a top-level block.
type BlockKind uint8

// The kinds of top-level block.
const (
	Blank BlockKind = iota // one or more blank lines
	Paragraph
	Heading
	ThematicBreak
	CodeBlock // fenced or indented
	HTMLBlock
	List
	Quote
	Table
	LinkRefDef
	FootnoteDef
	FrontMatter
)

// Block is one top-level block of a document. Blocks tile the source: the
// first starts at 0, each ends where the next starts, the last ends at
// len(Source()). A block's bytes include its final line ending.
type Block struct {
	Kind       BlockKind
	Start, End int   // byte range in the source
	Line       int   // 1-based line of Start
	Segments   []int // indices into Document.Segments; empty means skeleton only
}

// SegmentKind is what a segment was cut from.
type SegmentKind uint8

// The kinds of segment.
const (
	ParagraphSeg SegmentKind = iota // a paragraph, at any depth (list item, quote, footnote)
	HeadingSeg
	CellSeg        // a table cell
	FrontMatterSeg // a front-matter field value
)

// TagKind is what a protected span was in the source.
type TagKind uint8

// The kinds of protected span.
const (
	LinkTag        TagKind = iota // paired: [ … ](dest "title") or reference forms
	EmphasisTag                   // paired: *…* or _…_
	StrongTag                     // paired: **…** or __…__
	StrikeTag                     // paired: ~~…~~
	ImageTag                      // standalone: the whole image
	CodeTag                       // standalone: inline code span
	HTMLTag                       // standalone: raw inline HTML
	AutolinkTag                   // standalone: <https://…> or a bare URL
	FootnoteRefTag                // standalone: [^1]
	BreakTag                      // standalone: a hard line break, with its line ending and the next line's container prefix
	LiteralTag                    // standalone: anything else kept verbatim (escapes that look like tags, wiki spans [[…]])
)

// Tag is one protected span of a segment. Tags[i].ID == i+1.
type Tag struct {
	ID     int
	Kind   TagKind
	Paired bool
	Open   string // the exact source bytes; for a standalone tag, the whole span
	Close  string // paired tags only: the exact closing bytes
	Dest   string // link and image destination, autolink URL; else empty
}

// Segment is one translatable leaf text block.
type Segment struct {
	Kind  SegmentKind
	Text  string // the neutral form (see package tags)
	Tags  []Tag
	Block int // index of the top-level block holding it
	Line  int // 1-based line where the text starts

	// start, end are the byte range the text was cut from; lineBreaks are
	// the exact bytes of each soft line break (line ending plus the next
	// line's container prefix); enc says how a new text is escaped in place.
	start, end int
	lineBreaks []string
	enc        encoding
	decoded    string // front matter: the value as YAML reads it
}

// encoding says how a translated text is written back in place.
type encoding uint8

const (
	encInline encoding = iota // Markdown inline text
	encCell                   // table cell: '|' must be escaped
	encYAML                   // front-matter scalar: quoted when needed
)

// Document is a parsed Markdown document: its top-level blocks and the
// segments cut from them. Everything that is not a segment is skeleton.
type Document struct {
	Blocks   []Block
	Segments []Segment
	src      []byte
	refs     []parser.Reference // link reference definitions, for ParseFragment
	notes    []string           // footnote labels, for ParseFragment
	shape    *shape             // structure summary, for Compare
}

// Source returns the bytes the document was parsed from. Callers must not
// modify them.
func (d *Document) Source() []byte { return d.src }

// ErrTargets is returned by Assemble when the targets do not fit the document
// (wrong count, or a target whose tags do not match its segment's).
var ErrTargets = errors.New("markdown: targets do not fit the document")

// ErrInvalidUTF8 is returned by Parse for input that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("markdown: invalid UTF-8")

// ErrTags is returned by AlignTags when the tags of two segments do not
// correspond one to one.
var ErrTags = errors.New("markdown: tags do not correspond")
