package markdown

import (
	"bytes"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/diglot/diglot/tags"
)

// spanKind says what a span of a leaf block's bytes becomes in its text.
type spanKind uint8

const (
	spanStandalone spanKind = iota // <xN/>
	spanOpen                       // <gN>
	spanClose                      // </gN>
	spanBreak                      // a soft line break: "\n"
	spanHard                       // a hard line break: <xN/>
	spanTitle                      // empty, after a link's close: <gN>title</gN>
)

// span is a byte range of the source that the text does not copy.
type span struct {
	start, end int
	kind       spanKind
	tag        *pendingTag // the tag a tag span belongs to
}

// pendingTag is a tag before its number is known.
type pendingTag struct {
	kind  TagKind
	dest  string
	id    int
	text  string      // wiki label, title text
	owner *pendingTag // title: its link or image
	title [2]int      // link or image: its title's text, as source offsets
	cut   [2]int      // ... and the title with its quotes and the white space before
}

// spanWalker collects the tag spans of a leaf block's inline nodes.
type spanWalker struct {
	src    []byte
	end    int
	spans  []span
	ok     bool
	urlEnd int // end of the last URL protected from text
}

// inlineSpans returns the tag spans of n's inlines in source order; ok is
// false when a node's bytes cannot be located exactly.
func inlineSpans(src []byte, n ast.Node, start, end int) ([]span, bool) {
	w := &spanWalker{src: src, end: end, ok: true}
	for c := n.FirstChild(); c != nil && w.ok; c = c.NextSibling() {
		w.node(c)
	}
	if !w.ok {
		return nil, false
	}
	for _, s := range w.spans {
		if s.start < start || s.end > end || s.start >= s.end && s.kind != spanTitle {
			return nil, false
		}
	}
	return w.spans, true
}

func (w *spanWalker) standalone(kind TagKind, s, e int, dest string) {
	w.spans = append(w.spans, span{start: s, end: e, kind: spanStandalone, tag: &pendingTag{kind: kind, dest: dest}})
}

func (w *spanWalker) paired(kind TagKind, s, e, cs, ce int, dest string, n ast.Node) *pendingTag {
	if s < 0 || cs < e || ce > w.end || !delimiters(kind, w.src[s:e], w.src[cs:ce]) {
		w.ok = false
		return nil
	}
	t := &pendingTag{kind: kind, dest: dest}
	w.spans = append(w.spans, span{start: s, end: e, kind: spanOpen, tag: t})
	w.children(n)
	w.spans = append(w.spans, span{start: cs, end: ce, kind: spanClose, tag: t})
	return t
}

// title makes the title of an inline link or image t, whose "(dest
// "title")" starts at p, translatable: a TitleTag right after the link's
// closing tag carries its text. A title over several lines, or holding
// text that looks like a tag, stays in the closing bytes.
func (w *spanWalker) title(t *pendingTag, p, ce int) {
	if t == nil {
		return
	}
	ws, ts, te, qe, ok := inlineLinkTitle(w.src[:ce], p)
	if !ok {
		return
	}
	t.cut = [2]int{ws, qe}
	text := w.src[ts:te]
	if ts == te || bytes.ContainsAny(text, "\r\n") || bytes.IndexByte(text, '<') >= 0 && tags.Has(string(text)) {
		return
	}
	t.title = [2]int{ts, te}
	w.spans = append(w.spans, span{start: ce, end: ce, kind: spanTitle,
		tag: &pendingTag{kind: TitleTag, owner: t, text: string(text)}})
}

func (w *spanWalker) children(n ast.Node) {
	for c := n.FirstChild(); c != nil && w.ok; c = c.NextSibling() {
		w.node(c)
	}
}

func (w *spanWalker) node(n ast.Node) {
	s, e := w.rng(n)
	if s < 0 || e < s {
		w.ok = false
		return
	}
	switch v := n.(type) {
	case *ast.Text:
		// A run of text nodes is scanned as one: goldmark splits text at
		// delimiters that did not pair ("_" in ":statue_of_liberty:"),
		// which GitHub and a translation's reader do not see.
		if _, ok := n.PreviousSibling().(*ast.Text); ok {
			return
		}
		run := w.textRunEnd(n, e)
		w.textURLs(n, s, run)
		w.textEmails(s, run)
		w.shortcodes(s, run)
	case *east.TaskCheckBox:
	case *ast.Emphasis:
		kind := EmphasisTag
		if v.Level == 2 {
			kind = StrongTag
		}
		w.paired(kind, s, s+v.Level, e-v.Level, e, "", n)
	case *east.Strikethrough:
		l := tildes(w.src, s)
		w.paired(StrikeTag, s, s+l, e-l, e, "", n)
	case *ast.Link:
		if v.Reference != nil && v.Reference.Type != ast.ReferenceLinkFull {
			// The text of [label] and [label][] is the label: translating
			// it would break the link.
			w.standalone(LinkTag, s, e, string(v.Destination))
			return
		}
		te := w.textEnd(n, s+1)
		t := w.paired(LinkTag, s, s+1, te, e, string(v.Destination), n)
		if v.Reference == nil {
			w.title(t, te+1, e)
		}
	case *ast.Image:
		if v.Reference != nil && v.Reference.Type != ast.ReferenceLinkFull || n.FirstChild() == nil {
			// No alt text, or alt text that is the reference label.
			w.standalone(ImageTag, s, e, string(v.Destination))
			return
		}
		te := w.textEnd(n, s+2)
		t := w.paired(ImageTag, s, s+2, te, e, string(v.Destination), n)
		if v.Reference == nil {
			w.title(t, te+1, e)
		}
	case *ast.CodeSpan:
		w.standalone(CodeTag, s, e, "")
	case *ast.RawHTML:
		w.standalone(HTMLTag, s, e, "")
	case *ast.AutoLink:
		w.standalone(AutolinkTag, s, e, string(v.URL(w.src)))
	case *east.FootnoteLink:
		w.standalone(FootnoteRefTag, s, e, "")
	default:
		w.ok = false
	}
}

// rng returns the byte range of an inline node, or negative offsets when
// it is unknown. startOf follows first children and endOf last children only,
// so nested emphasis costs time linear in its depth per node.
func (w *spanWalker) rng(n ast.Node) (int, int) { return w.startOf(n), w.endOf(n) }

func (w *spanWalker) startOf(n ast.Node) int {
	switch v := n.(type) {
	case nil:
		return -1
	case *ast.Text:
		return v.Segment.Start
	case *ast.Emphasis:
		return w.startOf(n.FirstChild()) - v.Level
	case *east.Strikethrough:
		s := w.startOf(n.FirstChild())
		return s - tildesBefore(w.src, s)
	case *ast.RawHTML:
		if v.Segments.Len() == 0 {
			return -1
		}
		return v.Segments.At(0).Start
	case *ast.AutoLink:
		s, _ := w.autolink(v)
		return s
	}
	return n.Pos()
}

func (w *spanWalker) endOf(n ast.Node) int {
	switch v := n.(type) {
	case *ast.Text:
		return v.Segment.Stop
	case *ast.Emphasis:
		if e := w.endOf(n.LastChild()); e >= 0 {
			return e + v.Level
		}
	case *east.Strikethrough:
		if e := w.endOf(n.LastChild()); e >= 0 {
			return e + tildesBefore(w.src, w.startOf(n.FirstChild()))
		}
	case *ast.Link:
		return w.linkEnd(n, v.Reference, n.Pos()+1)
	case *ast.Image:
		return w.linkEnd(n, v.Reference, n.Pos()+2)
	case *ast.CodeSpan:
		return codeSpanEnd(w.src, n.Pos(), w.end)
	case *ast.RawHTML:
		if v.Segments.Len() > 0 {
			return v.Segments.At(v.Segments.Len() - 1).Stop
		}
	case *ast.AutoLink:
		_, e := w.autolink(v)
		return e
	case *east.FootnoteLink:
		p := n.Pos()
		if p < 0 || p >= w.end {
			return -1
		}
		if i := bytes.IndexByte(w.src[p:w.end], ']'); i >= 0 {
			return p + i + 1
		}
	case *east.TaskCheckBox:
		return n.Pos() + 3
	}
	return -1
}

// tildesBefore returns how many of the (at most two) bytes before s are
// the tildes of a strikethrough delimiter.
func tildesBefore(src []byte, s int) int {
	if s >= 2 && src[s-1] == '~' && src[s-2] == '~' {
		return 2
	}
	return 1
}

// tildes returns the length of the strikethrough delimiter at s.
func tildes(src []byte, s int) int {
	if s+1 < len(src) && src[s+1] == '~' {
		return 2
	}
	return 1
}

// textEnd returns the offset of the ']' that closes a link's text.
func (w *spanWalker) textEnd(n ast.Node, from int) int {
	if n.LastChild() != nil {
		if e := w.endOf(n.LastChild()); e > from {
			from = e
		}
	}
	if from < 0 || from > w.end {
		return -1
	}
	i := bytes.IndexByte(w.src[from:w.end], ']')
	if i < 0 {
		return -1
	}
	return from + i
}

// linkEnd returns the end of a link or image: its text, then the
// destination, reference label or nothing, as goldmark recorded it.
func (w *spanWalker) linkEnd(n ast.Node, ref *ast.ReferenceLink, from int) int {
	if n.Pos() < 0 {
		return -1
	}
	te := w.textEnd(n, from)
	if te < 0 {
		return -1
	}
	after := te + 1
	if ref == nil {
		return inlineLinkEnd(w.src[:w.end], after)
	}
	switch ref.Type {
	case ast.ReferenceLinkFull, ast.ReferenceLinkCollapsed:
		if after >= w.end || w.src[after] != '[' {
			return -1
		}
		i := closingBracket(w.src[:w.end], after+1)
		if i < 0 {
			return -1
		}
		return i + 1
	}
	return after
}

// autolink locates an autolink's URL from its position (goldmark puts a
// linkified URL's position at the character that triggered it) and takes
// in its angle brackets when it has them.
func (w *spanWalker) autolink(v *ast.AutoLink) (int, int) {
	p := v.Pos()
	label := v.Label(w.src)
	if p < 0 || p > w.end || len(label) == 0 {
		return -1, -1
	}
	i := bytes.Index(w.src[p:w.end], label)
	if i < 0 {
		return -1, -1
	}
	s, e := p+i, p+i+len(label)
	if s > 0 && w.src[s-1] == '<' && e < w.end && w.src[e] == '>' {
		return s - 1, e + 1
	}
	if e < w.end && (w.src[e] == '\\' || w.src[e] >= utf8.RuneSelf) {
		e = extendURL(w.src, s, e, w.textRunEnd(v, e))
	}
	w.urlEnd = max(w.urlEnd, e)
	return s, e
}

// textRunEnd is where the run of text nodes after n ends: a URL may run
// on through them, never into another node or past its parent's closing
// delimiter.
func (w *spanWalker) textRunEnd(n ast.Node, e int) int {
	for sib := n.NextSibling(); sib != nil; sib = sib.NextSibling() {
		if _, text := sib.(*ast.Text); !text {
			break
		}
		e = max(e, w.endOf(sib))
	}
	return e
}

// codeSpanEnd returns the end of the code span whose opening backticks
// start at s: after the next run of exactly as many backticks.
func codeSpanEnd(src []byte, s, end int) int {
	if s < 0 || s >= end || src[s] != '`' {
		return -1
	}
	n := 0
	for s+n < end && src[s+n] == '`' {
		n++
	}
	for i := s + n; i < end; {
		if src[i] != '`' {
			i++
			continue
		}
		j := i
		for j < end && src[j] == '`' {
			j++
		}
		if j-i == n {
			return j
		}
		i = j
	}
	return -1
}

// delimiters reports whether open and close are plausible delimiters of a
// paired tag of kind: a located span that is not is a bug, not a tag.
func delimiters(kind TagKind, open, close []byte) bool {
	switch kind {
	case LinkTag:
		return string(open) == "[" && len(close) > 0 && close[0] == ']'
	case ImageTag:
		return string(open) == "![" && len(close) > 0 && close[0] == ']'
	case StrikeTag:
		return allBytes(open, '~') && allBytes(close, '~')
	}
	return len(open) > 0 && (allBytes(open, '*') || allBytes(open, '_')) && string(open) == string(close)
}

func allBytes(b []byte, c byte) bool {
	for _, x := range b {
		if x != c {
			return false
		}
	}
	return len(b) > 0
}

// textURLs protects bare URLs in text that goldmark's linkify did not take:
// linkify needs white space before a URL, and Chinese text puts one right
// after a character or a full-width colon ("推特：https://…"). A URL found
// here may run on (extendURL) into the next text nodes, but never over
// another inline node.
func (w *spanWalker) textURLs(n ast.Node, s, e int) {
	limit := -1 // the end of the run of text, found once a URL is
	for i := max(s, w.urlEnd); i < e; {
		j := urlStart(w.src[i:e])
		if j < 0 {
			return
		}
		if limit < 0 {
			limit = w.textRunEnd(n, e)
		}
		p := i + j
		end := p + linkifyEnd(w.src[p:limit])
		if end == p {
			end = urlEnd(w.src, p, limit) // not a URL to linkify; protect what looks like one
		}
		end = extendURL(w.src, p, end, limit)
		if end-p > len("https://") {
			w.standalone(AutolinkTag, p, end, string(w.src[p:end]))
			w.urlEnd = end
			i = end
			continue
		}
		i = p + 1
	}
}

// textEmails protects the e-mail addresses in text that goldmark's
// linkify did not take: linkify needs white space before one, and Chinese
// text glues an address to the characters around it
// ("信箱LiuGangNY@gmail.com，"). A translation puts a space there, linkify
// then links the address, and the two sides must hold the same tag: the
// autolink's, "mailto:" and the address.
func (w *spanWalker) textEmails(s, e int) {
	for i := max(s, w.urlEnd); i < e; i++ {
		at := bytes.IndexByte(w.src[i:e], '@')
		if at < 0 {
			return
		}
		at += i
		p := at
		for p > s && isEmailLocal(w.src[p-1]) {
			p--
		}
		if p == at || p < w.urlEnd {
			i = at
			continue
		}
		n := linkifyLen(w.src[p:e])
		if n <= at-p+1 || !dottedDomain(w.src[at+1:p+n]) {
			i = at
			continue
		}
		// Inside a URL or another span already protected, nothing is added.
		w.insertStandalone(AutolinkTag, p, p+n, "mailto:"+string(w.src[p:p+n]))
		i = p + n - 1
	}
}

// dottedDomain reports whether an address's domain has a dot and ends in
// letters, as GitHub's extended e-mail autolinks must ("a@b" is a user
// name, and "我们@NFSC" translated is "we@NFSC").
func dottedDomain(d []byte) bool {
	dot := bytes.LastIndexByte(d, '.')
	if dot <= 0 || len(d)-dot < 3 {
		return false
	}
	for _, c := range d[dot+1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// isEmailLocal reports the bytes of an address's local part that
// goldmark's linkify accepts.
func isEmailLocal(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '+' || c == '-'
}

// shortcodes protects emoji shortcodes (":house:", ":+1:") in text: GitHub
// renders them as pictures, and translated they would not render at all.
// The rule looks only at the shortcode itself, never at its neighbours,
// which a translation changes: what is protected in the source must still
// be recognised in the target.
func (w *spanWalker) shortcodes(s, e int) {
	var found []span
	for i := max(s, w.urlEnd); i < e; i++ {
		if w.src[i] != ':' || oddBackslashes(w.src, 0, i) {
			continue // an escaped colon opens nothing (a translation escapes one)
		}
		j := i + 1
		letter := false
		for j < e && j-i <= 40 && isShortcodeByte(w.src[j]) {
			letter = letter || w.src[j] >= 'a' && w.src[j] <= 'z'
			j++
		}
		if j < e && w.src[j] == ':' && j > i+1 && letter {
			found = append(found, span{start: i, end: j + 1})
			i = j
		}
	}
	for _, f := range found {
		w.insertStandalone(LiteralTag, f.start, f.end, "")
	}
}

func isShortcodeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '+' || c == '-'
}

// insertStandalone adds a standalone span in source order: a shortcode
// found in a text node may precede a URL span that node already added.
func (w *spanWalker) insertStandalone(kind TagKind, s, e int, dest string) {
	i := len(w.spans)
	for i > 0 && w.spans[i-1].start >= e {
		i--
	}
	if i > 0 && w.spans[i-1].end > s {
		return // overlaps what is already protected
	}
	sp := span{start: s, end: e, kind: spanStandalone, tag: &pendingTag{kind: kind, dest: dest}}
	w.spans = append(w.spans, span{})
	copy(w.spans[i+1:], w.spans[i:])
	w.spans[i] = sp
}
