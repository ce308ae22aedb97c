package pseudo

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func letters(s string) int {
	n := 0
	for _, r := range tags.Strip(s) {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func TestSegment(t *testing.T) {
	tr := NewTranslator(nil)
	tests := []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了<g1>峰会</g1>。<x2/>",
		"Plain English with <x1/> and 42%.",
		"",
		"   ",
	}
	got, err := tr.Translate(context.Background(), providers.Request{Segments: tests})
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range tests {
		out := got[i]
		if strings.TrimSpace(src) == "" {
			if out != src {
				t.Errorf("segment(%q) = %q, want unchanged", src, out)
			}
			continue
		}
		if err := tags.Check(src, out); err != nil {
			t.Errorf("segment(%q) = %q: %v", src, out, err)
		}
		if out == src {
			t.Errorf("segment(%q) unchanged", src)
		}
		ratio := float64(letters(out)) / float64(letters(src))
		if ratio < 1.2 || ratio > 1.4 {
			t.Errorf("segment(%q) = %q: letter ratio %.2f, want about 1.3", src, out, ratio)
		}
		if utf8.RuneCountInString(out) <= utf8.RuneCountInString(src) {
			t.Errorf("segment(%q) = %q is not longer", src, out)
		}
		for _, d := range []string{"6", "16", "42%"} {
			if strings.Contains(src, d) && !strings.Contains(out, d) {
				t.Errorf("segment(%q) = %q lost %q", src, out, d)
			}
		}
	}
	again, _ := tr.Translate(context.Background(), providers.Request{Segments: tests})
	for i := range got {
		if got[i] != again[i] {
			t.Errorf("not deterministic: %q vs %q", got[i], again[i])
		}
	}
}
