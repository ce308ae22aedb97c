package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/diglot/diglot/tags"
)

// CommonMark pairs emphasis delimiters by the characters around each run
// (flanking), by the lengths of runs that can both open and close (the
// "rule of 3") and by the nearest opener a closer finds. A source with
// runs such as "****" between CJK punctuation and symbols parses in ways
// a translation cannot keep: its neighbours change class. The renderer
// therefore checks what it wrote. When every delimiter run it wrote is
// clean (it can only open, or only close, and holds one kind of
// delimiter and nothing else), the pairing is the tags' nesting. When not,
// a probe (the same target written as a lone paragraph) is parsed, and
// only if its emphasis differs from the target's tags is the segment
// written again, robustly: every literal delimiter character escaped and
// a space outside every run that could otherwise open and close.

// delimAt is an emphasis delimiter written at b[pos:pos+n].
type delimAt struct {
	pos, n int
	open   bool
}

// emphasisChecked makes sure what renderInline wrote for a translated
// target reads back with the target's emphasis; target is the text it
// wrote (after spacesOutside). It rewrites the segment robustly when the
// probe disagrees.
func (r *renderer) emphasisChecked(target string) bool {
	if r.probing || r.robust || !r.risky && (len(r.delims) == 0 || r.clean()) {
		return true
	}
	if r.probe(target) {
		return true
	}
	r.b.Truncate(r.mark)
	robust := renderer{s: r.s, b: r.b, fresh: true, mark: r.mark, lineStart: r.s.lineStart, robust: true, target: target}
	return robust.run()
}

// clean reports whether every delimiter run written is unambiguous: made
// of tag delimiters only, all opening (and able only to open) or all
// closing (and able only to close).
func (r *renderer) clean() bool {
	out := r.b.Bytes()
	for k := 0; k < len(r.delims); {
		d := r.delims[k]
		c := out[d.pos]
		s, e := d.pos, d.pos+d.n
		for s > r.mark && out[s-1] == c {
			s--
		}
		for e < len(out) && out[e] == c {
			e++
		}
		covered := 0
		k2 := k
		for ; k2 < len(r.delims) && r.delims[k2].pos < e; k2++ {
			if r.delims[k2].pos < s || r.delims[k2].open != d.open {
				return false
			}
			covered += r.delims[k2].n
		}
		if covered != e-s || s > r.mark && out[s-1] == '\\' {
			return false // literal delimiters in the run
		}
		prev, next := edge, edge
		if s > r.mark {
			prev, _ = utf8.DecodeLastRune(out[r.mark:s])
		}
		if e < len(out) {
			next, _ = utf8.DecodeRune(out[e:])
		}
		if prev == '\n' {
			prev = ' '
		}
		if next == '\n' {
			next = ' '
		}
		o, cl := canOpen(c, prev, next), canClose(c, prev, next)
		if d.open && (!o || cl) || !d.open && (!cl || o) || c == '~' && e-s > 2 {
			return false
		}
		k = k2
	}
	return true
}

// probe writes target as a lone paragraph, parses it, and reports whether
// its emphasis nests as the target's tags do.
func (r *renderer) probe(target string) bool {
	ps := *r.s
	ps.lineBreaks = nil // line breaks as spaces: the same to flanking
	ps.lineStart = true
	var pb bytes.Buffer
	p := renderer{s: &ps, b: &pb, fresh: true, lineStart: true, probing: true, target: target}
	if !p.run() {
		return false
	}
	root, _ := parseBody(pb.Bytes(), r.s.refs)
	para := root.FirstChild()
	if para == nil || para.NextSibling() != nil || para.Kind() != ast.KindParagraph {
		return false
	}
	var got strings.Builder
	emphasisShape(&got, para)
	return got.String() == r.s.tagShape(target)
}

// emphasisShape writes the nesting of the inline nodes under n that
// become paired tags, "S(" strong, "E(" emphasis, "T(" strikethrough, "L("
// link, "I(" image, each closed by ")", and of those that become
// standalone tags a translation's text could create: "C" a code span, "H"
// raw HTML. Bare URLs and footnote references are decided elsewhere.
func emphasisShape(b *strings.Builder, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		open := ""
		switch v := c.(type) {
		case *ast.Emphasis:
			open = "E("
			if v.Level == 2 {
				open = "S("
			}
		case *east.Strikethrough:
			open = "T("
		case *ast.Link:
			open = "L("
		case *ast.Image:
			open = "I("
		case *ast.CodeSpan:
			b.WriteByte('C')
			continue
		case *ast.RawHTML:
			b.WriteByte('H')
			continue
		case *ast.Text, *ast.AutoLink, *east.FootnoteLink:
			continue
		}
		b.WriteString(open)
		emphasisShape(b, c)
		if open != "" {
			b.WriteByte(')')
		}
	}
}

// tagShape is emphasisShape for the tags of a target.
func (s *Segment) tagShape(target string) string {
	var b strings.Builder
	for _, t := range tags.Parse(target) {
		if t.Kind == tags.Text || t.ID < 1 || t.ID > len(s.Tags) {
			continue
		}
		k := s.Tags[t.ID-1].Kind
		switch {
		case k == CodeTag:
			b.WriteByte('C')
		case k == HTMLTag:
			b.WriteByte('H')
		case !flanked(k) && k != LinkTag && k != ImageTag:
		case t.Kind == tags.Close:
			b.WriteByte(')')
		case t.Kind == tags.Standalone:
			b.WriteString(string("LI"[boolInt(k == ImageTag)]) + "()")
		case k == StrongTag:
			b.WriteString("S(")
		case k == EmphasisTag:
			b.WriteString("E(")
		case k == StrikeTag:
			b.WriteString("T(")
		case k == LinkTag:
			b.WriteString("L(")
		default:
			b.WriteString("I(")
		}
	}
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
