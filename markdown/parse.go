package markdown

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/language"
)

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// defaultMaxDepth bounds container nesting when Options.MaxDepth is zero.
const defaultMaxDepth = 64

// options are the resolved Options.
type options struct {
	fields   map[string]bool
	maxDepth int
	wiki     wikiMode
	indented string
	source   language.Tag
}

func resolve(o *Options) options {
	r := options{fields: map[string]bool{"title": true, "description": true, "summary": true}, maxDepth: defaultMaxDepth, indented: IndentedAuto}
	if o == nil {
		return r
	}
	if o.FrontMatterFields != nil {
		r.fields = map[string]bool{}
		for _, f := range o.FrontMatterFields {
			r.fields[f] = true
		}
	}
	if o.MaxDepth > 0 {
		r.maxDepth = o.MaxDepth
	}
	switch o.WikiLinks {
	case WikiUnwrap:
		r.wiki = wikiUnwrap
	case WikiKeep:
		r.wiki = wikiKeep
	}
	if o.IndentedCode != "" {
		r.indented = o.IndentedCode
	}
	r.source = o.Source
	return r
}

// gmParser is built once: a goldmark parser is safe for concurrent use and
// keeps its per-document state in the parser.Context.
var gmParser = sync.OnceValue(newParser)

// newParser assembles goldmark's CommonMark parser with the GFM extensions
// and footnotes by hand rather than through goldmark.New: the footnote AST
// transformer would move (and drop unreferenced) definitions to the end of
// the document, which breaks the mapping from nodes to source order.
func newParser() parser.Parser {
	blocks := append(parser.DefaultBlockParsers(),
		util.Prioritized(&footnoteBlocks{extension.NewFootnoteBlockParser()}, 999))
	inlines := append(parser.DefaultInlineParsers(),
		util.Prioritized(extension.NewStrikethroughParser(), 500),
		util.Prioritized(extension.NewLinkifyParser(), 999),
		util.Prioritized(extension.NewFootnoteParser(), 101),
		util.Prioritized(extension.NewTaskCheckBoxParser(), 0))
	paras := append(parser.DefaultParagraphTransformers(),
		util.Prioritized(extension.NewTableParagraphTransformer(), 200))
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(paras...),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
}

// footnoteLabelsKey holds the labels of all footnote definitions.
var footnoteLabelsKey = parser.NewContextKey()

// topFootnotesKey holds the footnote definitions opened at the top level.
var topFootnotesKey = parser.NewContextKey()

// footnoteBlocks records which footnote definitions sit at the top level
// before goldmark moves them into a footnote list.
type footnoteBlocks struct{ parser.BlockParser }

func (f *footnoteBlocks) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	if fn, ok := node.(*east.Footnote); ok {
		labels, _ := pc.Get(footnoteLabelsKey).([]string)
		pc.Set(footnoteLabelsKey, append(labels, string(fn.Ref)))
	}
	if p := node.Parent(); p != nil && p.Kind() == ast.KindDocument {
		list, _ := pc.Get(topFootnotesKey).([]ast.Node)
		pc.Set(topFootnotesKey, append(list, node))
	}
	f.BlockParser.Close(node, reader, pc)
}

// Parse parses src (valid UTF-8) as CommonMark with the GFM extensions,
// footnotes and YAML front matter, and cuts it into skeleton and segments.
func Parse(src []byte, opts *Options) (*Document, error) {
	return parse(src, opts, nil)
}

// ParseFragment parses frag, a run of top-level blocks cut from ctx's source
// (such as one edited target block of a bilingual file), with ctx's link
// reference definitions in scope so reference links resolve as they did in
// the whole document.
//
// Footnote definitions of ctx are in scope too: goldmark resolves a footnote
// reference only against definitions in the same parse, so stand-in
// definitions are parsed after frag and cut off again.
func ParseFragment(frag []byte, ctx *Document, opts *Options) (*Document, error) {
	if ctx == nil {
		return parse(frag, opts, nil)
	}
	if len(ctx.notes) == 0 {
		return parse(frag, opts, ctx)
	}
	src := append([]byte(nil), frag...)
	src = append(src, "\n\n"...)
	for _, l := range ctx.notes {
		src = append(src, "[^"+l+"]: -\n\n"...)
	}
	d, err := parse(src, opts, ctx)
	if err != nil {
		return nil, err
	}
	d.truncate(len(frag))
	return d, nil
}

// parse parses src; ctx, when not nil, is the document src was cut from
// (its link references are in scope).
func parse(src []byte, opts *Options, ctx *Document) (*Document, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		return nil, fmt.Errorf("%w at byte %d", ErrInvalidUTF8, invalidAt(src))
	}
	b := &builder{src: src, opts: resolve(opts), ctx: ctx}
	var refs []parser.Reference
	if ctx != nil {
		refs = ctx.refs
	}
	b.run(refs)
	return b.doc, nil
}

// parseBody runs goldmark over body with refs predefined and returns the
// document node and the context holding what the parse recorded.
func parseBody(body []byte, refs []parser.Reference) (ast.Node, parser.Context) {
	pc := parser.NewContext()
	for _, r := range refs {
		pc.AddReference(r)
	}
	root := gmParser().Parse(text.NewReader(body), parser.WithContext(pc))
	return root, pc
}

// invalidAt returns the offset of the first byte of src that is not valid
// UTF-8.
func invalidAt(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(src)
}
