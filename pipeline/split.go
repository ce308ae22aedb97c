package pipeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/tags"
)

// splitSentences cuts neutral text into pieces of at most max code points
// where it can: only after a sentence end (。！？； . ! ? followed by a space
// or the end of a closing quote), and never inside a paired tag, so every
// piece carries whole tags. A sentence longer than max stays whole.
func splitSentences(s string, max int) []string {
	cuts := sentenceCuts(s)
	var pieces []string
	start, last, n := 0, 0, 0
	for _, c := range cuts {
		if c >= len(s) {
			break
		}
		seg := utf8.RuneCountInString(s[last:c])
		if n+seg > max && last > start {
			pieces = append(pieces, s[start:last])
			start, n = last, 0
		}
		n += seg
		last = c
	}
	if rest := s[start:]; rest != "" {
		if tail := utf8.RuneCountInString(s[last:]); n+tail > max && last > start && last < len(s) {
			pieces = append(pieces, s[start:last], s[last:])
		} else {
			pieces = append(pieces, rest)
		}
	}
	return pieces
}

// sentenceCuts lists byte offsets just after each sentence end outside
// paired tags, trailing closing quotes and spaces included.
func sentenceCuts(s string) []int {
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
				cuts = append(cuts, cutsIn(tok.Text, off)...)
			}
		}
		off += len(tok.Text)
	}
	return cuts
}

func cutsIn(text string, off int) []int {
	var cuts []int
	for i, r := range text {
		cjk := strings.ContainsRune("。！？；", r)
		if !cjk && !strings.ContainsRune(".!?", r) {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(text) {
			q, n := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune("”’」』）)\"'", q) {
				break
			}
			j += n
		}
		k := j
		for k < len(text) && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		if cjk || k > j || k == len(text) {
			cuts = append(cuts, off+k)
		}
	}
	return cuts
}

// joinPieces puts translated pieces back together: without a separator for
// languages written without spaces, else with one space where the pieces
// do not already meet at white space.
func joinPieces(pieces []string, target language.Tag) string {
	noSpace := lang.Spaceless(target)
	var b strings.Builder
	for i, p := range pieces {
		if i > 0 && !noSpace && b.Len() > 0 {
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
