package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/tags"
)

func runes(s string) int { return utf8.RuneCountInString(s) }

func TestSplitText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want []string
	}{
		{"短句。", 10, []string{"短句。"}},
		{"第一句。第二句。第三句。", 4, []string{"第一句。", "第二句。", "第三句。"}},
		{"第一句。第二句。第三句。", 8, []string{"第一句。第二句。", "第三句。"}},
		{"One. Two! Three?", 6, []string{"One. ", "Two! ", "Three?"}},
		{"他说：“走吧。”然后离开。", 8, []string{"他说：“走吧。”", "然后离开。"}},
		// No cut inside a paired tag, even as a last resort.
		{"<g1>甲。乙。</g1>丙。", 3, []string{"<g1>甲。乙。</g1>", "丙。"}},
		// Tags count: they are sent too.
		{"甲。<g1>乙</g1>。丙<x2/>。", 12, []string{"甲。", "<g1>乙</g1>。", "丙<x2/>。"}},
		{"3.5亿元。没有句号的长尾", 6, []string{"3.5亿元。", "没有句号的长", "尾"}},
		// Clauses when a sentence is too long, then spaces, then anywhere.
		{"这是一句很长的话，这是一句很长的话，", 9, []string{"这是一句很长的话，", "这是一句很长的话，"}},
		{"alpha beta gamma delta", 11, []string{"alpha beta ", "gamma delta"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"ab<x1/>cdefgh", 4, []string{"ab<x1/>", "cdef", "gh"}},
	}
	for _, tt := range tests {
		got := splitText(tt.in, tt.max, runes)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("splitText(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.max, diff)
		}
		if strings.Join(got, "") != tt.in {
			t.Errorf("pieces of %q do not join back", tt.in)
		}
		for _, p := range got {
			if err := tags.Check(p, p); err != nil {
				t.Errorf("piece %q has broken tags: %v", p, err)
			}
		}
	}
}

// TestSplitUnpunctuated is issue 11's case: a paragraph with no sentence
// end must still be cut to the limit, at its clauses.
func TestSplitUnpunctuated(t *testing.T) {
	line := strings.Repeat("这是一句很长的话，", 20000) // 180,000 characters, no sentence end
	pieces := splitText(line, 2000, runes)
	if strings.Join(pieces, "") != line {
		t.Fatal("pieces do not join back")
	}
	for _, p := range pieces {
		if n := runes(p); n > 2000 {
			t.Fatalf("piece of %d characters", n)
		}
		if !strings.HasSuffix(p, "，") {
			t.Fatalf("piece %q… not cut at a clause", p[:30])
		}
	}
	if len(pieces) != 91 { // 222 clauses of 9 characters fit in 2,000
		t.Errorf("%d pieces, want 91", len(pieces))
	}
}

func TestSplitLongLine(t *testing.T) {
	line := strings.Repeat("这是一个很长的句子，里面有很多字。", 1500) // ~24,000 characters
	pieces := splitText(line, 2000, runes)
	if strings.Join(pieces, "") != line {
		t.Fatal("pieces do not join back")
	}
	for _, p := range pieces {
		if n := runes(p); n > 2000 {
			t.Errorf("piece of %d characters", n)
		}
		if !strings.HasSuffix(p, "。") {
			t.Errorf("piece not cut at a sentence end")
		}
	}
}

func TestJoinPieces(t *testing.T) {
	zh, en := language.Chinese, language.English
	tests := []struct {
		pieces, sources []string
		src, tgt        language.Tag
		want            string
	}{
		{[]string{"One.", "Two."}, []string{"一。", "二。"}, zh, en, "One. Two."},
		{[]string{"一。", "二。"}, []string{"One. ", "Two."}, en, zh, "一。二。"},
		{[]string{"Un.", "Deux."}, []string{"One. ", "Two."}, en, language.French, "Un. Deux."},
		// A cut inside a word of a spaced source joins without a space.
		{[]string{"Hallo", "welt"}, []string{"Hello", "world"}, en, language.German, "Hallowelt"},
	}
	for _, tt := range tests {
		if got := joinPieces(tt.pieces, tt.sources, tt.src, tt.tgt); got != tt.want {
			t.Errorf("joinPieces(%q) = %q, want %q", tt.pieces, got, tt.want)
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("第一句。第二句，<g1>粗体。</g1>尾巴 words here", 5)
	f.Add("<x1/><x2/>abc", 1)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if !utf8.ValidString(s) || max < 1 || max > 1000 {
			return
		}
		pieces := splitText(s, max, runes)
		if strings.Join(pieces, "") != s {
			t.Fatalf("pieces %q do not join back to %q", pieces, s)
		}
		for _, p := range pieces {
			if p == "" {
				t.Fatalf("empty piece in %q", pieces)
			}
		}
	})
}
