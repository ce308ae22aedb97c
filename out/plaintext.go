package out

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/diglot/diglot/markdown"
)

// plainText returns the text of n's descendants as a reader sees it
// rendered, for a title: the text of emphasis, links and images, the code
// of code spans and the URL of autolinks, without raw HTML; backslash
// escapes and character references resolved; wiki spans, which goldmark
// reads as text, reduced to their labels. goldmark keeps text as written
// (its HTML writer resolves escapes), so the runs of text between other
// nodes are resolved here, each as a whole: a wiki span or an escape
// never crosses another node, and a run split by goldmark at a bracket
// is one run again.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	var run []byte
	flush := func() {
		if len(run) > 0 {
			b.WriteString(resolveInline(string(markdown.WikiLabels(run))))
			run = run[:0]
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		t, isText := c.(*ast.Text)
		if !isText || t.IsRaw() {
			flush()
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Segment.Value(src))
			} else {
				run = append(run, c.Segment.Value(src)...)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				flush()
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		}
		return ast.WalkContinue, nil
	})
	flush()
	return b.String()
}

// resolveInline resolves the backslash escapes and character references
// of inline text as written, in one pass as CommonMark reads them: an
// escaped & starts no reference, and a reference's result is not read
// again.
func resolveInline(s string) string {
	if !strings.ContainsAny(s, `\&`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
			b.WriteByte(s[i])
			continue
		}
		if c == '&' {
			if r, n := charRef(s[i:]); n > 0 {
				b.WriteString(r)
				i += n - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// charRef reads the character reference s starts with, in CommonMark's
// forms: &name; for an HTML5 entity, &#digits; (up to 7) or &#xhex; (up
// to 6), an invalid code point or U+0000 giving U+FFFD. It returns the
// characters and the reference's length, or 0 when s starts with none.
func charRef(s string) (string, int) {
	semi := strings.IndexByte(s, ';')
	if semi < 0 || semi > 40 {
		return "", 0
	}
	body := s[1:semi]
	if name, ok := strings.CutPrefix(body, "#"); ok {
		base, max := 10, 7
		if len(name) > 0 && (name[0] == 'x' || name[0] == 'X') {
			name, base, max = name[1:], 16, 6
		}
		if len(name) == 0 || len(name) > max {
			return "", 0
		}
		v, err := strconv.ParseUint(name, base, 32)
		if err != nil {
			return "", 0
		}
		r := rune(v)
		if r == 0 || !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		return string(r), semi + 1
	}
	if e, ok := util.LookUpHTML5EntityByName(body); ok {
		return string(e.Characters), semi + 1
	}
	return "", 0
}
