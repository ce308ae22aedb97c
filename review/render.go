package review

import (
	"bytes"
	"html/template"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// mark is a span of text to highlight: a glossary term or a forbidden
// variant.
type mark struct {
	text  string
	class string // "term" or "forbidden"
}

// markdownRenderer renders a block for the page. It is goldmark with the
// extensions the segmenter reads (tables, strikethrough, task lists,
// autolinks, footnotes) and its default, safe HTML renderer: raw HTML is
// replaced by a comment and dangerous link destinations are dropped, so a
// file can never inject script into the page.
var markdownRenderer = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(markTransformer{}, 999))),
	goldmark.WithRendererOptions(
		html.WithXHTML(),
		renderer.WithNodeRenderers(util.Prioritized(markRenderer{}, 500)),
	),
)

var marksKey = parser.NewContextKey()

// renderMarkdown renders block as safe HTML with marks highlighted.
func renderMarkdown(block []byte, marks []mark) template.HTML {
	var buf bytes.Buffer
	ctx := parser.NewContext()
	ctx.Set(marksKey, marks)
	if err := markdownRenderer.Convert(block, &buf, parser.WithContext(ctx)); err != nil {
		// Goldmark fails only on a writer error; show the raw text rather
		// than nothing.
		return renderRaw(block, marks)
	}
	// The renderer's output is escaped and stripped of raw HTML by
	// goldmark itself (html.WithUnsafe is never set).
	return template.HTML(buf.String()) //nolint:gosec // see above
}

// renderRaw escapes block and highlights marks in it, for the raw view.
func renderRaw(block []byte, marks []mark) template.HTML {
	s := string(block)
	var b strings.Builder
	last := 0
	for _, sp := range findMarks(s, marks) {
		b.WriteString(template.HTMLEscapeString(s[last:sp.start]))
		b.WriteString(`<mark class="` + sp.class + `">`)
		b.WriteString(template.HTMLEscapeString(s[sp.start:sp.end]))
		b.WriteString(`</mark>`)
		last = sp.end
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String()) //nolint:gosec // every piece is escaped
}

// markSpan is a found mark: byte offsets into the text.
type markSpan struct {
	start, end int
	class      string
}

// findMarks returns the leftmost-longest, non-overlapping occurrences of
// marks in s, ignoring case where lowering keeps byte offsets.
func findMarks(s string, marks []mark) []markSpan {
	if len(marks) == 0 || s == "" {
		return nil
	}
	hay := s
	if low := strings.ToLower(s); len(low) == len(s) {
		hay = low
	}
	var spans []markSpan
	for _, m := range marks {
		needle := m.text
		if hay != s {
			if low := strings.ToLower(needle); len(low) == len(needle) {
				needle = low
			}
		}
		if needle == "" {
			continue
		}
		for off := 0; off < len(hay); {
			i := strings.Index(hay[off:], needle)
			if i < 0 {
				break
			}
			spans = append(spans, markSpan{off + i, off + i + len(needle), m.class})
			off += i + len(needle)
		}
	}
	slices.SortFunc(spans, func(a, b markSpan) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var keep []markSpan
	end := 0
	for _, sp := range spans {
		if sp.start >= end && utf8.RuneStart(s[sp.start]) && (sp.end == len(s) || utf8.RuneStart(s[sp.end])) {
			keep = append(keep, sp)
			end = sp.end
		}
	}
	return keep
}

// kindMark is the AST node kind of a highlighted span.
var kindMark = ast.NewNodeKind("ReviewMark")

// markNode wraps highlighted text.
type markNode struct {
	ast.BaseInline
	class string
}

func (n *markNode) Kind() ast.NodeKind { return kindMark }

func (n *markNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"class": n.class}, nil)
}

// markTransformer splits text nodes around the marks in the parser
// context, so highlights land in the rendered page without touching the
// HTML the renderer escapes.
type markTransformer struct{}

func (markTransformer) Transform(node *ast.Document, reader text.Reader, pc parser.Context) {
	marks, _ := pc.Get(marksKey).([]mark)
	if len(marks) == 0 {
		return
	}
	src := reader.Source()
	var texts []*ast.Text
	_ = ast.Walk(node, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			texts = append(texts, t)
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		seg := t.Segment
		val := string(seg.Value(src))
		spans := findMarks(val, marks)
		if len(spans) == 0 || seg.Len() != len(val) {
			continue
		}
		parent := t.Parent()
		var pieces []ast.Node
		var lastText *ast.Text
		plain := func(a, b int) {
			if a < b {
				nt := ast.NewTextSegment(text.NewSegment(seg.Start+a, seg.Start+b))
				pieces = append(pieces, nt)
				lastText = nt
			}
		}
		last := 0
		for _, sp := range spans {
			plain(last, sp.start)
			m := &markNode{class: sp.class}
			inner := ast.NewTextSegment(text.NewSegment(seg.Start+sp.start, seg.Start+sp.end))
			m.AppendChild(m, inner)
			pieces = append(pieces, m)
			lastText = inner
			last = sp.end
		}
		plain(last, len(val))
		lastText.SetSoftLineBreak(t.SoftLineBreak())
		lastText.SetHardLineBreak(t.HardLineBreak())
		for _, p := range pieces {
			parent.InsertBefore(parent, t, p)
		}
		parent.RemoveChild(parent, t)
	}
}

// markRenderer renders markNode as <mark>.
type markRenderer struct{}

func (markRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMark, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<mark class="` + n.(*markNode).class + `">`)
		} else {
			_, _ = w.WriteString(`</mark>`)
		}
		return ast.WalkContinue, nil
	})
}
