package pipeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/tags"
)

// splitText cuts neutral text into pieces whose size (as measured by size,
// which must be additive over concatenation, roughly) is at most max, so
// that every request fits the engine's limits. It cuts where a translator
// would: after sentence ends, then after clause punctuation and line
// breaks, then at spaces, and only as a last resort anywhere between two
// characters. Cuts never fall inside a tag, and, except for the last
// resort, never inside a paired tag, so each piece carries whole tags.
// Joining the pieces gives s back.
func splitText(s string, max int, size func(string) int) []string {
	if max <= 0 || size(s) <= max {
		return []string{s}
	}
	return splitAt(s, max, size, levelSentence)
}

// The levels at which text is cut, from the most to the least natural.
const (
	levelSentence = iota
	levelClause
	levelSpace
	levelHard
)

func splitAt(s string, max int, size func(string) int, level int) []string {
	if size(s) <= max {
		return []string{s}
	}
	if level == levelHard {
		return splitHard(s, max, size)
	}
	cuts := cutsOf(s, level)
	if len(cuts) == 0 {
		return splitAt(s, max, size, level+1)
	}
	var pieces []string
	start, last, n := 0, 0, 0
	emit := func(end int) {
		pieces = append(pieces, splitAt(s[start:end], max, size, level+1)...)
		start, n = end, 0
	}
	for _, c := range append(cuts, len(s)) {
		if c <= last {
			continue
		}
		seg := size(s[last:c])
		if n+seg > max && last > start {
			emit(last)
		}
		n += seg
		last = c
	}
	if start < len(s) {
		emit(len(s))
	}
	return pieces
}

// splitHard cuts s between characters, outside tags and paired tags, into
// pieces of at most max. A tag, or a paired tag's span, larger than max
// stays whole: a piece with half a pair could not come back well nested.
func splitHard(s string, max int, size func(string) int) []string {
	var pieces []string
	start, n, depth, off := 0, 0, 0, 0
	for _, tok := range tags.Parse(s) {
		switch tok.Kind {
		case tags.Open:
			depth++
		case tags.Close:
			depth--
		}
		if tok.Kind != tags.Text || depth > 0 {
			n += size(tok.Text)
			off += len(tok.Text)
			continue
		}
		for i, r := range tok.Text {
			w := size(string(r))
			if n+w > max && off+i > start {
				pieces = append(pieces, s[start:off+i])
				start, n = off+i, 0
			}
			n += w
		}
		off += len(tok.Text)
	}
	if start < len(s) {
		pieces = append(pieces, s[start:])
	}
	return pieces
}

// cutsOf lists byte offsets just after each boundary of the given level
// outside paired tags.
func cutsOf(s string, level int) []int {
	var cuts []int
	depth, off := 0, 0
	for _, tok := range tags.Parse(s) {
		switch tok.Kind {
		case tags.Open:
			depth++
		case tags.Close:
			depth--
		case tags.Text:
			if depth == 0 {
				cuts = append(cuts, boundaries(tok.Text, off, level)...)
			}
		}
		off += len(tok.Text)
	}
	return cuts
}

// Punctuation that ends a sentence or a clause. CJK marks end one without
// a following space; ASCII marks only before white space or the end.
const (
	cjkSentence   = "。！？；"
	asciiSentence = ".!?"
	cjkClause     = "，、：；,"
	asciiClause   = ",;:"
	closers       = "”’」』）)\"'》】"
)

func boundaries(text string, off, level int) []int {
	var cuts []int
	for i, r := range text {
		var cjk, ascii bool
		switch level {
		case levelSentence:
			cjk, ascii = strings.ContainsRune(cjkSentence, r), strings.ContainsRune(asciiSentence, r)
		case levelClause:
			cjk, ascii = strings.ContainsRune(cjkClause, r) || r == '\n', strings.ContainsRune(asciiClause, r)
		case levelSpace:
			ascii = r == ' ' || r == '\t' || r == '\u3000'
		}
		if !cjk && !ascii {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(text) {
			q, n := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune(closers, q) {
				break
			}
			j += n
		}
		k := j
		for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		if cjk || level == levelSpace || k > j || k == len(text) {
			cuts = append(cuts, off+k)
		}
	}
	return cuts
}

// joinPieces puts translated pieces back together. Languages written
// without spaces are joined without a separator. Otherwise one space goes
// between two pieces that do not already meet at white space, where the
// source pieces met at white space or the source is written without spaces
// (a cut after "，" becomes ", "); a cut inside a word of a spaced source
// is joined without one.
func joinPieces(pieces, sources []string, source, target language.Tag) string {
	spaceless := lang.Spaceless(target)
	var b strings.Builder
	for i, p := range pieces {
		if i > 0 && !spaceless && b.Len() > 0 && p != "" && spacedCut(sources, i, source) {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(p)
			if !unicode.IsSpace(prev) && !unicode.IsSpace(next) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

// spacedCut reports whether the cut before source piece i separates words.
func spacedCut(sources []string, i int, source language.Tag) bool {
	if lang.Spaceless(source) || i >= len(sources) {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(sources[i-1])
	next, _ := utf8.DecodeRuneInString(sources[i])
	return unicode.IsSpace(prev) || unicode.IsSpace(next)
}
