package markdown

import (
	"errors"
	"fmt"

	"github.com/yuin/goldmark/parser"
	"golang.org/x/text/language"
)

// Options adjust parsing. A nil *Options means the defaults.
//
// The reader of a bilingual file must parse it with the options its writer
// used: they decide what a segment is and which spans are tags.
type Options struct {
	// FrontMatterFields are the YAML front-matter fields whose values are
	// translated: a key of the top-level mapping ("title"), a dotted path
	// into nested mappings ("cover.alt"), or a field whose value is a list
	// of strings ("tags": each item is a segment). Nil means title,
	// description and summary.
	FrontMatterFields []string
	// MaxDepth bounds container nesting (block quotes, lists). Content nested
	// deeper is skeleton. Zero means 64.
	MaxDepth int
	// WikiLinks says what becomes of a [[target]] or [[target|label]] wiki
	// span: "label" (the default) translates its label and writes a
	// translated span as [[target|translated label]]; "unwrap" writes the
	// translated label alone, as plain text; "keep" protects the whole span
	// as it is. An unknown value is an error (see Options.Validate).
	WikiLinks string
	// IndentedCode says what becomes of an indented code block (four
	// spaces): "code" leaves it alone; "prose" translates it as text when it
	// has letters; "auto" (the default) translates it when it is mostly
	// natural-language text in the source script rather than code. A
	// translated block keeps its indentation.
	IndentedCode string
	// Source is the language documents are written in, for IndentedCode
	// "auto". The zero Tag means: decide from the document, by its share of
	// Han and Latin letters.
	Source language.Tag
}

// The values of Options.WikiLinks.
const (
	WikiLabel  = "label"
	WikiUnwrap = "unwrap"
	WikiKeep   = "keep"
)

// The values of Options.IndentedCode.
const (
	IndentedAuto  = "auto"
	IndentedCode  = "code"
	IndentedProse = "prose"
)

// ErrOptions is returned by Options.Validate, and by Parse given options
// that do not validate.
var ErrOptions = errors.New("markdown: invalid options")

// Validate reports an unknown WikiLinks or IndentedCode value, or a
// negative MaxDepth. A nil *Options is valid.
func (o *Options) Validate() error {
	if o == nil {
		return nil
	}
	switch o.WikiLinks {
	case "", WikiLabel, WikiUnwrap, WikiKeep:
	default:
		return fmt.Errorf("%w: wiki_links %q: want %q, %q or %q", ErrOptions, o.WikiLinks, WikiLabel, WikiUnwrap, WikiKeep)
	}
	switch o.IndentedCode {
	case "", IndentedAuto, IndentedCode, IndentedProse:
	default:
		return fmt.Errorf("%w: indented_code %q: want %q, %q or %q", ErrOptions, o.IndentedCode, IndentedAuto, IndentedCode, IndentedProse)
	}
	if o.MaxDepth < 0 {
		return fmt.Errorf("%w: max_depth %d is negative", ErrOptions, o.MaxDepth)
	}
	return nil
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
	LinkTag        TagKind = iota // paired: [ … ](dest "title") or a full reference [ … ][ref]; standalone: [ref] and [ref][]
	EmphasisTag                   // paired: *…* or _…_
	StrongTag                     // paired: **…** or __…__
	StrikeTag                     // paired: ~~…~~
	ImageTag                      // paired around its alt text: ![ … ](dest "title"); standalone: no alt text, or ![ref] and ![ref][]
	CodeTag                       // standalone: inline code span
	HTMLTag                       // standalone: raw inline HTML
	AutolinkTag                   // standalone: <https://…> or a bare URL
	FootnoteRefTag                // standalone: [^1]
	BreakTag                      // standalone: a hard line break, with its line ending and the next line's container prefix
	LiteralTag                    // standalone: anything else kept verbatim (escapes that look like tags, emoji shortcodes)
	WikiTag                       // a [[target]] or [[target|label]] span: paired around its label, or standalone with WikiLinks "keep"
	TitleTag                      // paired: the title of the link or image tag just before it, translated in place
)

// Tag is one protected span of a segment. Tags[i].ID == i+1.
//
// A link or image with a title ([a](url "title")) keeps the whole
// "](url "title")" in Close; its title is also the text of the TitleTag
// that follows the link's closing tag in the segment's text, and a
// translation of that text is written back inside the quotes. A wiki
// span's Dest is its target ("zh:香港" in [[zh:香港]]); its label (香港)
// is the text of the paired tag.
//
// WikiTag and TitleTag are optional in a translation: a target without them
// is written without the span's label or the title (see Document.Assemble
// and AlignTags).
type Tag struct {
	ID     int
	Kind   TagKind
	Paired bool
	Open   string // the exact source bytes; for a standalone tag, the whole span
	Close  string // paired tags only: the exact closing bytes
	Dest   string // link and image destination, autolink URL, wiki target; else empty

	text  string // wiki and title tags: the source text between the tags
	title [2]int // link or image with a title: the title's text is Close[title[0]:title[1]]
	cut   [2]int // ... and Close[cut[0]:cut[1]] is the title with its quotes and the white space before it
	owner int    // title tag: the ID of its link or image tag
}

// Optional reports whether a translation may leave the tag out: a wiki
// span (a reviewer may delete it; WikiLinks "unwrap" writes its label
// without it) or a link title. Checks that count tags should skip such
// tags when a target lacks them.
func (t Tag) Optional() bool { return t.Kind == WikiTag || t.Kind == TitleTag }

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
	decoded    string             // front matter: the value as YAML reads it
	yamlFlow   bool               // front matter: an item of a flow sequence ([a, b])
	lineStart  bool               // the text starts a line: block syntax at its start must be escaped
	indent     int                // the column the text starts at (its container's content column)
	wiki       wikiMode           // how a translated wiki span is written
	inner      bool               // some tag's text is written elsewhere (titles, wiki labels)
	refs       []parser.Reference // the document's link references, for a probe
}

// wikiMode is Options.WikiLinks resolved.
type wikiMode uint8

const (
	wikiLabel wikiMode = iota
	wikiUnwrap
	wikiKeep
)

// encoding says how a translated text is written back in place.
type encoding uint8

const (
	encInline encoding = iota // Markdown inline text
	encCell                   // table cell: '|' must be escaped
	encYAML                   // front-matter scalar: quoted when needed
	encCode                   // an indented code block read as prose: written as it is
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
