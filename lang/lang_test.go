package lang

import (
	"testing"
	"unicode"

	"golang.org/x/text/language"
)

func TestScripts(t *testing.T) {
	tests := []struct {
		tag  string
		want *unicode.RangeTable
	}{
		{"zh", unicode.Han}, {"zh-Hant", unicode.Han}, {"ja", unicode.Han}, {"ko", unicode.Hangul},
		{"en", unicode.Latin}, {"ru", unicode.Cyrillic}, {"ar", unicode.Arabic},
	}
	for _, tt := range tests {
		got := Scripts(language.MustParse(tt.tag))
		found := false
		for _, s := range got {
			found = found || s == tt.want
		}
		if !found {
			t.Errorf("Scripts(%s) lacks the expected table", tt.tag)
		}
	}
}

func TestSpaceless(t *testing.T) {
	for tag, want := range map[string]bool{"zh": true, "zh-Hant": true, "ja": true, "th": true, "en": false, "ko": false, "fr": false} {
		if got := Spaceless(language.MustParse(tag)); got != want {
			t.Errorf("Spaceless(%s) = %v, want %v", tag, got, want)
		}
	}
}

func TestSameWriting(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"zh", "ZH-CN", true}, {"en", "en-GB", true}, {"zh-CN", "zh-TW", false},
		{"zh-Hans", "zh-Hant", false}, {"en", "fr", false}, {"x_bad!", "X_BAD!", true},
	} {
		if got := SameWriting(tt.a, tt.b); got != tt.want {
			t.Errorf("SameWriting(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if !SameBase(language.MustParse("zh-Hans"), language.MustParse("zh-Hant")) || SameBase(language.English, language.French) {
		t.Error("SameBase: zh-Hans and zh-Hant share a base, en and fr do not")
	}
}
