package markdown

import (
	"bytes"

	"github.com/diglot/diglot/tags"
)

// Wiki spans ([[zh:香港]], [[target|label]]) are not Markdown: goldmark
// reads them as text, and a renderer shows them as they are written. The
// archive holds almost a million, each around a word a reader must see in
// the target language, so the label is translatable: with WikiLinks
// "label" the span is a paired tag around its label, and a translated
// label is written after the target, [[zh:香港|Hong Kong]] (the MediaWiki
// convention), the target byte for byte. A span's label is the text after
// "|", or else the text after an interwiki prefix such as "zh:", or else
// the whole target.
//
// Where a span starts and ends is decided on the bytes, the same way for a
// source and for a translation read back: the last two of a run of
// unescaped "[" open it (so "【[[zh:x]]" translated as "[[[zh:x|X]]" is
// "[" and a span), the first unescaped "]]" closes it, and it holds no
// other bracket, no line ending and nothing that looks like a tag.

// wikiSpans appends the spans of the wiki span whose "[" run starts at
// src[i], if there is one, and returns where scanning goes on. from is
// where the text run being scanned starts.
func wikiSpans(src []byte, from, i, to int, out []span, mode wikiMode) ([]span, int) {
	if oddBackslashes(src, from, i) {
		return out, i + 1 // an escaped "["
	}
	n := 0
	for i+n < to && src[i+n] == '[' {
		n++
	}
	if n < 2 {
		return out, i + 1
	}
	open := i + n - 2
	j := open + 2
	for j < to {
		c := src[j]
		if c == '\\' && j+1 < to {
			j += 2
			continue
		}
		if c == '[' || c == '\n' || c == '\r' {
			return out, j
		}
		if c == ']' {
			break
		}
		j++
	}
	if j+1 >= to || src[j+1] != ']' {
		return out, j + 1
	}
	content := src[open+2 : j]
	if len(bytes.TrimSpace(content)) == 0 || bytes.IndexByte(content, '<') >= 0 && tags.Has(string(content)) {
		return out, j + 2
	}
	end := j + 2
	target, label := splitWiki(content)
	dest := string(target)
	if mode == wikiKeep {
		return append(out, span{start: open, end: end, kind: spanStandalone, tag: &pendingTag{kind: WikiTag, dest: dest}}), end
	}
	ls := open + 2 + label
	t := &pendingTag{kind: WikiTag, dest: dest, text: string(src[ls:j])}
	out = append(out,
		span{start: open, end: ls, kind: spanOpen, tag: t},
		span{start: j, end: end, kind: spanClose, tag: t})
	return out, end
}

// splitWiki returns a wiki span's target and the offset of its label in
// content (the text between "[[" and "]]").
func splitWiki(content []byte) (target []byte, label int) {
	if p := bytes.IndexByte(content, '|'); p >= 0 {
		return content[:p], p + 1
	}
	if p := interwikiPrefix(content); p > 0 && p < len(content) {
		return content, p
	}
	return content, 0
}

// interwikiPrefix returns the length of an interwiki or namespace prefix
// ("zh:", "en:") at the start of a wiki target, colon included, or 0. A
// URL scheme ("https:") followed by "//" is no prefix.
func interwikiPrefix(t []byte) int {
	if len(t) == 0 || !isASCIILetter(t[0]) {
		return 0
	}
	for i := 1; i < len(t) && i <= 16; i++ {
		switch c := t[i]; {
		case c == ':':
			if bytes.HasPrefix(t[i+1:], []byte("//")) {
				return 0
			}
			return i + 1
		case isASCIIAlnum(c) || c == '-':
		default:
			return 0
		}
	}
	return 0
}

// WikiLabels returns text with each wiki span in it replaced by its label
// as written ([[zh:香港|Hong Kong]] by "Hong Kong", [[zh:香港]] by "香港",
// [[Foo]] by "Foo"): what a reader is meant to see of the span, for plain
// text such as a page title. text is a run of inline text as written,
// between other inline syntax (code spans, links, emphasis), where the
// segmenter looks for spans; spans are found by its rules, so that a
// title reads as the translated label does. Backslash escapes and
// character references are left for the caller to resolve.
func WikiLabels(text []byte) []byte {
	var b []byte
	pos := 0
	for i := 0; i < len(text); {
		k := bytes.IndexByte(text[i:], '[')
		if k < 0 {
			break
		}
		spans, next := wikiSpans(text, 0, i+k, len(text), nil, wikiLabel)
		if len(spans) == 2 {
			b = append(b, text[pos:spans[0].start]...)
			b = append(b, text[spans[0].end:spans[1].start]...)
			pos = spans[1].end
		}
		i = next
	}
	if b == nil {
		return text
	}
	return append(b, text[pos:]...)
}
