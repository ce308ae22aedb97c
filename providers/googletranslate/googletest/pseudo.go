package googletest

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

var syllables = []string{"ba", "ke", "di", "lo", "mu", "ni", "po", "sa", "tu", "ve", "wo", "xi", "ya", "zo", "ri", "fe"}

var punct = map[rune]string{
	'。': ".", '，': ",", '、': ",", '！': "!", '？': "?", '；': ";", '：': ":",
	'“': `"`, '”': `"`, '‘': "'", '’': "'", '（': "(", '）': ")", '「': `"`, '」': `"`,
}

// PseudoText pseudo-translates plain text.
func PseudoText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			b.WriteString(syllables[int(r)%len(syllables)])
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			if p, ok := punct[r]; ok {
				b.WriteString(p)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// googleEscaper escapes text the way Google's HTML replies do.
var googleEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// Pseudo pseudo-translates one HTML string, keeping its elements, leaving
// the content of translate="no" elements alone and replacing glossary
// terms (source to target, longest first) in translatable text.
func Pseudo(content string, glossary map[string]string) string {
	z := html.NewTokenizer(strings.NewReader(content))
	var b strings.Builder
	var stack []bool // per open element: is it translate="no"?
	frozen := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return b.String()
			}
			return b.String()
		case html.TextToken:
			text := string(z.Text()) // unescaped
			if frozen > 0 {
				b.WriteString(googleEscaper.Replace(text))
			} else {
				b.WriteString(translateText(text, glossary))
			}
		case html.StartTagToken:
			tok := z.Token()
			no := false
			for _, a := range tok.Attr {
				if a.Key == "translate" && strings.EqualFold(a.Val, "no") {
					no = true
				}
			}
			stack = append(stack, no)
			if no {
				frozen++
			}
			b.WriteString(tok.String())
		case html.EndTagToken:
			tok := z.Token()
			if n := len(stack); n > 0 {
				if stack[n-1] {
					frozen--
				}
				stack = stack[:n-1]
			}
			b.WriteString(tok.String())
		default:
			b.WriteString(z.Token().String())
		}
	}
}

// translateText pseudo-translates a text node, putting glossary targets in
// place of their sources, and escapes the result.
func translateText(text string, glossary map[string]string) string {
	var b strings.Builder
	for len(text) > 0 {
		i, term := firstTerm(text, glossary)
		if term == "" {
			b.WriteString(googleEscaper.Replace(PseudoText(text)))
			break
		}
		b.WriteString(googleEscaper.Replace(PseudoText(text[:i])))
		b.WriteString(googleEscaper.Replace(glossary[term]))
		text = text[i+len(term):]
	}
	return b.String()
}

// firstTerm finds the leftmost, then longest, glossary source in text.
func firstTerm(text string, glossary map[string]string) (int, string) {
	best, bestTerm := -1, ""
	for src := range glossary {
		if src == "" {
			continue
		}
		i := strings.Index(text, src)
		if i < 0 {
			continue
		}
		if best < 0 || i < best || i == best && len(src) > len(bestTerm) {
			best, bestTerm = i, src
		}
	}
	return best, bestTerm
}
