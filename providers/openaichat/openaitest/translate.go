package openaitest

import (
	"strings"
	"unicode"

	"github.com/diglot/diglot/tags"
)

var (
	consonants = []string{"b", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "t", "w", "x", "y", "z", "zh"}
	vowels     = []string{"a", "e", "i", "o", "u", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "ia", "ie", "uo", "ui", "in", "un"}
)

var punct = map[rune]string{
	'，': ", ", '。': ". ", '！': "! ", '？': "? ", '；': "; ", '：': ": ", '、': ", ",
	'“': "\"", '”': "\"", '‘': "'", '’': "'", '（': " (", '）': ") ", '【': "[", '】': "] ",
	'《': "\"", '》': "\"", '「': "\"", '」': "\"", '『': "\"", '』': "\"", '…': "...", '—': "-",
	'・': " ", '·': " ", '\u3000': " ", '～': "~",
}

// Translate is the fake server's deterministic translation: every CJK
// character becomes a Latin syllable (a run of them one capitalised word),
// CJK and full-width punctuation becomes ASCII, and tags, Latin text,
// digits and everything else stay as they are. Tests use it to compute the
// translation they expect.
func Translate(text string) string {
	var b strings.Builder
	for _, tok := range tags.Parse(text) {
		if tok.Kind != tags.Text {
			b.WriteString(tok.Text)
			continue
		}
		translateText(&b, tok.Text)
	}
	// Punctuation mapping can leave doubled or trailing spaces: tidy them
	// without touching the segment's own leading and trailing whitespace.
	out := b.String()
	lead := text[:len(text)-len(strings.TrimLeftFunc(text, unicode.IsSpace))]
	trail := text[len(strings.TrimRightFunc(text, unicode.IsSpace)):]
	core := strings.TrimSpace(out)
	for strings.Contains(core, "  ") {
		core = strings.ReplaceAll(core, "  ", " ")
	}
	return lead + core + trail
}

func translateText(b *strings.Builder, s string) {
	inWord := false
	var prev rune
	for _, r := range s {
		switch {
		case isCJK(r):
			syl := consonants[int(r)%len(consonants)] + vowels[(int(r)/len(consonants))%len(vowels)]
			if !inWord {
				if prev != 0 && (unicode.IsLetter(prev) || unicode.IsDigit(prev)) {
					b.WriteByte(' ')
				}
				syl = strings.ToUpper(syl[:1]) + syl[1:]
			}
			b.WriteString(syl)
			inWord = true
			prev = 'a'
			continue
		case punct[r] != "":
			b.WriteString(punct[r])
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			b.WriteRune(r - 0xFEE0)
		default:
			if inWord && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		}
		inWord = false
		prev = r
	}
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
