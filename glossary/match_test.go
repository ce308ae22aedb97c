package glossary

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// testGlossary is small enough to read and covers nesting, aliases, case
// rules and Latin terms.
func testGlossary(t testing.TB) *Glossary {
	t.Helper()
	g, err := New([]Entry{
		{Source: "美国", Target: "US", Aliases: []string{"美國"}},
		{Source: "美国总统", Target: "US President", Aliases: []string{"美國總統"}},
		{Source: "总统", Target: "President"},
		{Source: "北京", Target: "Beijing", Forbidden: []string{"Peking"}},
		{Source: "北京大学", Target: "Peking University"},
		{Source: "习近平", Target: "Xi Jinping", Aliases: []string{"習近平"}},
		{Source: "GTV", Target: "GTV", Mode: Keep, CaseSensitive: true},
		{Source: "NATO", Target: "NATO", Mode: Keep},
		{Source: "new york times", Target: "The New York Times"},
		{Source: "C++", Target: "C++", Mode: Keep},
		{Source: "G7峰会", Target: "G7 summit"},
		{Source: "Straße", Target: "street"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMatch(t *testing.T) {
	g := testGlossary(t)
	type m struct {
		Text, Target, Alias string
	}
	tests := []struct {
		name, text string
		want       []m
	}{
		{"nesting longest wins", "美国总统拜登访问北京。", []m{{"美国总统", "US President", ""}, {"北京", "Beijing", ""}}},
		{"shorter alone", "美国和总统", []m{{"美国", "US", ""}, {"总统", "President", ""}}},
		{"overlap leftmost", "美国总统统", []m{{"美国总统", "US President", ""}}},
		{"overlap across terms", "北京大学生", []m{{"北京大学", "Peking University", ""}}},
		{"traditional alias", "美國總統習近平", []m{{"美國總統", "US President", "美國總統"}, {"習近平", "Xi Jinping", "習近平"}}},
		{"case insensitive", "nato and Nato and NATO", []m{{"nato", "NATO", ""}, {"Nato", "NATO", ""}, {"NATO", "NATO", ""}}},
		{"case sensitive", "gtv Gtv GTV", []m{{"GTV", "GTV", ""}}},
		{"latin word boundaries", "NATOs GTVx xGTV NATO_ 1NATO", nil},
		{"latin next to CJK", "在GTV上看NATO的消息", []m{{"GTV", "GTV", ""}, {"NATO", "NATO", ""}}},
		{"latin punctuation", "(NATO), GTV's", []m{{"NATO", "NATO", ""}, {"GTV", "GTV", ""}}},
		{"multiword", "the New York Times said", []m{{"New York Times", "The New York Times", ""}}},
		{"multiword needs all", "New York Timesheet", nil},
		{"symbol edge needs no boundary", "C++11 and C++ and xC++", []m{{"C++", "C++", ""}, {"C++", "C++", ""}}},
		{"mixed edge", "G7峰会 and G77峰会", []m{{"G7峰会", "G7 summit", ""}}},
		{"non-ascii fold", "STRASSE straße STRAßE", []m{{"straße", "street", ""}, {"STRAßE", "street", ""}}},
		{"inside standalone tag never", "<x1/>北京<x2/>", []m{{"北京", "Beijing", ""}}},
		{"not across tags", "北<x1/>京 美国<g2>总统</g2>", []m{{"美国", "US", ""}, {"总统", "President", ""}}},
		{"inside paired tag text", "<g1>北京大学</g1>", []m{{"北京大学", "Peking University", ""}}},
		{"inside bare url never", "见 https://beijing.example/NATO/%E5%8C%97 和北京", []m{{"北京", "Beijing", ""}}},
		{"url stops at CJK", "www.nato.int，NATO", []m{{"NATO", "NATO", ""}}},
		{"tag-like text is text", "<x01/>北京", []m{{"北京", "Beijing", ""}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []m
			for _, x := range g.Match(tt.text) {
				if tt.text[x.Start:x.End] != x.Text {
					t.Errorf("Match(%q): offsets [%d:%d] do not give %q", tt.text, x.Start, x.End, x.Text)
				}
				got = append(got, m{x.Text, x.Entry.Target, x.Alias})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Match(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

// TestMatchAgainstNaive compares the automaton with a naive
// leftmost-longest search over the example glossary and corpus-like text.
func TestMatchAgainstNaive(t *testing.T) {
	g, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会。",
		"郭文贵先生（Miles Guo）在GETTR和GTV上说，中共国的中共病毒……",
		"習近平、鄧小平與毛泽东；台灣、臺灣和台湾；FBI、fbi、Fbi。",
	}
	for _, text := range texts {
		var want []string
		for i := 0; i < len(text); {
			best, bestLen := "", 0
			for _, e := range g.Terms() {
				for _, sp := range spellings(&e) {
					if strings.HasPrefix(text[i:], sp) && len(sp) > bestLen && !isWordRune(rune(sp[0])) {
						best, bestLen = sp, len(sp)
					}
				}
			}
			if bestLen == 0 {
				i++
				continue
			}
			want = append(want, best)
			i += bestLen
		}
		var got []string
		for _, m := range g.Match(text) {
			if !isWordRune(rune(m.Text[0])) {
				got = append(got, m.Text)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Match(%q) CJK terms (-naive +got):\n%s", text, diff)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	g := testGlossary(t)
	const text = "美国总统在北京看GTV，NATO开会。"
	want := g.Match(text)
	done := make(chan []Match)
	for range 8 {
		go func() { done <- g.Match(text) }()
	}
	for range 8 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("concurrent Match differs (-want +got):\n%s", diff)
		}
	}
}

func TestMatchExampleGlossary(t *testing.T) {
	g, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		t.Fatal(err)
	}
	text := "中共国的中共病毒，中共说美国总统拜登和美国官员在白宮与習近平会谈。轉載自GNews：[GNews](<x1/>)"
	var got []string
	for _, m := range g.Match(text) {
		got = append(got, m.Text+"="+m.Entry.Target)
	}
	want := []string{
		"中共国=Communist China", "中共病毒=CCP virus", "中共=CCP", "美国总统=US President", "拜登=Biden",
		"美国=US", "白宮=White House", "習近平=Xi Jinping", "GNews=GNews", "GNews=GNews",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Match (-want +got):\n%s", diff)
	}
}

// TestAutomatonAgainstBruteForce compares the automaton's candidates with
// a brute-force search over random terms and texts drawn from a small
// alphabet (so terms overlap and nest a lot), including invalid UTF-8.
func TestAutomatonAgainstBruteForce(t *testing.T) {
	alphabet := []string{"美", "国", "总", "统", "a", "B", "ß", " ", "\xe7", "\x80"}
	rng := rand.New(rand.NewPCG(7, 9))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 200 {
		var pats []pattern
		seen := map[string]bool{}
		for range 1 + rng.IntN(40) {
			w := word(1 + rng.IntN(4))
			if !utf8.ValidString(w) || strings.TrimSpace(w) != w || w == "" || seen[w] {
				continue
			}
			seen[w] = true
			first, _ := utf8.DecodeRuneInString(w)
			last, _ := utf8.DecodeLastRuneInString(w)
			pats = append(pats, pattern{folded: fold(w), spelling: w, entry: int32(len(pats)),
				sensitive: rng.IntN(3) == 0, checkLeft: isWordRune(first), checkRight: isWordRune(last)})
		}
		a := buildAutomaton(pats)
		for range 20 {
			text := word(rng.IntN(30))
			got := a.scan(text, 0, len(text), nil)
			var want []candidate
			for end := 1; end <= len(text); end++ {
				for pi := len(pats) - 1; pi >= 0; pi-- {
					p := pats[pi]
					start := end - len(p.folded)
					if start < 0 || fold(text[start:end]) != p.folded && !(p.sensitive && text[start:end] == p.spelling) {
						continue
					}
					if p.sensitive && text[start:end] != p.spelling {
						continue
					}
					if p.checkLeft && start > 0 {
						if r, _ := utf8.DecodeLastRuneInString(text[:start]); isWordRune(r) {
							continue
						}
					}
					if p.checkRight && end < len(text) {
						if r, _ := utf8.DecodeRuneInString(text[end:]); isWordRune(r) {
							continue
						}
					}
					want = append(want, candidate{start, end, int32(pi)})
				}
			}
			sortCands := func(c []candidate) {
				slices.SortFunc(c, func(x, y candidate) int {
					if x.start != y.start {
						return x.start - y.start
					}
					if x.end != y.end {
						return x.end - y.end
					}
					return int(x.pat - y.pat)
				})
			}
			sortCands(got)
			sortCands(want)
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(candidate{})); diff != "" {
				t.Fatalf("round %d: scan(%q) with %d patterns (-brute +got):\n%s", round, text, len(pats), diff)
			}
		}
	}
}
