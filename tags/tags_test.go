package tags

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []Token
	}{
		{"", nil},
		{"plain", []Token{{Text, 0, "plain"}}},
		{"a<x1/>b", []Token{{Text, 0, "a"}, {Standalone, 1, "<x1/>"}, {Text, 0, "b"}}},
		{"<g2>强</g2>", []Token{{Open, 2, "<g2>"}, {Text, 0, "强"}, {Close, 2, "</g2>"}}},
		{"a < b <x0/> <x/> <y1/> </x1>", []Token{{Text, 0, "a < b <x0/> <x/> <y1/> </x1>"}}},
		{"<x12/><x3/>", []Token{{Standalone, 12, "<x12/>"}, {Standalone, 3, "<x3/>"}}},
		{"<g1", []Token{{Text, 0, "<g1"}}},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestCheck(t *testing.T) {
	const src = "见<g1>报道</g1>和<x2/>。"
	tests := []struct {
		name, target string
		ok           bool
	}{
		{"same", "See <g1>report</g1> and <x2/>.", true},
		{"reordered", "<x2/> and <g1>report</g1>.", true},
		{"missing", "See <g1>report</g1>.", false},
		{"invented", "See <g1>report</g1> <x2/> <x3/>.", false},
		{"repeated", "<x2/> <g1>r</g1> <x2/>", false},
		{"crossed", "<g1>a <x2/></g1>", true},
		{"unclosed", "<g1>a <x2/>", false},
		{"close before open", "</g1>a<g1> <x2/>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(src, tt.target)
			if (err == nil) != tt.ok {
				t.Fatalf("Check(%q) = %v, want ok=%v", tt.target, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrMismatch) {
				t.Errorf("Check error %v does not match ErrMismatch", err)
			}
		})
	}
}

func TestStripRenumber(t *testing.T) {
	if got := Plain("a<g1>b</g1><x2/>c"); got != "ab c" {
		t.Errorf("Plain = %q, want %q", got, "ab c")
	}
	if got := Words("<g1>Gettr</g1><g2>Miles</g2><x3/>x"); got != " Gettr  Miles  x" {
		t.Errorf("Words = %q", got)
	}
	if got := Strip("a<g1>b</g1><x2/>c"); got != "abc" {
		t.Errorf("Strip = %q, want %q", got, "abc")
	}
	if got := Renumber("<x2/><g1>a</g1>", map[int]int{2: 1, 1: 2}); got != "<x1/><g2>a</g2>" {
		t.Errorf("Renumber = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "a<x1/>b", "<g1>x</g1>", "<<g1>>", "</g99999>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var joined string
		for _, tok := range Parse(s) {
			joined += tok.Text
		}
		if joined != s {
			t.Fatalf("tokens of %q join to %q", s, joined)
		}
		if err := Check(s, s); err != nil {
			// Check(s, s) fails only on badly nested or repeated tags.
			var te *Error
			if !errors.As(err, &te) || len(te.Missing)+len(te.Extra) > 0 {
				t.Fatalf("Check(s, s) = %v", err)
			}
		}
	})
}
