package out

import (
	"fmt"
	"html"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/diglot/diglot/markdown"
)

// This file finds the link destinations of a Hugo page and rewrites those
// that name articles of the site (see hugo.go).

// linker returns the link rewriter of a's side: a destination path that
// names an article of the site, relative to a's name or (starting with /)
// to the root of the names, becomes the path of that article's page of
// the same side. Names are the articles' places in the publish's input,
// which the output mirrors: two articles translated in different runs
// link to each other as they lie in the published tree.
func (s *HugoSite) linker(a *hugoArticle, side int) func(string) (string, bool) {
	return func(p string) (string, bool) {
		rooted := strings.HasPrefix(p, "/")
		var name string
		if rooted {
			name = path.Clean(strings.TrimLeft(p, "/"))
		} else {
			name = path.Join(path.Dir(a.name), p)
		}
		b := s.articles[name]
		if b == nil || !b.linked {
			return "", false
		}
		if rooted {
			// The root is the language's content root in both layouts.
			return "/" + b.page[side], true
		}
		return relPath(path.Dir(a.page[side]), b.page[side]), true
	}
}

// relPath returns the slash-separated path of to relative to the
// directory from, both relative to one root.
func relPath(from, to string) string {
	if from == "." {
		return to
	}
	f, t := strings.Split(from, "/"), strings.Split(to, "/")
	i := 0
	for i < len(f) && i < len(t)-1 && f[i] == t[i] {
		i++
	}
	return strings.Repeat("../", len(f)-i) + strings.Join(t[i:], "/")
}

// linkEdit replaces src[start:end] with text.
type linkEdit struct {
	start, end int
	text       string
}

// linkPlan is the link destinations of a document to rewrite.
type linkPlan struct {
	edits []linkEdit // in source order, not overlapping
	// closes holds the bytes that follow each inline link's text in the
	// page to be ("](dest "title")", "][label]", "]"), in order, and refs
	// the destination of each link reference definition by label: what
	// parsing the page back must find. Both are empty when nothing is
	// rewritten.
	closes []string
	refs   map[string]string
	n      int // destinations rewritten
}

// planLinks finds the destinations link rewrites: those of the inline
// links of src after body (where the front matter ends), located by
// goldmark's own link parser, and of the top-level link reference
// definitions among blocks. Reference links follow their definitions.
func planLinks(src []byte, body int, blocks []markdown.Block, link func(string) (string, bool)) linkPlan {
	var plan linkPlan
	if link == nil {
		return plan
	}
	closes, refs := parseLinks(src, body)
	for _, c := range closes {
		close := string(src[c[0]:c[1]])
		if ds, de, ok := inlineDest(close); ok {
			if nd, ok := rewriteDest(close[ds:de], link); ok {
				plan.edits = append(plan.edits, linkEdit{c[0] + ds, c[0] + de, nd})
				close = close[:ds] + nd + close[de:]
				plan.n++
			}
		}
		plan.closes = append(plan.closes, close)
	}
	plan.refs = refs
	for _, b := range blocks {
		if b.Kind != markdown.LinkRefDef {
			continue
		}
		for _, d := range defDests(src[b.Start:b.End]) {
			raw := string(src[b.Start+d.dest[0] : b.Start+d.dest[1]])
			nd, ok := rewriteDest(raw, link)
			if !ok {
				continue
			}
			plan.edits = append(plan.edits, linkEdit{b.Start + d.dest[0], b.Start + d.dest[1], nd})
			plan.n++
			// goldmark keeps the first definition of a label: this one,
			// if the destination it kept is this one's.
			key := util.ToLinkReference(src[b.Start+d.label[0] : b.Start+d.label[1]])
			if refs[key] == trimAngles(raw) {
				refs[key] = trimAngles(nd)
			}
		}
	}
	slices.SortFunc(plan.edits, func(a, b linkEdit) int { return a.start - b.start })
	return plan
}

// trimAngles returns a destination as goldmark keeps it: without the
// angle brackets of <dest>.
func trimAngles(dest string) string {
	if len(dest) >= 2 && dest[0] == '<' && dest[len(dest)-1] == '>' {
		return dest[1 : len(dest)-1]
	}
	return dest
}

// linkParser parses as markdown does (CommonMark, the GitHub extensions,
// footnotes) with goldmark's link parser wrapped to record where each
// link's closing bytes are: goldmark keeps a link's destination but not
// its place.
var linkParser = sync.OnceValue(func() parser.Parser {
	blocks := append(parser.DefaultBlockParsers(), util.Prioritized(extension.NewFootnoteBlockParser(), 999))
	inlines := []util.PrioritizedValue{
		util.Prioritized(parser.NewCodeSpanParser(), 100),
		util.Prioritized(extension.NewFootnoteParser(), 101),
		util.Prioritized(linkRecorder{parser.NewLinkParser()}, 200),
		util.Prioritized(parser.NewAutoLinkParser(), 300),
		util.Prioritized(parser.NewRawHTMLParser(), 400),
		util.Prioritized(parser.NewEmphasisParser(), 500),
		util.Prioritized(extension.NewStrikethroughParser(), 500),
		util.Prioritized(extension.NewLinkifyParser(), 999),
		util.Prioritized(extension.NewTaskCheckBoxParser(), 0),
	}
	paras := append(parser.DefaultParagraphTransformers(), util.Prioritized(extension.NewTableParagraphTransformer(), 200))
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(paras...),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
})

// linkClosesKey holds a parse's *[][2]int of link closing bytes.
var linkClosesKey = parser.NewContextKey()

// linkRecorder is goldmark's link parser, noting for every link (not
// image) it makes the range from the ] that closes its text to the end
// of what follows: "](dest "title")", "][label]" or nothing more.
type linkRecorder struct{ parser.InlineParser }

func (r linkRecorder) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	n := r.InlineParser.Parse(parent, block, pc)
	if _, ok := n.(*ast.Link); ok && len(line) > 0 && line[0] == ']' {
		if spans, ok := pc.Get(linkClosesKey).(*[][2]int); ok {
			_, pos := block.Position()
			*spans = append(*spans, [2]int{seg.Start, pos.Start})
		}
	}
	return n
}

// CloseBlock passes the end of a block on to the link parser, which
// drops its unclosed brackets there.
func (r linkRecorder) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := r.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}

// parseLinks parses src[from:] and returns the range of the closing bytes
// of every inline link, in order, as offsets into src, and the
// destination of every link reference definition by normalised label.
func parseLinks(src []byte, from int) ([][2]int, map[string]string) {
	var spans [][2]int
	pc := parser.NewContext()
	pc.Set(linkClosesKey, &spans)
	linkParser().Parse(text.NewReader(src[from:]), parser.WithContext(pc))
	for i := range spans {
		spans[i][0] += from
		spans[i][1] += from
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	refs := map[string]string{}
	for _, r := range pc.References() {
		refs[util.ToLinkReference(r.Label())] = string(r.Destination())
	}
	return spans, refs
}

// inlineDest locates the destination in the closing bytes of an inline
// link, "](dest "title")": it returns its byte range (with its angle
// brackets, if any), or false for any other form.
func inlineDest(close string) (int, int, bool) {
	if !strings.HasPrefix(close, "](") {
		return 0, 0, false
	}
	i := skipLinkSpace(close, 2)
	if i >= len(close) || close[i] == ')' {
		return 0, 0, false
	}
	j, ok := destEnd(close, i)
	return i, j, ok
}

// skipLinkSpace skips white space from i, including line endings and,
// after one, a container prefix of block-quote markers.
func skipLinkSpace(s string, i int) int {
	newline := false
	for i < len(s) {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\r':
		case c == '\n':
			newline = true
		case c == '>' && newline:
		default:
			return i
		}
		i++
	}
	return i
}

// destEnd returns the end of the link destination starting at i: after
// the > of <dest>, or where a bare destination ends (white space, or a )
// without its ( ). It reports false when there is none.
func destEnd(s string, i int) (int, bool) {
	if i >= len(s) {
		return 0, false
	}
	if s[i] == '<' {
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '>':
				return j + 1, true
			case '<', '\n', '\r':
				return 0, false
			}
		}
		return 0, false
	}
	depth, j := 0, i
loop:
	for j < len(s) {
		switch c := s[j]; {
		case c == '\\' && j+1 < len(s):
			j += 2
			continue
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				break loop
			}
			depth--
		case c <= ' ' || c == 0x7f:
			break loop
		}
		j++
	}
	return j, j > i && depth == 0
}

// linkDef is where a link reference definition's label (between its
// brackets) and destination are in its block.
type linkDef struct{ label, dest [2]int }

// defDests returns the label and destination of each link reference
// definition in a block of them ("[label]: dest "title"", each on one or
// more lines), in order; it stops at anything it does not read as a
// definition.
func defDests(block []byte) []linkDef {
	s := string(block)
	var defs []linkDef
	pos := 0
	for pos < len(s) {
		i := pos
		for n := 0; n < 3 && i < len(s) && s[i] == ' '; n++ {
			i++
		}
		if i >= len(s) || s[i] != '[' {
			break
		}
		j := i + 1
		for ; j < len(s) && s[j] != ']'; j++ {
			if s[j] == '\\' {
				j++
			} else if s[j] == '[' {
				return defs
			}
		}
		if j+1 >= len(s) || s[j+1] != ':' {
			break
		}
		k := skipDefSpace(s, j+2, true)
		end, ok := destEnd(s, k)
		if !ok || end == k {
			break
		}
		defs = append(defs, linkDef{label: [2]int{i + 1, j}, dest: [2]int{k, end}})
		next, ok := defTail(s, end)
		if !ok {
			break
		}
		pos = next
	}
	return defs
}

// skipDefSpace skips spaces and tabs from i and, when newline is set, one
// line ending with the spaces and tabs after it.
func skipDefSpace(s string, i int, newline bool) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if newline {
		if strings.HasPrefix(s[i:], "\r\n") {
			i += 2
		} else if i < len(s) && s[i] == '\n' {
			i++
		} else {
			return i
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	return i
}

// defTail reads what follows a definition's destination at i: an
// optional title, on the same line or the next, then the end of the line.
// It returns where the next definition would start.
func defTail(s string, i int) (int, bool) {
	eol := func(i int) (int, bool) {
		i = skipDefSpace(s, i, false)
		switch {
		case i == len(s):
			return i, true
		case strings.HasPrefix(s[i:], "\r\n"):
			return i + 2, true
		case s[i] == '\n':
			return i + 1, true
		}
		return 0, false
	}
	if t := skipDefSpace(s, i, true); t < len(s) && strings.IndexByte(`"'(`, s[t]) >= 0 {
		if end, ok := titleEnd(s, t); ok {
			if next, ok := eol(end); ok {
				return next, true
			}
		}
	}
	return eol(i)
}

// titleEnd returns the end of the link title starting at i ("…", '…' or
// (…), which may span lines but not a blank one).
func titleEnd(s string, i int) (int, bool) {
	closer := s[i]
	if closer == '(' {
		closer = ')'
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\':
			j++
		case c == closer:
			return j + 1, true
		case c == '(' && closer == ')':
			return 0, false
		case c == '\n' && isBlank([]byte(lineAfter(s, j+1))):
			return 0, false
		}
	}
	return 0, false
}

// lineAfter returns the line of s starting at i, with its line ending.
func lineAfter(s string, i int) string {
	if i >= len(s) {
		return ""
	}
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		return s[i : i+k+1]
	}
	return s[i:]
}

// rewriteDest returns the destination raw (as written, angle brackets
// included) rewritten by link, or false to keep it. Only a path is asked
// about: not an empty one (an anchor), nor one with a scheme or a host.
func rewriteDest(raw string, link func(string) (string, bool)) (string, bool) {
	angle := strings.HasPrefix(raw, "<")
	inner := raw
	if angle {
		inner = raw[1 : len(raw)-1]
	}
	cut := suffixStart(inner)
	rawPath, suffix := inner[:cut], inner[cut:]
	if rawPath == "" {
		return "", false
	}
	p := html.UnescapeString(unescapePunct(rawPath))
	if hasScheme(p) || strings.HasPrefix(p, "//") {
		return "", false
	}
	dec, err := url.PathUnescape(p)
	percent := err == nil && dec != p
	if err != nil {
		dec = p
	}
	np, ok := link(dec)
	if !ok || np == dec || np == "" {
		return "", false
	}
	if strings.HasPrefix(dec, "./") && !strings.HasPrefix(np, ".") && !strings.HasPrefix(np, "/") {
		np = "./" + np
	}
	if percent {
		segs := strings.Split(np, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		np = strings.Join(segs, "/")
	}
	return formatDest(np, suffix, angle), true
}

// suffixStart returns where a raw destination's query or fragment starts:
// its first ? or # that is neither escaped nor part of a character
// reference (&#35;), or len(s).
func suffixStart(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '&':
			if i+1 < len(s) && s[i+1] == '#' {
				i++
			}
		case '?', '#':
			return i
		}
	}
	return len(s)
}

// unescapePunct removes the backslash of each backslash escape.
func unescapePunct(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hasScheme reports whether p starts with a URL scheme ("https:",
// "mailto:").
func hasScheme(p string) bool {
	i := strings.IndexByte(p, ':')
	if i <= 0 {
		return false
	}
	for k, c := range []byte(p[:i]) {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (k == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// formatDest writes path p (decoded) and the raw suffix as a link
// destination: backslash-escaping what Markdown would read otherwise,
// percent-encoding control characters, and in angle brackets when the
// original was or when p holds a space.
func formatDest(p, suffix string, angle bool) string {
	if strings.ContainsAny(p, " ") {
		angle = true
	}
	open := 0
	balanced := true
	for _, c := range []byte(p) {
		if c == '(' {
			open++
		} else if c == ')' {
			if open == 0 {
				balanced = false
			}
			open--
		}
	}
	balanced = balanced && open == 0
	var b strings.Builder
	if angle {
		b.WriteByte('<')
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c < ' ' || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		case c == '\\' || c == '<' || c == '>':
			b.WriteByte('\\')
			b.WriteByte(c)
		case (c == '(' || c == ')') && !angle && !balanced:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '&' && entityAt(p[i:]):
			b.WriteString(`\&`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteString(suffix)
	if angle {
		b.WriteByte('>')
	}
	return b.String()
}

// entityAt reports whether s starts with what may read as a character
// reference: & then letters, digits or # up to a ;.
func entityAt(s string) bool {
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 1
		case c == '#' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return false
}
