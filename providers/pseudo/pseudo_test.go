package pseudo

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func translate(t *testing.T, src language.Tag, segs ...string) []string {
	t.Helper()
	got, err := NewTranslator(nil).Translate(context.Background(),
		providers.Request{Source: src, Target: language.English, Segments: segs})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestNumbers checks that Chinese numbers and dates come out as an
// English translator writes them. The sources are taken from the corpus.
func TestNumbers(t *testing.T) {
	tests := []struct{ src, want string }{
		{"8亿", "800 million"},
		{"1.2万", "12,000"},
		{"20万", "200,000"},
		{"14亿", "1.4 billion"},
		{"1.3亿", "130 million"},
		{"200多万", "more than 2 million"},
		{"1万多", "more than 10,000"},
		{"5千万", "50 million"},
		{"35个亿", "3.5 billion"},
		{"1 亿8 千5百万", "185 million"},
		{"6000-8000万", "60 million-80 million"},
		{"2400 万", "24 million"},
		{"七千億", "700 billion"},
		{"一亿三千多万", "more than 130 million"},
		{"两个亿", "200 million"},
		{"一百個億", "10 billion"},
		{"二十万", "200,000"},
		{"三十五万亿", "35 trillion"},
		{"6月16日", "June 16"},
		{"5 月 6 日", "May 6"},
		{"六月九號", "June 9"},
		{"5月份", "May"},
		{"2021年", "2021"},
		{"二〇二一年", "2021"},
		{"90年代", "1990s"},
		{"百分之五", "5%"},
		{"百分之九十五", "95%"},
		{"三分之二", "two thirds"},
		{"四分之一", "one quarter"},
		{"第三", "third"},
		{"第二十四", "24th"},
		{"第3", "third"},
		{"三个", "three "},
		{"两名", "two "},
		{"５％", "5%"},
		{"１２３", "123"},
		{"5,0847亿", "5.0847 trillion"},
		{"四十二万七", "427,000"},
		{"三千五", "3,500"},
		{"1亿两千万", "120 million"},
		{"6亿多7亿多", "more than 600 million more than 700 million"},
		{"13 万多一分", "more than 130,000"},
		{"4.1.3 十八岁", "4.1.3 18"},
		{"4.八十名", "4.eighty"},
		{"32.三十三年后", "32.thirty-three"},
		{"第一CP", "first CP"},
		{"3.5月", "3.5 "},
		{"月一日", "1"},
		{"第10b-5条", "10b-5"},
		{"第14万", "140000th"},
	}
	var srcs []string
	for _, tt := range tests {
		srcs = append(srcs, "约"+tt.src) // a word first: a segment has letters
	}
	got := translate(t, language.Chinese, srcs...)
	for i, tt := range tests {
		if _, after, _ := strings.Cut(got[i], " "); !strings.HasPrefix(after, tt.want) {
			t.Errorf("segment(%q) = %q, want %q after the first word", srcs[i], got[i], tt.want)
		}
	}
}

// TestWordsAreNotNumbers checks that numerals that are words stay words.
func TestWordsAreNotNumbers(t *testing.T) {
	for _, src := range []string{"一些", "一直", "一起", "统一", "万一", "几十万", "上千", "十几个"} {
		got := translate(t, language.Chinese, src)[0]
		if strings.IndexFunc(got, unicode.IsDigit) >= 0 {
			t.Errorf("segment(%q) = %q, want no digits", src, got)
		}
	}
}

// TestKept checks that what a translator keeps is kept: tags, digits,
// Latin words and URLs in a Chinese text, punctuation.
func TestKept(t *testing.T) {
	tests := []struct{ src, want string }{
		{"CNBC的5G禁令", "CNBC "},
		{"COVID-19疫情", "COVID-19 "},
		{"见https://gnews.org/tag/x?a=1&b=2。", "https://gnews.org/tag/x?a=1&b=2。"},
		{"原文见www.barrons.com/articles", "www.barrons.com/articles"},
		{"报道<x1/>称<g2>峰会</g2>", "<x1/>"},
		{"约4.6 Billion美元", "4.6 Billion "},
	}
	for _, tt := range tests {
		got := translate(t, language.Chinese, tt.src)[0]
		if !strings.Contains(got, tt.want) {
			t.Errorf("segment(%q) = %q, want it to contain %q", tt.src, got, tt.want)
		}
		if err := tags.Check(tt.src, got); err != nil {
			t.Errorf("segment(%q) = %q: %v", tt.src, got, err)
		}
	}
}

// TestAcrossTags checks that a number split by formatting is read whole
// and that no pair of tags is left empty.
func TestAcrossTags(t *testing.T) {
	tests := []struct{ src, want string }{
		{"文件<g1><g2>7</g2></g1>万份", "<g1><g2>70,000</g2></g1>"},
		{"担保了<g1><g2>3000</g2></g1>万<x3/>", "<g1><g2>30 million</g2></g1>"},
		{"<g1>2019</g1><g2>年</g2><g3>6</g3><g4>月</g4>", "<g1>2019</g1><g2>"},
		{"<g1>如果</g1> <g2>5</g2> <g3>月初</g3>", "<g2>5</g2> <g3>"},
		{"4.<g1>5月11日</g1>", "4.<g1>May 11</g1>"},
	}
	for _, tt := range tests {
		got := translate(t, language.Chinese, tt.src)[0]
		if !strings.Contains(got, tt.want) {
			t.Errorf("segment(%q) = %q, want it to contain %q", tt.src, got, tt.want)
		}
		if emptyPair(got) {
			t.Errorf("segment(%q) = %q leaves a tag pair empty", tt.src, got)
		}
	}
}

// TestLength checks that a Chinese paragraph becomes about as long as an
// English translation of it (qa's calibrated zh→en ratio is about 2.2 to
// 3.5 characters per character), and an alphabetic one about 30% longer.
func TestLength(t *testing.T) {
	zh := "据《布雷特巴特新闻网》报道，美国海关官员本周五在接受采访时表示，由于中共政府在积极想方设法地混淆和模糊供应链，这让他们很难确定货物是否是由中国新疆地区的强迫劳动力制造。"
	got := translate(t, language.Chinese, zh)[0]
	if r := float64(chars(got)) / float64(chars(zh)); r < 2.4 || r > 3.4 {
		t.Errorf("segment(%q) = %q: length ratio %.2f, want about 3", zh, got, r)
	}
	en := "Plain English with <x1/> and 42%."
	got = translate(t, language.English, en)[0]
	if r := float64(letters(got)) / float64(letters(en)); r < 1.2 || r > 1.4 {
		t.Errorf("segment(%q) = %q: letter ratio %.2f, want about 1.3", en, got, r)
	}
	if !strings.Contains(got, "42%") || !strings.Contains(got, "<x1/>") {
		t.Errorf("segment(%q) = %q lost a digit or a tag", en, got)
	}
}

// TestNoLeakWords checks that pseudo words never spell what the leak
// check looks for.
func TestNoLeakWords(t *testing.T) {
	var b strings.Builder
	for r := rune(0x4e00); r < 0x9fff; r++ {
		b.WriteRune(r)
		if r%7 == 0 {
			b.WriteString("：")
		}
	}
	got := strings.ToLower(translate(t, language.Chinese, b.String())[0])
	for _, w := range []string{" note", " nb：", "translat", "sorry", "here is", "think"} {
		if strings.Contains(" "+got, w) {
			t.Errorf("pseudo text contains %q", w)
		}
	}
}

// TestNoLetterLeft checks that a segment is never left without letters,
// which would no longer read back as a segment.
func TestNoLetterLeft(t *testing.T) {
	for _, src := range []string{"2024年<x1/>。", "百分之五", "6月16日", "十六"} {
		if got := translate(t, language.Chinese, src)[0]; !hasLetters(got) {
			t.Errorf("segment(%q) = %q has no letters", src, got)
		}
	}
}

func TestDeterministicAndBlank(t *testing.T) {
	segs := []string{"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了<g1>峰会</g1>。<x2/>", "", "   "}
	a, b := translate(t, language.Chinese, segs...), translate(t, language.Chinese, segs...)
	for i := range segs {
		if a[i] != b[i] {
			t.Errorf("not deterministic: %q vs %q", a[i], b[i])
		}
	}
	if a[1] != "" || a[2] != "   " {
		t.Errorf("blank segments = %q, %q, want them unchanged", a[1], a[2])
	}
	if got := translate(t, language.Chinese, "⼀⼝⾁，〇，G〡Club")[0]; strings.ContainsFunc(got, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("Han radicals and numerals left: %q", got)
	}
	if a[0] == segs[0] || strings.ContainsFunc(a[0], func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("segment(%q) = %q still has Han", segs[0], a[0])
	}
}

// emptyPair reports whether s has a paired tag with nothing but spaces in
// it.
func emptyPair(s string) bool {
	toks := tags.Parse(s)
	for i, tok := range toks {
		if tok.Kind != tags.Open {
			continue
		}
		j := i + 1
		if j < len(toks) && toks[j].Kind == tags.Text && strings.TrimSpace(toks[j].Text) == "" {
			j++
		}
		if j < len(toks) && toks[j].Kind == tags.Close && toks[j].ID == tok.ID {
			return true
		}
	}
	return false
}

func chars(s string) int {
	n := 0
	for _, r := range tags.Plain(s) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func letters(s string) int {
	n := 0
	for _, r := range tags.Strip(s) {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// FuzzSegment checks that any neutral text comes back with its tags intact
// and well formed, deterministically, and with letters when it had some.
func FuzzSegment(f *testing.F) {
	for _, s := range []string{
		"美国总统拜登于6月16日在日内瓦举行了<g1>峰会</g1>。<x2/>",
		"文件<g1><g2>7</g2></g1>万份；1 亿8 千5百万人；四十二万七；５，０００",
		"2024年<x1/>。", "十六", "见https://gnews.org/tag/文贵/ 的报道",
		"1.<g1>5月11日晚</g1>，百分之八十到九十，三分之二，第二十四期",
	} {
		f.Add(s)
	}
	tr := NewTranslator(nil)
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || tags.Check(s, s) != nil {
			return // not neutral text
		}
		req := providers.Request{Source: language.Chinese, Target: language.English, Segments: []string{s}}
		a, err := tr.Translate(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := tr.Translate(context.Background(), req)
		if a[0] != b[0] {
			t.Fatalf("not deterministic: %q then %q", a[0], b[0])
		}
		if err := tags.Check(s, a[0]); err != nil {
			t.Fatalf("segment(%q) = %q: %v", s, a[0], err)
		}
		if strings.TrimSpace(s) != "" && hasLetters(s) && !hasLetters(a[0]) {
			t.Fatalf("segment(%q) = %q lost its letters", s, a[0])
		}
	})
}
