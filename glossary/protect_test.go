package glossary

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tags"
)

func TestProtect(t *testing.T) {
	g := testGlossary(t)
	tests := []struct {
		name, text  string
		mode        ProtectMode
		want        string
		wantRestore map[string]string
		translated  string // what an engine returns for want
		unprotected string
	}{
		{
			name: "all", text: "美国总统<x1/>在<g3>北京</g3>看GTV。", mode: ProtectAll,
			want:        "<x4/><x1/>在<g3><x5/></g3>看<x6/>。",
			wantRestore: map[string]string{"<x4/>": "US President", "<x5/>": "Beijing", "<x6/>": "GTV"},
			translated:  "The<x4/><x1/> watched<x6/> in <g3><x5/></g3>.",
			unprotected: "The US President<x1/> watched GTV in <g3>Beijing</g3>.",
		},
		{
			name: "keep only", text: "美国总统在北京看GTV和nato。", mode: ProtectKeep,
			want:        "美国总统在北京看<x1/>和<x2/>。",
			wantRestore: map[string]string{"<x1/>": "GTV", "<x2/>": "nato"},
			translated:  "The US President watched <x1/> and <x2/> in Beijing.",
			unprotected: "The US President watched GTV and nato in Beijing.",
		},
		{
			name: "adjacent terms get a space", text: "美国总统习近平和总统们", mode: ProtectAll,
			want:        "<x1/><x2/>和<x3/>们",
			wantRestore: map[string]string{"<x1/>": "US President", "<x2/>": "Xi Jinping", "<x3/>": "President"},
			translated:  "<x1/><x2/>'s and two<x3/>s",
			unprotected: "US President Xi Jinping's and two Presidents",
		},
		{
			name: "nothing to protect", text: "美国总统", mode: ProtectKeep,
			want: "美国总统", translated: "US President", unprotected: "US President",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, restore := Protect(tt.text, g.Match(tt.text), tt.mode)
			if got != tt.want {
				t.Errorf("Protect(%q) = %q, want %q", tt.text, got, tt.want)
			}
			if diff := cmp.Diff(tt.wantRestore, restore); diff != "" {
				t.Errorf("Protect(%q) restore (-want +got):\n%s", tt.text, diff)
			}
			if err := tags.Check(got, tt.translated); err != nil {
				t.Fatalf("bad test: %v", err)
			}
			if u := Unprotect(tt.translated, restore); u != tt.unprotected {
				t.Errorf("Unprotect(%q) = %q, want %q", tt.translated, u, tt.unprotected)
			}
		})
	}
}

func TestProtectTagOverflow(t *testing.T) {
	g := testGlossary(t)
	text := "<x999999/>北京<x1/>"
	got, restore := Protect(text, g.Match(text), ProtectAll)
	if got != "<x999999/><x2/><x1/>" || restore["<x2/>"] != "Beijing" {
		t.Errorf("Protect(%q) = %q, %v", text, got, restore)
	}
}

func TestEntriesAndKeyHash(t *testing.T) {
	g := testGlossary(t)
	ms := g.Match("北京、美国、北京")
	got := Entries(ms)
	want := []Entry{
		{Source: "北京", Target: "Beijing", Mode: Translate, Forbidden: []string{"Peking"}},
		{Source: "美国", Target: "US", Mode: Translate, Aliases: []string{"美國"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Entries (-want +got):\n%s", diff)
	}

	h := KeyHash(ms)
	if len(h) != 16 {
		t.Errorf("KeyHash = %q, want 16 hex digits", h)
	}
	if h2 := KeyHash(g.Match("美国北京")); h2 != h {
		t.Errorf("KeyHash depends on order or count: %q vs %q", h, h2)
	}
	if KeyHash(nil) != "" {
		t.Errorf("KeyHash(nil) = %q, want empty", KeyHash(nil))
	}
	// Changing a term changes the hash of segments that contain it and
	// only those.
	g2, err := New(append(testGlossaryEntries(g), Entry{Source: "上海", Target: "Shanghai"}))
	if err != nil {
		t.Fatal(err)
	}
	if KeyHash(g2.Match("北京、美国")) != h {
		t.Errorf("adding an unrelated term changed the hash")
	}
	entries := testGlossaryEntries(g)
	for i := range entries {
		if entries[i].Source == "北京" {
			entries[i].Forbidden = nil
		}
	}
	g3, _ := New(entries)
	if KeyHash(g3.Match("北京、美国")) == h {
		t.Errorf("changing the forbidden variants of a matched term kept the hash")
	}
	if KeyHash(g3.Match("美国")) != KeyHash(g.Match("美国")) {
		t.Errorf("changing a term changed the hash of a segment without it")
	}
}

func testGlossaryEntries(g *Glossary) []Entry { return g.Terms() }

// FuzzProtect checks that protect then restore is the identity when the
// "translation" is the protected text itself and each tag is restored to
// the source spelling it replaced, and that protection never breaks tags.
func FuzzProtect(f *testing.F) {
	for _, s := range []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会。",
		"<x1/>北京<g2>美国</g2>总统 NATO GTV gtv C++ <x01/>",
		"<x999999/>北京", "北<x1/>京", "<x1/>>/>x1 /> <x", "https://nato.int/北京 NATO",
		"STRASSE straße G7峰会 G77峰会",
	} {
		f.Add(s)
	}
	g, err := New([]Entry{
		{Source: "美国", Target: "US"}, {Source: "美国总统", Target: "US President"},
		{Source: "北京", Target: "Beijing"}, {Source: "NATO", Target: "NATO", Mode: Keep},
		{Source: "GTV", Target: "GTV", Mode: Keep, CaseSensitive: true},
		{Source: "C++", Target: "C++", Mode: Keep}, {Source: "/>", Target: "slash"},
		{Source: "x1", Target: "X1"}, {Source: "<", Target: "lt"}, {Source: "G7峰会", Target: "G7 summit"},
		{Source: "straße", Target: "street"},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ms := g.Match(text)
		for i, m := range ms {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End || text[m.Start:m.End] != m.Text ||
				i > 0 && m.Start < ms[i-1].End {
				t.Fatalf("Match(%q): bad match %+v", text, m)
			}
		}
		for _, mode := range []ProtectMode{ProtectAll, ProtectKeep} {
			protected, restore := Protect(text, ms, mode)
			// Restore each new tag to the source spelling it replaced:
			// new tags appear in protected in match order.
			var picked []Match
			for _, m := range ms {
				if mode == ProtectAll || m.Entry.Mode == Keep {
					picked = append(picked, m)
				}
			}
			source := map[string]string{}
			k := 0
			for _, tok := range tags.Parse(protected) {
				if _, ok := restore[tok.Text]; ok && tok.Kind == tags.Standalone {
					if k >= len(picked) {
						t.Fatalf("Protect(%q) = %q: more new tags than matches", text, protected)
					}
					source[tok.Text] = picked[k].Text
					k++
				}
			}
			if k != len(picked) || len(restore) != len(picked) {
				t.Fatalf("Protect(%q) = %q, %v: want %d new tags, found %d", text, protected, restore, len(picked), k)
			}
			if got := Unprotect(protected, source); got != text {
				t.Fatalf("Unprotect(Protect(%q)) = %q (protected %q)", text, got, protected)
			}
			// The original tags are all still there.
			for _, tok := range tags.Parse(text) {
				if tok.Kind != tags.Text && !strings.Contains(protected, tok.Text) {
					t.Fatalf("Protect(%q) = %q lost %s", text, protected, tok.Text)
				}
			}
		}
	})
}
