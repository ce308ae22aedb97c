package out

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/diglot/diglot/markdown"
)

// The HTML layout (publish --layout html) is a static reading page per
// article: each translated block next to its source, in facing columns on
// a wide screen and one after the other on a narrow one, with CSS only
// and no external assets. Blocks with nothing to translate (images, code)
// span both columns; footnotes of both languages close the page.
//
// Markdown is rendered with goldmark (CommonMark, GitHub extensions,
// footnotes, East Asian line breaks). Raw HTML in the articles is not
// passed through: a page built from machine output must not run what an
// engine wrote. Links to other Markdown files (relative, ending in .md or
// .markdown) point to their pages.

//go:embed html.css
var pageCSS string

//go:embed html.tmpl
var pageTemplates string

var templates = template.Must(template.New("").Parse(pageTemplates))

// htmlMarkdown renders the pages.
var htmlMarkdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.NewCJK(extension.WithEastAsianLineBreaks())),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(pageLinks{}, 999))),
	)
})

// HTMLOptions adjust an article's page. A nil *HTMLOptions means the
// defaults.
type HTMLOptions struct {
	// Index is the link from the page to the list of articles, relative
	// to the page ("../index.html"); empty means no link.
	Index string
}

// row is one row of a page: a unit's source and target, or a block both
// languages share, rendered.
type row struct {
	src, tgt, shared []byte
}

// page is what the article template needs.
type page struct {
	Title, Source, Target, Index string
	CSS                          template.CSS
	// Rows are the rows' markup, written by writeRows: a page has a row
	// per block, too many to go through the template one by one.
	Rows  template.HTML
	Notes template.HTML
}

// writeRows writes the markup of rows: a shared row spans both columns,
// a unit's row holds its source and target columns, each marked with its
// language (escaped as html/template escapes an attribute value).
func writeRows(rows []row, source, target string) template.HTML {
	source, target = attrEscape(source), attrEscape(target)
	n := 0
	for _, r := range rows {
		n += len(r.src) + len(r.tgt) + len(r.shared) + 100 + len(source) + len(target)
	}
	var b strings.Builder
	b.Grow(n)
	for _, r := range rows {
		if r.shared != nil {
			b.WriteString("<div class=\"shared\">\n")
			b.Write(r.shared)
			b.WriteString("</div>\n")
			continue
		}
		b.WriteString("<div class=\"pair\">\n<div class=\"src\" lang=\"" + source + "\">\n")
		b.Write(r.src)
		b.WriteString("</div>\n<div class=\"tgt\" lang=\"" + target + "\">\n")
		b.Write(r.tgt)
		b.WriteString("</div>\n</div>\n")
	}
	return template.HTML(b.String())
}

// HTMLPage returns the article's bilingual reading page (publish --layout
// html) and its title: the target front matter's title, else the text of
// the first translated heading of the highest level (a navigation line
// set as ### above the article's ## title does not win), else the source
// file's name.
func (f *File) HTMLPage(opts *HTMLOptions) ([]byte, string, error) {
	if opts == nil {
		opts = &HTMLOptions{}
	}
	doc, pieces, title := f.htmlSource()
	md := htmlMarkdown()
	root := md.Parser().Parse(text.NewReader(doc))
	// Each block is rendered alone, to put it in its row, through one
	// buffered writer (goldmark would make a new one per block).
	var part bytes.Buffer
	bw := bufio.NewWriter(&part)
	render := func(n ast.Node) ([]byte, error) {
		part.Reset()
		bw.Reset(&part)
		err := md.Renderer().Render(bw, doc, n)
		return part.Bytes(), err
	}
	var rows []row
	var notes []byte
	heading, level := "", 7 // the first target heading of the highest level
	cur := -1               // index of the piece the last node belonged to
	lastUnit, lastRow := -1, -1
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == east.KindFootnoteList {
			b, err := render(n)
			if err != nil {
				return nil, "", fmt.Errorf("out: render notes: %w", err)
			}
			notes = append(notes, b...)
			continue
		}
		if at := nodeStart(n); at >= 0 {
			cur = pieceAt(pieces, at, cur)
		}
		if cur < 0 || pieces[cur].kind == pieceSeparator {
			continue
		}
		b, err := render(n)
		if err != nil {
			return nil, "", fmt.Errorf("out: render: %w", err)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue // a link reference definition, say
		}
		p := pieces[cur]
		if h, ok := n.(*ast.Heading); ok && p.kind == pieceTarget && h.Level < level {
			if t := strings.TrimSpace(plainText(n, doc)); t != "" {
				heading, level = t, h.Level
			}
		}
		switch p.kind {
		case pieceShared:
			// Shared blocks in a row (an image, then code) share a row.
			if len(rows) == 0 || rows[len(rows)-1].shared == nil {
				rows = append(rows, row{shared: []byte{}})
			}
			r := &rows[len(rows)-1]
			r.shared = append(r.shared, b...)
		case pieceSource, pieceTarget:
			// A unit's pieces come one after the other: its row is the
			// last one made.
			if p.unit != lastUnit {
				lastUnit, lastRow = p.unit, len(rows)
				rows = append(rows, row{})
			}
			r := &rows[lastRow]
			if p.kind == pieceSource {
				r.src = append(r.src, b...)
			} else {
				r.tgt = append(r.tgt, b...)
			}
		}
	}
	if title == "" {
		title = heading
	}
	if title == "" {
		title = f.Header.From
	}
	if title == "" {
		title = f.Name
	}
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "page", page{
		Title: title, Source: f.Header.Source, Target: f.Header.Target, Index: opts.Index,
		CSS: template.CSS(pageCSS), Rows: writeRows(rows, f.Header.Source, f.Header.Target), Notes: template.HTML(notes),
	})
	if err != nil {
		return nil, "", fmt.Errorf("out: page: %w", err)
	}
	return buf.Bytes(), title, nil
}

// attrEscape escapes s for a quoted attribute value as html/template does.
func attrEscape(s string) string {
	return strings.ReplaceAll(template.HTMLEscapeString(s), "+", "&#43;")
}

// IndexEntry is one article in the list page.
type IndexEntry struct {
	Href  string // the page, relative to the list page, slash-separated
	Title string
}

// HTMLIndex returns the page listing the articles (publish --layout html
// writes it as index.html), titled title, in the order given.
func HTMLIndex(title, lang string, entries []IndexEntry) ([]byte, error) {
	var buf bytes.Buffer
	err := templates.ExecuteTemplate(&buf, "index", struct {
		Title, Lang string
		CSS         template.CSS
		Entries     []IndexEntry
	}{title, lang, template.CSS(pageCSS), entries})
	if err != nil {
		return nil, fmt.Errorf("out: index page: %w", err)
	}
	return buf.Bytes(), nil
}

// pieceKind says what a run of the page's Markdown is.
type pieceKind uint8

const (
	pieceShared    pieceKind = iota // a block with nothing to translate
	pieceSource                     // a unit's source block
	pieceTarget                     // a unit's target block
	pieceSeparator                  // keeps a source list or quote apart from its target
)

// pagePiece is a run of the page's Markdown and what it is.
type pagePiece struct {
	start int
	kind  pieceKind
	unit  int // index into File.Units, or -1
}

// htmlSource assembles the Markdown the page is rendered from: the source
// document with each unit's target block after its source block, kept
// apart as in PairedDocument (footnotes renamed, lists separated), without
// front matter. It returns where each piece starts and the target front
// matter's title, if any.
func (f *File) htmlSource() ([]byte, []pagePiece, string) {
	src := f.Source.Source()
	unitOf := f.unitOf()
	notes := f.footnoteRenames()
	var doc []byte
	var pieces []pagePiece
	title := ""
	add := func(b []byte, kind pieceKind, unit int) {
		pieces = append(pieces, pagePiece{start: len(doc), kind: kind, unit: unit})
		doc = append(doc, b...)
		if !endsLine(doc) {
			doc = append(doc, '\n')
		}
	}
	for i, b := range f.Source.Blocks {
		s := src[b.Start:b.End]
		if i == 0 {
			s = stripBOM(s)
		}
		k := unitOf[i]
		isUnit := k >= 0
		if b.Kind == markdown.FrontMatter {
			if isUnit {
				title = frontMatterTitle(f.Units[k].TargetBytes)
			}
			continue
		}
		if !isUnit {
			add(s, pieceShared, -1)
			continue
		}
		u := &f.Units[k]
		add(s, pieceSource, k)
		doc = append(doc, '\n')
		pieces = append(pieces, pagePiece{start: len(doc), kind: pieceSeparator, unit: -1})
		doc = append(doc, separator+"\n\n"...)
		add(notes.rename(f.Source, u), pieceTarget, k)
		doc = append(doc, '\n')
	}
	return doc, pieces, title
}

// pieceAt returns the index of the piece holding offset at, searching on
// from cur (nodes come in document order).
func pieceAt(pieces []pagePiece, at, cur int) int {
	i := max(cur, 0)
	for i+1 < len(pieces) && pieces[i+1].start <= at {
		i++
	}
	for i > 0 && pieces[i].start > at {
		i--
	}
	return i
}

// nodeStart returns the offset in the source of the first line of n or of
// its first descendant that has lines, or -1.
func nodeStart(n ast.Node) int {
	if n.Type() == ast.TypeBlock {
		if l := n.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
	}
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if at := nodeStart(c); at >= 0 {
			return at
		}
	}
	return -1
}

// titleRE finds a title field in front matter.
var titleRE = regexp.MustCompile(`(?m)^title:[ \t]*(.*?)[ \t]*\r?$`)

// frontMatterTitle returns the title field of front matter, unquoted, or
// "".
func frontMatterTitle(fm []byte) string {
	m := titleRE.FindSubmatch(fm)
	if m == nil {
		return ""
	}
	v := string(m[1])
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
		return v[1 : len(v)-1]
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

// pageLinks points links to Markdown files at their pages: a relative
// destination ending in .md or .markdown (before any #fragment) ends in
// .html instead.
type pageLinks struct{}

func (pageLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			l.Destination = pageLink(l.Destination)
		}
		return ast.WalkContinue, nil
	})
}

// pageLink rewrites one destination (see pageLinks).
func pageLink(dest []byte) []byte {
	d := string(dest)
	if strings.Contains(d, "://") || strings.HasPrefix(d, "/") || strings.HasPrefix(d, "#") || strings.HasPrefix(d, "mailto:") {
		return dest
	}
	p, frag, _ := strings.Cut(d, "#")
	ext := path.Ext(p)
	if !strings.EqualFold(ext, ".md") && !strings.EqualFold(ext, ".markdown") {
		return dest
	}
	out := strings.TrimSuffix(p, ext) + ".html"
	if frag != "" || strings.Contains(d, "#") {
		out += "#" + frag
	}
	return []byte(out)
}
