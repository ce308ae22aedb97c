package markdown

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// shape is the structure of a document that a translation must keep; it is
// summarised at parse time so Compare needs no syntax tree.
type shape struct {
	blocks []shapeBlock
	code   []shapeItem // code block contents, in order
	inline map[string][]shapeItem
}

// shapeBlock is one top-level block: its kind and the signature of its
// subtree (kinds, nesting, heading levels, list kinds and item counts,
// table rows and columns).
type shapeBlock struct {
	off  int
	kind BlockKind
	sig  string
}

// shapeItem is a value found at a byte offset.
type shapeItem struct {
	off   int
	val   string
	prose bool // a code block translated as prose: its text is not compared
}

// The kinds of inline value Compare counts.
const (
	inlLink  = "link"
	inlImage = "image"
	inlCode  = "code-span"
	inlHTML  = "html"
)

type summarizer struct {
	body     []byte
	base     int
	maxDepth int
	prosed   map[ast.Node]bool
	sh       *shape
}

func summarize(root ast.Node, body []byte, base, maxDepth int, prosed map[ast.Node]bool) *shape {
	s := &summarizer{body: body, base: base, maxDepth: maxDepth, prosed: prosed, sh: &shape{inline: map[string][]shapeItem{}}}
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		var b strings.Builder
		s.sig(&b, c, 0)
		s.sh.blocks = append(s.sh.blocks, shapeBlock{off: max(nodeStart(c), 0) + base, kind: blockKind(c), sig: b.String()})
	}
	return s.sh
}

// sig writes the signature of n's subtree and records what it holds.
func (s *summarizer) sig(b *strings.Builder, n ast.Node, depth int) {
	switch v := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		b.WriteString("p")
		s.inlines(n)
		return
	case *ast.Heading:
		b.WriteString("h" + strconv.Itoa(v.Level))
		s.inlines(n)
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		b.WriteString("code")
		s.sh.code = append(s.sh.code, shapeItem{s.base + max(nodeStart(n), 0), linesText(n, s.body), s.prosed[n]})
		return
	case *ast.List:
		if v.IsOrdered() {
			b.WriteString("ol")
		} else {
			b.WriteString("ul")
		}
		b.WriteString(strconv.Itoa(n.ChildCount()))
	case *east.Table:
		cols := 0
		if n.FirstChild() != nil {
			cols = n.FirstChild().ChildCount()
		}
		b.WriteString("table" + strconv.Itoa(n.ChildCount()) + "x" + strconv.Itoa(cols))
	case *east.TableCell:
		b.WriteString("c")
		s.inlines(n)
		return
	default:
		b.WriteString(strings.ToLower(n.Kind().String()))
	}
	if n.Kind() == ast.KindBlockquote || n.Kind() == ast.KindList {
		if depth++; depth > s.maxDepth {
			return
		}
	}
	if n.FirstChild() == nil {
		return
	}
	b.WriteByte('(')
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c != n.FirstChild() {
			b.WriteByte(',')
		}
		s.sig(b, c, depth)
	}
	b.WriteByte(')')
}

// linesText returns the concatenated lines of a block.
func linesText(n ast.Node, src []byte) string {
	var b strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// inlines records the link and image destinations, inline code and raw
// HTML under n.
func (s *summarizer) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		add := func(kind, val string) {
			s.sh.inline[kind] = append(s.sh.inline[kind], shapeItem{off: s.base + max(c.Pos(), 0), val: val})
		}
		switch v := c.(type) {
		case *ast.Link:
			add(inlLink, string(v.Destination))
		case *ast.AutoLink:
			// Not compared: whether a bare URL is linkified depends on its
			// neighbours ("（https://…）" is not, "(https://…)" is), which
			// a translation changes. Autolinks are protected tags, so the
			// tags and urls checks see one lost or changed.
		case *ast.Image:
			add(inlImage, string(v.Destination))
			continue
		case *ast.CodeSpan:
			add(inlCode, string(codeText(c, s.body)))
			continue
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < v.Segments.Len(); i++ {
				seg := v.Segments.At(i)
				b.Write(seg.Value(s.body))
			}
			add(inlHTML, b.String())
			continue
		}
		s.inlines(c)
	}
}

// codeText returns the content of a code span as goldmark reads it.
func codeText(n ast.Node, src []byte) []byte {
	var b []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b = append(b, t.Segment.Value(src)...)
		}
	}
	return b
}

// truncate drops what lies at or beyond offset n.
func (s *shape) truncate(n int) {
	keep := s.blocks[:0]
	for _, b := range s.blocks {
		if b.off < n {
			keep = append(keep, b)
		}
	}
	s.blocks = keep
	s.code = cutItems(s.code, n)
	for k, v := range s.inline {
		s.inline[k] = cutItems(v, n)
	}
}

func cutItems(items []shapeItem, n int) []shapeItem {
	keep := items[:0]
	for _, it := range items {
		if it.off < n {
			keep = append(keep, it)
		}
	}
	return keep
}
