package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/tags"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want []string
	}{
		{"短句。", 10, []string{"短句。"}},
		{"第一句。第二句。第三句。", 4, []string{"第一句。", "第二句。", "第三句。"}},
		{"第一句。第二句。第三句。", 8, []string{"第一句。第二句。", "第三句。"}},
		{"One. Two! Three?", 6, []string{"One. ", "Two! ", "Three?"}},
		{"他说：“走吧。”然后离开。", 7, []string{"他说：“走吧。”", "然后离开。"}},
		// No cut inside a paired tag.
		{"<g1>甲。乙。</g1>丙。", 3, []string{"<g1>甲。乙。</g1>丙。"}},
		{"甲。<g1>乙</g1>。丙<x2/>。", 3, []string{"甲。", "<g1>乙</g1>。", "丙<x2/>。"}},
		{"3.5亿元。没有句号的长尾", 5, []string{"3.5亿元。", "没有句号的长尾"}},
	}
	for _, tt := range tests {
		got := splitSentences(tt.in, tt.max)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("splitSentences(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.max, diff)
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

func TestSplitLongLine(t *testing.T) {
	line := strings.Repeat("这是一个很长的句子，里面有很多字。", 1500) // ~24,000 characters
	pieces := splitSentences(line, 2000)
	if strings.Join(pieces, "") != line {
		t.Fatal("pieces do not join back")
	}
	for _, p := range pieces {
		if n := utf8.RuneCountInString(p); n > 2000 {
			t.Errorf("piece of %d characters", n)
		}
	}
	if len(pieces) < 12 {
		t.Errorf("%d pieces, want at least 12", len(pieces))
	}
}

func TestJoinPieces(t *testing.T) {
	if got := joinPieces([]string{"One.", "Two."}, language.English); got != "One. Two." {
		t.Errorf("en join = %q", got)
	}
	if got := joinPieces([]string{"一。", "二。"}, language.Chinese); got != "一。二。" {
		t.Errorf("zh join = %q", got)
	}
}
