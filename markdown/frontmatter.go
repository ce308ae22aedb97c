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

// frontMatter cuts a segment from each selected "key: value" line of the
// front matter in src[start:end]. Only single-line scalars are cut; all
// else (nested maps, lists, block scalars) is skeleton.
func (b *builder) frontMatter(start, end int) {
	_, p := lineAt(b.src, start)
	for p < end {
		line, next := lineAt(b.src, p)
		if seg, ok := b.fmField(p, line, next, end); ok {
			b.segs = append(b.segs, seg)
		}
		p = next
	}
}

// fmField parses one front-matter line starting at p.
func (b *builder) fmField(p int, line []byte, next, end int) (Segment, bool) {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 || !b.opts.fields[string(line[:colon])] {
		return Segment{}, false
	}
	vs := colon + 1
	for vs < len(line) && (line[vs] == ' ' || line[vs] == '\t') {
		vs++
	}
	if vs == colon+1 || vs >= len(line) {
		return Segment{}, false
	}
	raw, decoded, ok := yamlScalar(line[vs:])
	if !ok || strings.TrimSpace(decoded) != decoded || continues(b.src, next, end) {
		return Segment{}, false
	}
	dsrc := []byte(decoded)
	seg, _ := buildSegment(dsrc, literals(dsrc, 0, len(dsrc), nil, wikiKeep), 0, len(dsrc))
	seg.Kind, seg.enc, seg.decoded = FrontMatterSeg, encYAML, decoded
	seg.start = p + vs
	seg.end = seg.start + len(raw)
	if !hasLetter(decoded) || !seg.roundTrips(b.src[seg.start:seg.end]) {
		return Segment{}, false
	}
	return seg, true
}

// continues reports whether the line at p continues a multi-line scalar.
func continues(src []byte, p, end int) bool {
	if p >= end {
		return false
	}
	line, _ := lineAt(src, p)
	return len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && len(bytes.TrimSpace(line)) > 0
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
	if bytes.Contains(v, []byte(": ")) {
		return nil, "", false
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
func (s *Segment) renderYAML(target string, raw []byte) string {
	v := s.restore(target)
	if v == s.decoded {
		return string(raw)
	}
	if plainYAML(v) {
		return v
	}
	return yamlQuote(v)
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
