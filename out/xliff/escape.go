package xliff

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// xmlChar reports whether r is a Char of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// writeText escapes s as the content of <source>, <target> or <data>. A
// carriage return is &#xD;, which XML's line-end normalisation keeps; a
// character XML cannot hold is an XLIFF <cp hex="…"/>. (Invalid UTF-8,
// which a parsed document never holds, becomes U+FFFD.)
func writeText(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmlChar(r) {
			fmt.Fprintf(b, `<cp hex="%04X"/>`, r)
			continue
		}
		escapeRune(b, r, false)
	}
}

// writeAttr escapes s as an attribute value; a character XML cannot hold
// becomes U+FFFD (attributes cannot carry <cp>).
func writeAttr(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		escapeRune(b, r, true)
	}
}

// writeNote escapes s as the content of a <note>, which cannot carry <cp>
// either.
func writeNote(b *strings.Builder, s string) {
	for _, r := range s {
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		escapeRune(b, r, false)
	}
}

func escapeRune(b *strings.Builder, r rune, attr bool) {
	switch r {
	case '&':
		b.WriteString("&amp;")
	case '<':
		b.WriteString("&lt;")
	case '>':
		b.WriteString("&gt;")
	case '"':
		if attr {
			b.WriteString("&quot;")
		} else {
			b.WriteByte('"')
		}
	case '\r':
		b.WriteString("&#xD;")
	case '\n', '\t':
		if attr {
			fmt.Fprintf(b, "&#x%X;", r)
		} else {
			b.WriteRune(r)
		}
	default:
		b.WriteRune(r)
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
