package xliff

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/diglot/diglot/internal/xmltext"
)

// writeText escapes s as the content of <source>, <target> or <data>. A
// carriage return is &#xD;, which XML's line-end normalisation keeps; a
// character XML cannot hold is an XLIFF <cp hex="…"/>. (Invalid UTF-8,
// which a parsed document never holds, becomes U+FFFD.)
func writeText(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmltext.IsChar(r) {
			fmt.Fprintf(b, `<cp hex="%04X"/>`, r)
			continue
		}
		xmltext.EscapeRune(b, r, false)
	}
}

// writeAttr escapes s as an attribute value; a character XML cannot hold
// becomes U+FFFD (attributes cannot carry <cp>).
func writeAttr(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmltext.IsChar(r) {
			r = utf8.RuneError
		}
		xmltext.EscapeRune(b, r, true)
	}
}

// writeNote escapes s as the content of a <note>, which cannot carry <cp>
// either.
func writeNote(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmltext.IsChar(r) {
			r = utf8.RuneError
		}
		xmltext.EscapeRune(b, r, false)
	}
}

// display shortens markup for a disp attribute, which CAT tools show on
// the tag: line breaks as ↵, at most 40 characters.
func display(s string) string {
	s = strings.NewReplacer("\r\n", "↵", "\n", "↵", "\r", "↵", "\t", " ").Replace(s)
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:39]) + "…"
}
