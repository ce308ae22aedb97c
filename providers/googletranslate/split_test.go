package googletranslate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/tags"
)

func TestSplitSegment(t *testing.T) {
	runes := utf8.RuneCountInString
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits", "一句。两句。", 10, []string{"一句。两句。"}},
		{"chinese stops", "第一句。第二句！第三句？第四句；", 8, []string{"第一句。第二句！", "第三句？第四句；"}},
		{"latin stops need a space", "One. Two! Three? Four.", 12, []string{"One. Two! ", "Three? Four."}},
		{"closing quote stays", "他说：“好。”然后走了。", 7, []string{"他说：“好。”", "然后走了。"}},
		{"never inside a tag", "前<x12/>后。再来一句。", 9, []string{"前<x12/>后。", "再来一句。"}},
		{"prefer outside pairs", "<g1>甲。乙。</g1>丙。丁。", 16, []string{"<g1>甲。乙。</g1>丙。", "丁。"}},
		{"inside pairs when needed", "<g1>甲甲。乙乙。</g1>", 9, []string{"<g1>甲甲。", "乙乙。</g1>"}},
		{"clauses when no sentences", "甲甲甲，乙乙乙，丙丙丙", 4, []string{"甲甲甲，", "乙乙乙，", "丙丙丙"}},
		{"anywhere as a last resort", "甲乙丙丁戊", 2, []string{"甲乙", "丙丁", "戊"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitSegment(tt.in, tt.limit, runes)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("splitSegment(%q, %d) (-want +got):\n%s", tt.in, tt.limit, diff)
			}
			if strings.Join(got, "") != tt.in {
				t.Errorf("splitSegment(%q) pieces do not rejoin to the input", tt.in)
			}
			for _, p := range got {
				if len(got) > 1 && runes(p) > tt.limit {
					t.Errorf("piece %q over the limit %d", p, tt.limit)
				}
				for _, tok := range tags.Parse(p) {
					if tok.Kind == tags.Text && strings.ContainsAny(tok.Text, "<>") {
						t.Errorf("piece %q cuts a tag", p)
					}
				}
			}
		})
	}
}

func TestJoinPieces(t *testing.T) {
	tests := []struct {
		parts  []string
		target language.Tag
		want   string
	}{
		{[]string{"One.", "Two."}, language.English, "One. Two."},
		{[]string{"One. ", "Two."}, language.English, "One. Two."},
		{[]string{"一。", "二。"}, language.Chinese, "一。二。"},
		{[]string{"一。", "二。"}, language.Japanese, "一。二。"},
		{[]string{"solo"}, language.English, "solo"},
	}
	for _, tt := range tests {
		if got := joinPieces(tt.parts, tt.target); got != tt.want {
			t.Errorf("joinPieces(%q, %v) = %q, want %q", tt.parts, tt.target, got, tt.want)
		}
	}
}

func TestTrimSpace(t *testing.T) {
	l, c, r := trimSpace("\u3000 文本 \n")
	if l != "\u3000 " || c != "文本" || r != " \n" {
		t.Errorf("trimSpace = %q, %q, %q", l, c, r)
	}
}

func TestGoogleCode(t *testing.T) {
	tests := []struct {
		in   language.Tag
		want string
	}{
		{language.Chinese, "zh-CN"},
		{language.SimplifiedChinese, "zh-CN"},
		{language.TraditionalChinese, "zh-TW"},
		{language.MustParse("zh-TW"), "zh-TW"},
		{language.MustParse("zh-HK"), "zh-TW"},
		{language.MustParse("zh-Hant-HK"), "zh-TW"},
		{language.MustParse("zh-SG"), "zh-CN"},
		{language.English, "en"},
		{language.AmericanEnglish, "en"},
		{language.MustParse("pt-PT"), "pt-PT"},
		{language.MustParse("pt-BR"), "pt"},
		{language.MustParse("fr-CA"), "fr-CA"},
		{language.Und, ""},
	}
	for _, tt := range tests {
		if got := googleCode(tt.in); got != tt.want {
			t.Errorf("googleCode(%v) = %q, want %q", tt.in, got, tt.want)
		}
		if tt.want != "" {
			if got := googleTag(tt.in).String(); got != tt.want {
				t.Errorf("googleTag(%v).String() = %q, want %q", tt.in, got, tt.want)
			}
		}
	}
}
