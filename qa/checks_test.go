package qa

import (
	"github.com/diglot/diglot/tags"
	"strings"
	"testing"

	"github.com/diglot/diglot/markdown"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/language"
)

var zh, en = language.Chinese, language.English

func TestNoFalseAlarms(t *testing.T) {
	lo, hi := LengthBounds(nil, zh, en)
	for i, p := range goodPairs {
		got := CheckSegment(nil, zh, en, Pair{Source: p.src, Target: p.tgt, SegIndex: i})
		if len(got) > 0 {
			t.Errorf("CheckSegment(%q, %q) = %v, want none", p.src, p.tgt, got)
		}
		r := float64(countChars(tags.Plain(p.tgt))) / float64(countChars(tags.Plain(p.src)))
		t.Logf("pair %d: length ratio %.2f (bounds %.1f–%.1f)", i, r, lo, hi)
	}
}

func TestCheckTags(t *testing.T) {
	tests := []struct {
		name, src, tgt, want string // want "" = no finding
	}{
		{"kept", "详情见<g1>原文</g1><x2/>。", "See <g1>the original</g1><x2/> for details.", ""},
		{"moved", "<x1/>基金期货指出，<x2/>在下周", "next week the <x2/> <x1/> funds futures", ""},
		{"lost", "详情见<g1>原文</g1><x2/>。", "See <g1>the original</g1> for details.", "missing <x2/>"},
		{"invented", "详情见原文。", "See <g1>the original</g1> for details.", "invented <g1> </g1>"},
		{"repeated", "见<x1/>。", "See <x1/> and <x1/>.", "repeated <x1/>"},
		{"badly nested", "<g1>美联储<g2>首选</g2></g1>", "<g1>the Fed's <g2>preferred</g1></g2>", "badly nested at </g1>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Finding
			if tt.want != "" {
				want = []Finding{{Kind: KindTags, Severity: Error, Message: tt.want}}
			}
			if diff := cmp.Diff(want, checkTags(tt.src, tt.tgt), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkTags(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestCheckUntranslated(t *testing.T) {
	tests := []struct {
		name     string
		tgtLang  language.Tag
		src, tgt string
		want     string
	}{
		{"translated", en, "周四，Coinbase发布了长达73页的回应。", "On Thursday, Coinbase released a 73-page response.", ""},
		{"echo", en, "周四，Coinbase发布了长达73页的回应。", "周四，Coinbase发布了长达73页的回应。", "the target repeats the source"},
		{"echo with other spacing and tags", en, "见<g1>原文</g1>\n<x2/>。", "见 <g1>原文</g1> <x2/>。", "the target repeats the source"},
		{"still chinese", en, "周四，Coinbase发布了长达73页的回应。", "周四，Coinbase released了长达73页的回应。", "the target is mostly in the source script (63% of its text)"},
		{"names in chinese are fine", en, "纽约（New York）港的助理港务主任爱德华·福克斯说。",
			"Edward Fox (爱德华·福克斯), assistant port director of the Port of New York, said.", ""},
		{"latin only source may be kept", en, "Coinbase (COIN +0.52%)", "Coinbase (COIN +0.52%)", ""},
		{"latin only source in a latin pair", language.French, "Coinbase (COIN +0.52%)", "Coinbase (COIN +0.52%)", ""},
		{"numbers only", en, "2023.03.21", "2023.03.21", ""},
		{"same language", language.MustParse("zh-Hant"), "中共国的第二次造奴隶运动开始了。", "中共国的第二次造奴隶运动开始了。", ""},
		{"chinese to japanese shares han", language.Japanese, "香港问题", "香港問題", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Finding
			if tt.want != "" {
				want = []Finding{{Kind: KindUntranslated, Severity: Error, Message: tt.want}}
			}
			got := checkUntranslated(zh, tt.tgtLang, tt.src, tt.tgt)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkUntranslated(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestCheckMissing(t *testing.T) {
	tests := []struct {
		src, tgt string
		want     bool
	}{
		{"周四，Coinbase发布了回应。", "", true},
		{"周四，Coinbase发布了回应。", " \n ", true},
		{"<g1>美联储</g1>", "<g1></g1>", true},
		{"周四，Coinbase发布了回应。", "On Thursday.", false},
		{"<x1/>", "", false},
		{"2023", "", false},
	}
	for _, tt := range tests {
		got := checkMissing(tt.src, tt.tgt)
		if (len(got) > 0) != tt.want {
			t.Errorf("checkMissing(%q, %q) = %v, want finding %v", tt.src, tt.tgt, got, tt.want)
		}
	}
}

func TestCheckLeaked(t *testing.T) {
	const src = "周四，Coinbase发布了长达73页的回应，广泛否认其在平台上提供证券。"
	const tr = "On Thursday, Coinbase released a 73-page response broadly denying that it offers securities on its platform."
	tests := []struct {
		name, src, tgt, want string
	}{
		{"clean", src, tr, ""},
		{"think", src, "<think>The user wants English.</think>" + tr, `reasoning block "<think>"`},
		{"think close only", src, "ok so the source says...</think>\n" + tr, `reasoning block "</think>"`},
		{"here is", src, "Here is the translation: " + tr, `preamble "Here is the translation"`},
		{"sure", src, "Sure, here's the English version: " + tr, `preamble "Sure, here's the English version"`},
		{"translation label", src, "Translation: " + tr, `preamble "Translation:"`},
		{"english translation label", src, "English translation: " + tr, `preamble "English translation:"`},
		{"note", src, tr + " Note: Coinbase is a crypto exchange.", `note "Note:"`},
		{"note in parens", src, tr + " (Note: COIN is its ticker.)", `note "(Note:"`},
		{"translator's note", src, tr + " [Translator's note: literal rendering]", `translator's note "Translator's note"`},
		{"refusal", src, "I'm sorry, but I can't help with that.", `refusal "I'm sorry"`},
		{"cannot translate", src, "I cannot translate this text.", `refusal "I cannot translate"`},
		{"as an AI", src, "As an AI language model, I must decline.", `refusal "As an AI"`},
		// In the source too: legitimate.
		{"source note", "那个韦石（注：孟维参）说的。", "That Wei Shi (Note: Meng Weican) said so.", ""},
		{"source editor's note", "编者注：正文中的小标题为编者所加。", "Note: the subheadings in the text were added by the editor.", ""},
		{"source apology", "他说：“对不起，我不能帮你。”", "He said: \"I'm sorry, I can't help you.\"", ""},
		{"source english preamble", "Here is the translation: 见下文", "Here is the translation: see below", ""},
		{"notebook is not a note", src, "Note-taking apps and notebooks: " + tr, ""},
		{"here is not a preamble mid-text", src, tr + " Here is the list of tokens.", ""},
		{"okay in a transcript", "好，我们开始。", "OK, here we go.", ""},
		{"translator credit", "翻译：Totoro", "Translation: Totoro", ""},
		{"source attention", "注意：今晚有雨。", "Note: it will rain tonight.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Finding
			if tt.want != "" {
				want = []Finding{{Kind: KindLeaked, Severity: Error, Message: tt.want}}
			}
			if diff := cmp.Diff(want, checkLeaked(tt.src, tt.tgt), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkLeaked(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestCheckLength(t *testing.T) {
	const src = "爱德华·福克斯说：“太阳能电池板是一个大问题，因为它所需的多晶硅主要来自新疆地区。”" // 41 characters
	tests := []struct {
		name     string
		cfg      *Config
		src, tgt string
		want     string
	}{
		{"fits", nil, src, goodPairs[3].tgt, ""},
		{"too short", nil, src, "Fox: solar panels.", "target/source length ratio 0.42 is outside [1.50, 6.00]"},
		{"too long", nil, src, goodPairs[0].tgt, "target/source length ratio 8.82 is outside [1.50, 6.00]"},
		{"short source not checked", nil, "结论", "In conclusion, and after much deliberation, we find", ""},
		{"configured", &Config{LengthMin: 0.3}, src, "Fox: solar panels.", ""},
		{"configured max", &Config{LengthMax: 2}, src, goodPairs[3].tgt, "target/source length ratio 2.74 is outside [1.50, 2.00]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Finding
			if tt.want != "" {
				want = []Finding{{Kind: KindLength, Severity: Warning, Message: tt.want}}
			}
			if diff := cmp.Diff(want, checkLength(tt.cfg, zh, en, tt.src, tt.tgt), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkLength(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestLengthBounds(t *testing.T) {
	tests := []struct {
		src, tgt language.Tag
		lo, hi   float64
	}{
		{zh, en, 1.5, 6}, {en, zh, 0.5 / 3, 2.0 / 3}, {en, language.French, 0.5, 2},
		{language.MustParse("zh-Hant"), language.German, 1.5, 6},
	}
	for _, tt := range tests {
		lo, hi := LengthBounds(nil, tt.src, tt.tgt)
		if !same(lo, tt.lo) || !same(hi, tt.hi) {
			t.Errorf("LengthBounds(%v, %v) = %v, %v, want %v, %v", tt.src, tt.tgt, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestCheckURLs(t *testing.T) {
	link := []markdown.Tag{{ID: 1, Kind: markdown.LinkTag, Paired: true, Open: "[", Close: "](https://gnews.org/articles/1176351)", Dest: "https://gnews.org/articles/1176351"}}
	auto := []markdown.Tag{{ID: 1, Kind: markdown.AutolinkTag, Open: "https://www.barrons.com/articles/pce-index?mod=RTA", Dest: "https://www.barrons.com/articles/pce-index?mod=RTA"}}
	ref := []markdown.Tag{{ID: 1, Kind: markdown.LinkTag, Paired: true, Open: "[", Close: "][1]", Dest: "https://example.org/a"}}
	tests := []struct {
		name             string
		src, tgt         string
		srcTags, tgtTags []markdown.Tag
		want             string
	}{
		{"text url kept", "见 https://gnews.org/articles/1176351。", "See https://gnews.org/articles/1176351.", nil, nil, ""},
		{"text url changed", "见 https://gnews.org/articles/1176351。", "See https://gnews.org/articles/1176315.", nil, nil,
			"url https://gnews.org/articles/1176351 is not in the target"},
		{"text url lost", "见https://gnews.org/articles/1176351中文", "See the article.", nil, nil,
			"url https://gnews.org/articles/1176351 is not in the target"},
		{"link tag kept", "<g1>轉載自GNews</g1>", "<g1>Reprinted from GNews</g1>", link, nil, ""},
		{"link tag lost", "<g1>轉載自GNews</g1>", "Reprinted from GNews", link, nil,
			"url https://gnews.org/articles/1176351 is not in the target"},
		{"autolink kept", "<x1/>", "<x1/>", auto, nil, ""},
		{"reference link dest", "<g1>原文</g1>", "the original", ref, nil, "url https://example.org/a is not in the target"},
		{"target's own tags changed", "<x1/>", "<x1/>", auto,
			[]markdown.Tag{{ID: 1, Kind: markdown.AutolinkTag, Open: "https://www.barrons.com/articles/pce-index", Dest: "https://www.barrons.com/articles/pce-index"}},
			"url https://www.barrons.com/articles/pce-index?mod=RTA is not in the target"},
		{"no tags given", "<x1/>", "", nil, nil, ""},
		{"chinese tail of a url translated", "<x1/>病毒溯源.mp4", "<x1/> bingdu suyuan.mp4",
			[]markdown.Tag{{ID: 1, Kind: markdown.AutolinkTag, Open: "https://ipfs.gnews.org/ipfs/Qmd?filename=", Dest: "https://ipfs.gnews.org/ipfs/Qmd?filename="}}, nil,
			"url https://ipfs.gnews.org/ipfs/Qmd?filename=病毒溯源.mp4 is broken in the target: its text after https://ipfs.gnews.org/ipfs/Qmd?filename= was changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []Finding
			if tt.want != "" {
				want = []Finding{{Kind: KindURLs, Severity: Error, Message: tt.want}}
			}
			got := checkURLs(tt.src, tt.tgt, tt.srcTags, tt.tgtTags)
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("checkURLs(%q, %q) (-want +got):\n%s", tt.src, tt.tgt, diff)
			}
		})
	}
}

func TestFindURLs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"[x](https://a.org/b?c=1) 见https://gnews.org/1，和 <http://x.org/y>. mailto:me@x.org",
			[]string{"https://a.org/b?c=1", "https://gnews.org/1", "http://x.org/y", "mailto:me@x.org"}},
		// A URL goes on after Chinese when URL characters follow it.
		{"https://ipfs.gnews.org/ipfs/Qmd?filename=病毒溯源.mp4 见", []string{"https://ipfs.gnews.org/ipfs/Qmd?filename=病毒溯源.mp4"}},
		{"(https://gnews.org/zh-hans/tag/文贵天成习近平/)", []string{"https://gnews.org/zh-hans/tag/文贵天成习近平/"}},
		{"见https://gnews.org/articles/1详见。", []string{"https://gnews.org/articles/1"}},
		{"网站www.Agentura.ru。", []string{"www.Agentura.ru"}},
		{"https://x.org/a*强调*", []string{"https://x.org/a"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, findURLs(tt.in)); diff != "" {
			t.Errorf("findURLs(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestCheckGlossary(t *testing.T) {
	cfg := &Config{Glossary: func(src, tgt string) []string {
		if !strings.Contains(tgt, "Biden") {
			return []string{`term 拜登: want "Biden"`}
		}
		return nil
	}}
	p := Pair{Source: "美国总统拜登和俄罗斯总统普京举行了峰会。", Target: "US President Baiden and Russian President Putin held a summit.", Line: 7, SegIndex: 2}
	want := []Finding{{Segment: 2, Line: 7, Kind: KindGlossary, Severity: Error, Message: `term 拜登: want "Biden"`}}
	if diff := cmp.Diff(want, CheckSegment(cfg, zh, en, p)); diff != "" {
		t.Errorf("CheckSegment with glossary (-want +got):\n%s", diff)
	}
	cfg.Disable = []string{KindGlossary}
	if got := CheckSegment(cfg, zh, en, p); len(got) != 0 {
		t.Errorf("CheckSegment with glossary disabled = %v, want none", got)
	}
}
