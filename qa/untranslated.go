package qa

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/lang"
	"github.com/diglot/diglot/tags"
)

// checkUntranslated reports a target that repeats its source (white space
// and tags aside) when the languages differ and the source has letters of
// its language's script (a Chinese segment that is only a Latin name or an
// English title may stay as it is), and
// a target still mostly (more than half of its text, by weight) in the source's
// script when the two languages use different scripts.
func checkUntranslated(srcLang, tgtLang language.Tag, src, tgt string) []Finding {
	ps, pt := tags.Plain(src), tags.Plain(tgt)
	st, tt := lang.Scripts(srcLang), lang.Scripts(tgtLang)
	if lang.SameBase(srcLang, tgtLang) || !hasLettersIn(ps, st) {
		return nil
	}
	if squeeze(ps) == squeeze(pt) {
		return []Finding{{Kind: KindUntranslated, Severity: Error,
			Message: "the target repeats the source"}}
	}
	if st == nil || tt == nil || shareScript(st, tt) {
		return nil
	}
	// Letters are weighed by their language's density, so that one Han
	// character counts as much as the three Latin letters that say as much.
	ws, wt := 1/density(srcLang), 1/density(tgtLang)
	var all, inSrc float64
	for _, r := range pt {
		switch {
		case !unicode.IsLetter(r):
		case unicode.IsOneOf(st, r):
			inSrc += ws
			all += ws
		default:
			all += wt
		}
	}
	if all > 0 && 2*inSrc > all {
		return []Finding{{Kind: KindUntranslated, Severity: Error,
			Message: fmt.Sprintf("the target is mostly in the source script (%.0f%% of its text)", 100*inSrc/all)}}
	}
	return nil
}

// hasLettersIn reports whether s has a letter of one of the scripts, or of
// any script when scripts is nil.
func hasLettersIn(s string, scripts []*unicode.RangeTable) bool {
	if scripts == nil {
		return hasLetters(s)
	}
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) && unicode.IsOneOf(scripts, r) }) >= 0
}

// squeeze returns s without white space: the form in which an echo is
// compared (a target that only respaces its source is still an echo).
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func shareScript(a, b []*unicode.RangeTable) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// checkMissing reports an empty target for a source with letters.
func checkMissing(src, tgt string) []Finding {
	if fold(tags.Plain(tgt)) != "" || !hasLetters(tags.Plain(src)) {
		return nil
	}
	return []Finding{{Kind: KindMissing, Severity: Error, Message: "the target is empty"}}
}

// merged reports whether the target of a seems to hold the translation of
// b too, given that b's target is empty: the target's length is nearer
// expect (the document's typical target/source ratio, see typicalRatio)
// times both sources' lengths than times its own source's. An engine that
// merges two segments returns both translations in the first slot and
// nothing in the second.
func merged(expect float64, a, b Pair) bool {
	sa, sb := textChars(a.Source), textChars(b.Source)
	t := textChars(a.Target)
	if sa == 0 || sb == 0 || t == 0 {
		return false
	}
	alone := math.Abs(math.Log(float64(t) / float64(sa) / expect))
	both := math.Abs(math.Log(float64(t) / float64(sa+sb) / expect))
	return both < alone
}

// typicalRatio returns the median target/source length ratio of the pairs
// with a target, which adapts the merged heuristic to the engine and the
// text at hand; without such pairs, the ratio the languages' densities
// predict.
func typicalRatio(srcLang, tgtLang language.Tag, pairs []Pair) float64 {
	var rs []float64
	for _, p := range pairs {
		s, t := textChars(p.Source), textChars(p.Target)
		if s > 0 && t > 0 {
			rs = append(rs, float64(t)/float64(s))
		}
	}
	if len(rs) < 2 {
		return density(tgtLang) / density(srcLang)
	}
	slices.Sort(rs)
	return rs[(len(rs)-1)/2] // the lower median: a merged target inflates the upper half
}
