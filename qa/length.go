package qa

import (
	"fmt"
	"unicode"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/tags"
)

// minLengthUnits is how long a source must be, in Chinese-character
// equivalents, before its length ratio says anything: short headings and
// cells ("图1", "结论") translate to anything.
const minLengthUnits = 12

// checkLength reports a target whose length (characters, white space not
// counted, tags and URLs aside) is out of LengthBounds relative to its
// source's (see sourceLength).
func checkLength(cfg *Config, srcLang, tgtLang language.Tag, src, tgt string) []Finding {
	s, t := sourceLength(srcLang, tgtLang, src), textChars(tgt)
	if s == 0 || t == 0 || s/density(srcLang) < minLengthUnits {
		return nil
	}
	lo, hi := LengthBounds(cfg, srcLang, tgtLang)
	r := float64(t) / s
	if r >= lo && r <= hi {
		return nil
	}
	return []Finding{{Kind: KindLength, Severity: Warning,
		Message: fmt.Sprintf("target/source length ratio %.2f is outside [%.2f, %.2f]", r, lo, hi)}}
}

// sourceLength returns the length of neutral source text src in
// characters of its script (white space, tags and URLs aside): what a
// translation keeps as it is (digits, punctuation, a Latin name in a
// Chinese text) counts for what it will be in the target, one character
// each, divided by the expected ratio of the pair. A Chinese paragraph that
// quotes an English title is then not expected to triple in length.
func sourceLength(srcLang, tgtLang language.Tag, src string) float64 {
	expect := density(tgtLang) / density(srcLang)
	scripts := lang.Scripts(srcLang)
	var n float64
	for _, r := range withoutURLs(tags.Plain(src)) {
		switch {
		case unicode.IsSpace(r):
		case scripts == nil || unicode.IsLetter(r) && unicode.IsOneOf(scripts, r):
			n++
		default:
			n += 1 / expect
		}
	}
	return n
}
