package qa

import (
	"strings"
	"unicode"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/tags"
)

// expand returns neutral text s with each tag replaced by the source bytes
// it stands for (and a link's destination, which reference links keep
// elsewhere), so that URLs inside tags can be found. Tags not in ts stay.
func expand(s string, ts []markdown.Tag) string {
	if len(ts) == 0 || !strings.Contains(s, "<") {
		return s
	}
	byID := map[int]markdown.Tag{}
	for _, t := range ts {
		byID[t.ID] = t
	}
	var b strings.Builder
	for _, tok := range tags.Parse(s) {
		t, ok := byID[tok.ID]
		switch {
		case tok.Kind == tags.Text || !ok:
			b.WriteString(tok.Text)
		case tok.Kind == tags.Close:
			b.WriteString(t.Close)
		default:
			b.WriteString(t.Open)
			if t.Dest != "" && !strings.Contains(t.Open+t.Close, t.Dest) {
				b.WriteString(" " + t.Dest + " ")
			}
		}
	}
	return b.String()
}

// fold returns s with runs of white space folded to one space, trimmed: the
// form in which an echo is compared.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// countChars returns the number of runes of s that are not white space.
func countChars(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// textChars returns the number of characters of the translatable text of
// neutral text s: tags and URLs aside, white space not counted.
func textChars(s string) int { return countChars(withoutURLs(tags.Plain(s))) }

// hasLetters reports whether s holds a letter of any script.
func hasLetters(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }
