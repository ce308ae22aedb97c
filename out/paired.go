package out

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/diglot/diglot/markdown"
)

// separator goes between a source block and its target block when
// Markdown would otherwise read the two as one: two lists with the same
// markers are one list, whatever blank lines lie between them. An empty
// HTML comment at the left margin ends the list (or quote) and renders as
// nothing.
const separator = "<!-- -->"

// PairedDocument returns the bilingual publishing layout (publish --layout
// bilingual): each unit's source block followed by its target block, with
// no header and no markers, written so that every pair renders as two
// separate blocks:
//
//   - a list or block quote and its target are kept apart by an empty HTML
//     comment, so the two never merge into one list;
//   - the target's footnotes get labels of their own, the target language
//     appended ([^1] becomes [^1-en], references and definition alike), so
//     both notes are rendered and each text points to its own;
//   - a heading is published once, in the target language at its level,
//     followed by the source heading's text as a plain paragraph, so the
//     outline (and a table of contents) has one heading per section;
//   - front matter is published as the target's alone, since a document
//     has one front matter.
func (f *File) PairedDocument() []byte {
	src := f.Source.Source()
	unitOf := f.unitOf()
	notes := f.footnoteRenames()
	buf := make([]byte, 0, len(src)*2+len(f.Units)*len(separator))
	if bytes.HasPrefix(src, []byte(bom)) {
		buf = append(buf, bom...)
	}
	for i, b := range f.Source.Blocks {
		s := src[b.Start:b.End]
		if i == 0 {
			s = stripBOM(s)
		}
		if unitOf[i] < 0 {
			buf = append(buf, s...)
			continue
		}
		u := &f.Units[unitOf[i]]
		t := notes.rename(f.Source, u)
		le := blockEnding(src, b.Start, b.End)
		switch b.Kind {
		case markdown.FrontMatter:
			buf = append(buf, t...)
		case markdown.Heading:
			buf = append(buf, t...)
			if !endsLine(t) {
				buf = append(buf, le...)
			}
			buf = append(buf, le...)
			buf = append(buf, headingParagraph(s, le)...)
			if i+1 < len(f.Source.Blocks) && f.Source.Blocks[i+1].Kind != markdown.Blank {
				// What followed the heading must not continue the
				// paragraph.
				buf = append(buf, le...)
			}
		default:
			buf = append(buf, s...)
			if !endsLine(s) {
				buf = append(buf, le...)
			}
			buf = append(buf, le...)
			if b.Kind == markdown.List || b.Kind == markdown.Quote {
				buf = append(buf, separator+le+le...)
			}
			buf = append(buf, t...)
		}
	}
	return buf
}

// footnoteRenames maps the normalised labels of the footnote definitions
// that are units (and so appear twice, source and target) to the label
// their target takes.
type footnoteRenames map[string]string

// footnoteRenames finds the footnotes whose definitions are translated and
// gives each target label a suffix no label of the document has.
func (f *File) footnoteRenames() footnoteRenames {
	src := f.Source.Source()
	var defs []string
	for _, u := range f.Units {
		b := f.Source.Blocks[u.Block]
		if b.Kind != markdown.FootnoteDef {
			continue
		}
		if l, ok := defLabel(src[b.Start:b.End]); ok {
			defs = append(defs, l)
		}
	}
	if len(defs) == 0 {
		return nil
	}
	taken := map[string]bool{}
	for _, b := range f.Source.Blocks {
		if l, ok := defLabel(src[b.Start:b.End]); ok && b.Kind == markdown.FootnoteDef {
			taken[normLabel(l)] = true
		}
	}
	for _, s := range f.Source.Segments {
		for _, tg := range s.Tags {
			if l, ok := refLabel(tg); ok {
				taken[normLabel(l)] = true
			}
		}
	}
	suffix := "-" + labelSuffix(f.Header.Target)
	renames := footnoteRenames{}
	for _, l := range defs {
		n := normLabel(l)
		if _, ok := renames[n]; ok {
			continue
		}
		s := suffix
		for k := 2; taken[normLabel(l+s)]; k++ {
			s = suffix + strconv.Itoa(k)
		}
		taken[normLabel(l+s)] = true
		renames[n] = s
	}
	return renames
}

// labelSuffix turns a language tag into a footnote label suffix: lowercase
// letters, digits and hyphens ("en", "zh-hant"); "t" when nothing is left.
func labelSuffix(tag string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(tag) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "t"
	}
	return b.String()
}

// defLabelRE matches the start of a footnote definition.
var defLabelRE = regexp.MustCompile(`^ {0,3}\[\^([^\]\s]+)\]:`)

// defLabel returns the label of the footnote definition block starts with.
func defLabel(block []byte) (string, bool) {
	m := defLabelRE.FindSubmatch(block)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// refLabel returns the label of a footnote reference tag.
func refLabel(tg markdown.Tag) (string, bool) {
	if tg.Kind != markdown.FootnoteRefTag || !strings.HasPrefix(tg.Open, "[^") || !strings.HasSuffix(tg.Open, "]") {
		return "", false
	}
	return tg.Open[2 : len(tg.Open)-1], true
}

// normLabel normalises a label as CommonMark matches them: case-folded.
func normLabel(l string) string { return strings.ToLower(l) }

// rename returns u's target block with the labels of translated footnotes
// renamed: the definition's label if the block is one, and every
// reference to them. References are renamed only when each one the source
// block has is found exactly so often in the target (outside code spans);
// otherwise they are left pointing to the source's note, which still
// renders.
func (n footnoteRenames) rename(doc *markdown.Document, u *Unit) []byte {
	t := u.TargetBytes
	if len(n) == 0 {
		return t
	}
	b := doc.Blocks[u.Block]
	want := map[string]int{} // reference spelling to count
	for _, si := range b.Segments {
		for _, tg := range doc.Segments[si].Tags {
			if l, ok := refLabel(tg); ok && n[normLabel(l)] != "" {
				want[tg.Open]++
			}
		}
	}
	renamed := false
	out := t
	if len(want) > 0 {
		ok := true
		for ref, c := range want {
			ok = ok && len(refsAt(t, ref)) == c
		}
		if ok {
			out = append([]byte(nil), t...)
			for ref := range want {
				l := ref[2 : len(ref)-1]
				out = replaceAt(out, refsAt(out, ref), ref, "[^"+l+n[normLabel(l)]+"]")
			}
			renamed = true
		}
	}
	if b.Kind == markdown.FootnoteDef {
		if m := defLabelRE.FindSubmatchIndex(out); m != nil {
			l := string(out[m[2]:m[3]])
			if s := n[normLabel(l)]; s != "" {
				if !renamed {
					out = append([]byte(nil), out...)
				}
				out = append(out[:m[3]], append([]byte(s), out[m[3]:]...)...)
			}
		}
	}
	return out
}

// refsAt returns the offsets of the occurrences of ref in t that can be
// footnote references: not escaped, not inside a code span.
func refsAt(t []byte, ref string) []int {
	var at []int
	for i := 0; i < len(t); {
		switch {
		case t[i] == '`' && !escaped(t, i):
			// A code span runs to the next run of as many backticks;
			// without one the backticks are text.
			n := 1
			for i+n < len(t) && t[i+n] == '`' {
				n++
			}
			i += n
			for j := i; j < len(t); {
				k := bytes.IndexByte(t[j:], '`')
				if k < 0 {
					break
				}
				m := 1
				for j+k+m < len(t) && t[j+k+m] == '`' {
					m++
				}
				if m == n {
					i = j + k + m
					break
				}
				j += k + m
			}
		case bytes.HasPrefix(t[i:], []byte(ref)) && !escaped(t, i):
			at = append(at, i)
			i += len(ref)
		default:
			i++
		}
	}
	return at
}

// replaceAt replaces len(ref) bytes at each offset of at (ascending) by
// with.
func replaceAt(t []byte, at []int, ref, with string) []byte {
	out := make([]byte, 0, len(t)+len(at)*(len(with)-len(ref)))
	pos := 0
	for _, i := range at {
		out = append(out, t[pos:i]...)
		out = append(out, with...)
		pos = i + len(ref)
	}
	return append(out, t[pos:]...)
}

// escaped reports whether the byte at i is preceded by an odd number of
// backslashes.
func escaped(t []byte, i int) bool {
	n := 0
	for i > 0 && t[i-1] == '\\' {
		n++
		i--
	}
	return n%2 == 1
}

// atxRE matches an ATX heading line: its opening sequence, its text and an
// optional closing sequence.
var atxRE = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)

// headingParagraph returns the text of the heading block s as a paragraph
// (ending with le): an ATX heading without its # marks, a setext heading
// without its underline. What would start another block there (a list
// marker, a quote, an HTML tag) is escaped so that it stays a paragraph.
func headingParagraph(s []byte, le string) []byte {
	lines := strings.Split(strings.TrimRight(string(s), " \t\r\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], "\r")
	}
	var text string
	if m := atxRE.FindStringSubmatch(lines[0]); m != nil && len(lines) == 1 {
		text = m[1]
	} else {
		if len(lines) > 1 {
			lines = lines[:len(lines)-1] // the setext underline
		}
		for i := range lines {
			lines[i] = strings.TrimLeft(lines[i], " \t")
		}
		text = strings.Join(lines, le)
	}
	text = strings.TrimLeft(text, " \t")
	if !isParagraph(text) {
		text = escapeStart(text)
	}
	return []byte(text + le)
}

// isParagraph reports whether text parses as a single paragraph.
func isParagraph(text string) bool {
	if text == "" {
		return false
	}
	src := []byte(text)
	doc := pairedParser().Parse(text2reader(src))
	first := doc.FirstChild()
	return first != nil && first.NextSibling() == nil && first.Kind() == ast.KindParagraph
}

// escapeStart escapes what could make a line start a block other than a
// paragraph: its first character if it is ASCII punctuation, or the
// punctuation after a leading number ("1." of an ordered list).
func escapeStart(text string) string {
	if text == "" {
		return text
	}
	i := 0
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		i++
	}
	if i < len(text) && isASCIIPunct(text[i]) {
		return text[:i] + `\` + text[i:]
	}
	return text
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// text2reader wraps src for the goldmark parser.
func text2reader(src []byte) text.Reader { return text.NewReader(src) }
