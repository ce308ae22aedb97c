// Package lang holds what diglot knows about languages beyond BCP 47 tags:
// the scripts they are written in and whether words are separated by spaces.
// It is a leaf package, so the segmenter, the engines, the pipeline and the
// checks all answer these questions the same way.
package lang

import (
	"strings"
	"unicode"

	"golang.org/x/text/language"
)

// Scripts returns the Unicode scripts a language is written in, or nil when
// they are not known. Engines and checks use it to tell a translation that
// left the source script from one that did not (an echo, or text left
// untranslated).
func Scripts(t language.Tag) []*unicode.RangeTable {
	s, _ := t.Script()
	switch s.String() {
	case "Hans", "Hant", "Hani":
		return []*unicode.RangeTable{unicode.Han}
	case "Jpan":
		return []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana}
	case "Kore":
		return []*unicode.RangeTable{unicode.Hangul, unicode.Han}
	case "Latn":
		return []*unicode.RangeTable{unicode.Latin}
	case "Cyrl":
		return []*unicode.RangeTable{unicode.Cyrillic}
	case "Arab":
		return []*unicode.RangeTable{unicode.Arabic}
	case "Grek":
		return []*unicode.RangeTable{unicode.Greek}
	case "Hebr":
		return []*unicode.RangeTable{unicode.Hebrew}
	case "Thai":
		return []*unicode.RangeTable{unicode.Thai}
	case "Deva":
		return []*unicode.RangeTable{unicode.Devanagari}
	}
	return nil
}

// Spaceless reports whether a language is written without spaces between
// words, so that text cut into pieces is joined back without a separator.
func Spaceless(t language.Tag) bool {
	base, _ := t.Base()
	switch base.String() {
	case "zh", "ja", "th", "lo", "km", "my", "yue", "wuu", "bo":
		return true
	}
	return false
}

// SameBase reports whether a and b are the same language, script and
// region aside (zh-Hans and zh-Hant; en and en-GB).
func SameBase(a, b language.Tag) bool {
	ba, _ := a.Base()
	bb, _ := b.Base()
	return ba == bb
}

// SameWriting reports whether two BCP 47 tags name the same language in
// the same script, regions aside: "zh" and "ZH-CN" (both Simplified), "en"
// and "EN-GB", but not "zh-CN" and "zh-TW". Tags that do not parse are
// compared as strings, ignoring case.
func SameWriting(a, b string) bool {
	ta, err1 := language.Parse(a)
	tb, err2 := language.Parse(b)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(a, b)
	}
	sa, _ := ta.Script()
	sb, _ := tb.Script()
	return SameBase(ta, tb) && sa == sb
}
