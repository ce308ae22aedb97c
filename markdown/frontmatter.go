package markdown

import (
	"bytes"
	"strconv"
	"strings"
)

// frontMatterEnd reports whether src has YAML front matter at offset at: a
// "---" line, then lines up to a closing "---" or "..." line. end is the
// offset just past the closing line.
func frontMatterEnd(src []byte, at int) (end int, ok bool) {
	line, next := lineAt(src, at)
	if string(bytes.TrimRight(line, " \t")) != "---" || next >= len(src) {
		return 0, false
	}
	for p := next; p < len(src); {
		l, n := lineAt(src, p)
		if t := string(bytes.TrimRight(l, " \t")); t == "---" || t == "..." {
			return n, true
		}
		p = n
	}
	return 0, false
}

// lineAt returns the line at p without its line ending, and where the next
// line starts.
func lineAt(src []byte, p int) ([]byte, int) {
	i := bytes.IndexByte(src[p:], '\n')
	if i < 0 {
		return src[p:], len(src)
	}
	return bytes.TrimSuffix(src[p:p+i], []byte("\r")), p + i + 1
}

// frontMatter cuts a segment from each selected field of the front matter
// in src[start:end]. A field is selected by its path: a key of the
// top-level mapping ("title") or keys of nested block mappings joined by
// dots ("cover.alt"). A selected field's value is cut when it is a
// single-line scalar, or, when it is a sequence (block "- a" items or a
// one-line flow "[a, b]"), each of its single-line scalar items is. All
// else (block scalars, multi-line scalars, anchors, nested flows) is
// skeleton.
func (b *builder) frontMatter(start, end int) {
	type open struct {
		indent int
		path   string
	}
	var stack []open // keys whose value is a nested block
	skip := -1       // indentation of a block scalar's key while skipping it
	_, p := lineAt(b.src, start)
	for ; p < end; p = b.nextLine(p) {
		line, next := lineAt(b.src, p)
		indent := 0
		for indent < len(line) && line[indent] == ' ' {
			indent++
		}
		content := line[indent:]
		if len(bytes.TrimSpace(content)) == 0 || content[0] == '#' {
			continue
		}
		if skip >= 0 {
			if indent > skip {
				continue
			}
			skip = -1
		}
		if content[0] == '-' && (len(content) == 1 || content[1] == ' ') {
			// A sequence item: of the innermost open key at this
			// indentation or less (a block sequence may sit at its key's).
			for len(stack) > 0 && stack[len(stack)-1].indent > indent {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 || !b.opts.fields[stack[len(stack)-1].path] {
				continue
			}
			vs := indent + 1
			for vs < len(line) && line[vs] == ' ' {
				vs++
			}
			if vs < len(line) {
				b.fmScalar(p+vs, line[vs:], indent, next, end, false)
			}
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		colon := keyEnd(content)
		if colon <= 0 {
			continue
		}
		path := string(content[:colon])
		if len(stack) > 0 {
			path = stack[len(stack)-1].path + "." + path
		}
		vs := indent + colon + 1
		for vs < len(line) && (line[vs] == ' ' || line[vs] == '\t') {
			vs++
		}
		switch {
		case vs >= len(line) || line[vs] == '#':
			stack = append(stack, open{indent, path})
		case line[vs] == '|' || line[vs] == '>':
			skip = indent
		case !b.opts.fields[path]:
		case line[vs] == '[':
			b.fmFlow(p+vs, line[vs:])
		case vs > indent+colon+1:
			b.fmScalar(p+vs, line[vs:], indent, next, end, false)
		}
	}
}

// nextLine returns where the line after the one at p starts.
func (b *builder) nextLine(p int) int {
	_, next := lineAt(b.src, p)
	return next
}

// keyEnd returns the index of the colon that ends a plain mapping key at
// the start of content ("key: value", "key:"), or -1.
func keyEnd(content []byte) int {
	if len(content) == 0 || bytes.IndexByte([]byte("-?:,[]{}#&*!|>'\"%@`"), content[0]) >= 0 {
		return -1
	}
	for i := 0; i < len(content); i++ {
		if content[i] == ':' && (i+1 == len(content) || content[i+1] == ' ' || content[i+1] == '\t') {
			return i
		}
	}
	return -1
}

// fmScalar cuts the segment of a single-line scalar v at src[at:] on a line
// indented by indent; the next line starts at next. flow says it is an
// item of a flow sequence.
func (b *builder) fmScalar(at int, v []byte, indent, next, end int, flow bool) {
	raw, decoded, ok := yamlScalar(v)
	if !ok || strings.TrimSpace(decoded) != decoded || !flow && continues(b.src, next, end, indent) {
		return
	}
	b.fmSegment(at, raw, decoded, flow)
}

// fmSegment adds the segment of a scalar whose bytes are raw at src[at:].
func (b *builder) fmSegment(at int, raw []byte, decoded string, flow bool) {
	dsrc := []byte(decoded)
	seg, _ := buildSegment(dsrc, literals(dsrc, 0, len(dsrc), nil, wikiKeep), 0, len(dsrc))
	seg.Kind, seg.enc, seg.decoded, seg.yamlFlow = FrontMatterSeg, encYAML, decoded, flow
	seg.start = at
	seg.end = at + len(raw)
	if !hasLetter(decoded) || !seg.roundTrips(b.src[seg.start:seg.end]) {
		return
	}
	b.segs = append(b.segs, seg)
}

// fmFlow cuts a segment from each scalar item of the one-line flow
// sequence v at src[at:] ("[a, 'b', \"c\"]"); a sequence with a nested
// collection, or not closed on its line, is skeleton.
func (b *builder) fmFlow(at int, v []byte) {
	type item struct {
		at      int
		raw     []byte
		decoded string
	}
	var items []item
	i := 1
	for {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if i >= len(v) {
			return
		}
		switch v[i] {
		case ']':
			if rest := bytes.TrimSpace(v[i+1:]); len(rest) > 0 && rest[0] != '#' {
				return
			}
			for _, it := range items {
				b.fmSegment(at+it.at, it.raw, it.decoded, true)
			}
			return
		case '[', '{', ',':
			return
		case '"', '\'':
			q := closingQuote(v[i:])
			if q < 0 {
				return
			}
			raw, decoded, ok := yamlScalar(v[i : i+q+1])
			if !ok {
				return
			}
			items = append(items, item{i, raw, decoded})
			i += q + 1
		default:
			j := i
			for j < len(v) && bytes.IndexByte([]byte(",[]{}"), v[j]) < 0 {
				j++
			}
			raw := bytes.TrimRight(v[i:j], " \t")
			if bytes.Contains(raw, []byte(": ")) || bytes.Contains(raw, []byte(" #")) {
				return
			}
			items = append(items, item{i, raw, string(raw)})
			i += len(raw)
		}
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if i < len(v) && v[i] == ',' {
			i++
		}
	}
}

// continues reports whether the line at p continues a multi-line scalar
// whose line is indented by indent: it is indented further.
func continues(src []byte, p, end, indent int) bool {
	if p >= end {
		return false
	}
	line, _ := lineAt(src, p)
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return n > indent && len(bytes.TrimSpace(line)) > 0
}

// yamlScalar parses a single-line YAML scalar: plain, 'single' or
// "double" quoted, with an optional trailing comment. raw is the value's
// bytes without the comment and trailing space.
func yamlScalar(v []byte) (raw []byte, decoded string, ok bool) {
	switch v[0] {
	case '"', '\'':
		q := closingQuote(v)
		if q < 0 {
			return nil, "", false
		}
		if rest := bytes.TrimSpace(v[q+1:]); len(rest) > 0 && rest[0] != '#' {
			return nil, "", false
		}
		if v[0] == '\'' {
			return v[:q+1], strings.ReplaceAll(string(v[1:q]), "''", "'"), true
		}
		d, err := strconv.Unquote(string(v[:q+1]))
		return v[:q+1], d, err == nil
	case '|', '>', '[', '{', '&', '*', '!', '%', '@', '`', '#', '-', '?', ':', ',', ']', '}':
		return nil, "", false
	}
	if i := bytes.Index(v, []byte(" #")); i >= 0 {
		v = v[:i]
	}
	v = bytes.TrimRight(v, " \t")
	if bytes.Contains(v, []byte(": ")) || bytes.HasSuffix(v, []byte(":")) {
		return nil, "", false // a mapping, not a scalar
	}
	return v, string(v), true
}

// closingQuote returns the index of the quote closing v's opening quote.
func closingQuote(v []byte) int {
	for i := 1; i < len(v); i++ {
		switch {
		case v[0] == '"' && v[i] == '\\':
			i++
		case v[i] == v[0] && v[0] == '\'' && i+1 < len(v) && v[i+1] == '\'':
			i++
		case v[i] == v[0]:
			return i
		}
	}
	return -1
}

// renderYAML writes a front-matter value: the original bytes when the value
// is unchanged, else plain or double quoted as the value needs.
//
// A value the source quoted stays quoted the same way (single quotes
// while the value can be written in them), so the file keeps its style.
func (s *Segment) renderYAML(target string, raw []byte) string {
	v := s.restore(target)
	if v == s.decoded {
		return string(raw)
	}
	switch {
	case len(raw) > 0 && raw[0] == '\'' && singleQuotable(v):
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case len(raw) > 0 && (raw[0] == '"' || raw[0] == '\''):
		return yamlQuote(v)
	case plainYAML(v) && !(s.yamlFlow && strings.ContainsAny(v, ",[]{}")):
		return v
	}
	return yamlQuote(v)
}

// singleQuotable reports whether v can be written single-quoted on one
// line: it has no control character.
func singleQuotable(v string) bool {
	for _, r := range v {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// plainYAML reports whether v can be written as a plain scalar that reads
// back as the same string.
func plainYAML(v string) bool {
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsAny(v[:1], "-?:,[]{}#&*!|>'\"%@`0123456789.+~") {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "null":
		return false
	}
	for _, r := range v {
		if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return false
		}
	}
	return !strings.Contains(v, ": ") && !strings.Contains(v, " #") && !strings.HasSuffix(v, ":")
}

// yamlQuote returns v as a YAML double-quoted scalar.
func yamlQuote(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < ' ' || r == 0x7f:
			b.WriteString(`\x` + strconv.FormatInt(int64(r)|0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
