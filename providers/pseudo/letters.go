package pseudo

import (
	"regexp"
	"unicode"
	"unicode/utf8"
)

// Syllables are made of an onset, a vowel and an optional coda. No onset
// is n and every syllable starts with a consonant, so pseudo words never
// spell what the leak check looks for ("note:", "nb:", "I can't").
const (
	onsets = "bdfghjklmprstvwz"
	vowels = "aeiou"
)

// syllable returns the pseudo syllable of a Han, kana or Hangul character:
// two or three letters (2.5 on average), chosen by code point.
func syllable(c rune) string {
	n := int(c)
	s := string(onsets[n%len(onsets)]) + string(vowels[n/len(onsets)%len(vowels)])
	if n/(len(onsets)*len(vowels))%2 == 1 {
		s += "n"
	}
	return s
}

// isSyllabic reports whether c is written with a character a syllable.
func isSyllabic(c rune) bool {
	return unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isSpaceless reports whether c's script writes words without spaces, so
// that pseudo words are cut from a run of its characters.
func isSpaceless(c rune) bool {
	return unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

var accented = map[rune]string{
	'a': "á", 'e': "é", 'i': "í", 'o': "ó", 'u': "ú", 'y': "ý", 'n': "ñ", 'c': "ç",
	'A': "Á", 'E': "É", 'I': "Í", 'O': "Ó", 'U': "Ú", 'Y': "Ý", 'N': "Ñ", 'C': "Ç",
}

const latin = "bcdfghjklmnprstvwzaeiou"

// pseudoRune maps one letter of an alphabetic script: ASCII letters gain
// accents where they have one, other letters become a Latin letter chosen
// by code point.
func pseudoRune(r rune) string {
	if a, ok := accented[r]; ok {
		return a
	}
	if r < utf8.RuneSelf {
		return string(r)
	}
	return string(latin[int(r)%len(latin)])
}

// fullWidthDigit returns the ASCII digit for a full-width one.
func fullWidthDigit(c rune) (rune, bool) {
	if c >= '０' && c <= '９' {
		return '0' + c - '０', true
	}
	return c, false
}

// urlRE matches a URL written in text: a translator copies it as it is.
var urlRE = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[!-~]+|\bwww\.[!-~]+`)

// urlMask marks the runes of rs that belong to a URL.
func urlMask(rs []rune) []bool {
	mask := make([]bool, len(rs))
	s := string(rs)
	locs := urlRE.FindAllStringIndex(s, -1)
	if locs == nil {
		return mask
	}
	ri := 0 // rune index of byte offset bi
	li := 0
	for bi := range s {
		for li < len(locs) && bi >= locs[li][1] {
			li++
		}
		mask[ri] = li < len(locs) && bi >= locs[li][0]
		ri++
	}
	return mask
}
