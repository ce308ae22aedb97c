package markdown

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, src string) *Document {
	t.Helper()
	d, err := Parse([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAssembleTranslated(t *testing.T) {
	tests := []struct {
		name, src string
		targets   []string
		want      string
	}{
		{"inline tags", "见**报道**和[链接](http://a.org)。\n", []string{"See <g1>report</g1> and <g2>link</g2>."},
			"See **report** and [link](http://a.org).\n"},
		{"moved tags", "见**报道**和[链接](http://a.org)。\n", []string{"<g2>Link</g2> and <g1>report</g1>."},
			"[Link](http://a.org) and **report**.\n"},
		{"quote breaks", "> 一\r\n> 二\r\n", []string{"one\ntwo\nthree"}, "> one\r\n> two\r\n> three\r\n"},
		{"fewer breaks", "> 一\n> 二\n", []string{"one two"}, "> one two\n"},
		{"no break in heading", "# 标题\n", []string{"a\nb"}, "# a b\n"},
		{"cell pipe", "| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |\n", []string{"a|b", "B", "c\\|d", "D"},
			"| a\\|b | B |\n|---|---|\n| c\\|d | D |\n"},
		{"front matter same", "---\ntitle: '标题'\n---\n正文\n", []string{"标题", "text"}, "---\ntitle: '标题'\n---\ntext\n"},
		{"front matter plain", "---\ntitle: 标题\n---\n", []string{"A Title"}, "---\ntitle: A Title\n---\n"},
		{"front matter quoted", "---\ntitle: 标题\n---\n", []string{"Title: \"x\""}, "---\ntitle: \"Title: \\\"x\\\"\"\n---\n"},
		{"hard break kept", "一  \n二\n", []string{"one<x1/>two"}, "one  \ntwo\n"},
		{"list continuation", "- 一\n  二\n", []string{"one\ntwo"}, "- one\n  two\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			got, err := d.Assemble(tt.targets)
			if err != nil {
				t.Fatalf("Assemble: %v (texts %q)", err, texts(d))
			}
			if string(got) != tt.want {
				t.Errorf("Assemble = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAssembleErrors(t *testing.T) {
	d := mustParse(t, "见**报道**。\n\n二\n")
	for _, targets := range [][]string{
		{"one"},
		{"See report.", "two"},
		{"See <g1>report</g1> <x9/>.", "two"},
	} {
		if _, err := d.Assemble(targets); !errors.Is(err, ErrTargets) {
			t.Errorf("Assemble(%q) error = %v, want ErrTargets", targets, err)
		}
	}
}

func TestLongLines(t *testing.T) {
	line := strings.Repeat("长句子，", 6000) // 24,000 characters
	for _, src := range []string{line + "\n", strings.Repeat("字", 5<<20/3)} {
		d := roundTrip(t, []byte(src))
		if len(d.Segments) != 1 {
			t.Errorf("%d segments, want 1", len(d.Segments))
		}
	}
}

func TestParseFragment(t *testing.T) {
	d := mustParse(t, "见[报道][r]。\n\n[r]: http://r.org\n")
	frag, err := ParseFragment([]byte("See [report][r].\n"), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(frag.Segments) != 1 || len(frag.Segments[0].Tags) != 1 || frag.Segments[0].Tags[0].Dest != "http://r.org" {
		t.Fatalf("ParseFragment segments = %+v, want one link to http://r.org", frag.Segments)
	}
	alone := mustParse(t, "See [report][r].\n")
	if len(alone.Segments[0].Tags) != 0 {
		t.Errorf("without context [report][r] should not be a link: %+v", alone.Segments[0].Tags)
	}
}

func TestParseFragmentFootnotes(t *testing.T) {
	src := "正文[^1]。\n\n[^1]: 脚注。\n"
	d := mustParse(t, src)
	frag, err := ParseFragment([]byte("Text[^1].\n"), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkTiling(t, frag)
	if len(frag.Segments) != 1 || len(frag.Segments[0].Tags) != 1 || frag.Segments[0].Tags[0].Kind != FootnoteRefTag {
		t.Fatalf("ParseFragment segments = %+v, want one footnote reference", frag.Segments)
	}
	if got, err := frag.Assemble(texts(frag)); err != nil || string(got) != "Text[^1].\n" {
		t.Errorf("Assemble = %q, %v", got, err)
	}
	whole := mustParse(t, "正文[^1]。\n")
	if diffs := Compare(whole, frag); len(diffs) != 0 {
		t.Errorf("Compare = %v", diffs)
	}
}

func TestAlignTags(t *testing.T) {
	src := mustParse(t, "见`x`和**报道**与[链接](http://a.org)。\n").Segments[0]
	like := mustParse(t, "[Link](http://a.org) and **report** with `x`.\n").Segments[0]
	got, err := AlignTags(src, like)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<g3>Link</g3> and <g2>report</g2> with <x1/>."; got != want {
		t.Errorf("AlignTags = %q, want %q", got, want)
	}
	other := mustParse(t, "[Link](http://b.org) and **report** with `x`.\n").Segments[0]
	if _, err := AlignTags(src, other); !errors.Is(err, ErrTags) {
		t.Errorf("AlignTags with another destination: error = %v, want ErrTags", err)
	}
}

func TestNormalize(t *testing.T) {
	if got, want := Normalize("  a\u0301 \n\t b\u3000c  "), "\u00e1 b c"; got != want {
		t.Errorf("Normalize = %q, want %q", got, want)
	}
}

func TestCompare(t *testing.T) {
	src := "# 标题\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n见[x](http://a.org) `c` <b>。\n"
	tests := []struct {
		name, tgt string
		kinds     []string
	}{
		{"same", "# Title\n\n- one\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\nSee [x](http://a.org) `c` <b>.\n", nil},
		{"heading level", "## Title\n\n- one\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\nSee [x](http://a.org) `c` <b>.\n", []string{"heading"}},
		{"list items", "# Title\n\n- one\n- two\n- three\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\nSee [x](http://a.org) `c` <b>.\n", []string{"list"}},
		{"table", "# Title\n\n- one\n- two\n\n| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n\n```\ncode\n```\n\nSee [x](http://a.org) `c` <b>.\n", []string{"table"}},
		{"code, link, span, html", "# Title\n\n- one\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n```\nkode\n```\n\nSee [x](http://b.org) `d` <i>.\n",
			[]string{"code", "link", "link", "code-span", "code-span", "html", "html"}},
		{"blocks", "# Title\n\nSee.\n", []string{"block", "code", "link", "code-span", "html"}},
	}
	s := mustParse(t, src)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kinds []string
			for _, d := range Compare(s, mustParse(t, tt.tgt)) {
				kinds = append(kinds, d.Kind)
			}
			if diff := cmp.Diff(tt.kinds, kinds); diff != "" {
				t.Errorf("Compare kinds mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInvalidUTF8(t *testing.T) {
	if _, err := Parse([]byte("a\xffb"), nil); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("Parse(invalid) error = %v, want ErrInvalidUTF8", err)
	}
}

func TestOptions(t *testing.T) {
	src := []byte("---\ntitle: 标题\nsubtitle: 副标题\n---\n> > > 深\n")
	d, err := Parse(src, &Options{FrontMatterFields: []string{"subtitle"}, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"副标题"}, d.Texts()); diff != "" {
		t.Errorf("Texts mismatch (-want +got):\n%s", diff)
	}
	if got, err := d.Assemble(d.Texts()); err != nil || string(got) != string(src) {
		t.Errorf("Assemble = %q, %v", got, err)
	}
}

func TestAssembleSegmentMatchesAssembleBlock(t *testing.T) {
	src := []byte("# Title\n\n- one **two**\n- three\n\nlast para\n")
	doc, err := Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range doc.Segments {
		targets := doc.Texts()
		targets[i] = "X " + s.Text
		want, err := doc.AssembleBlock(s.Block, targets)
		if err != nil {
			t.Fatal(err)
		}
		got, err := doc.AssembleSegment(i, targets[i])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("AssembleSegment(%d) = %q, want %q", i, got, want)
		}
	}
	if _, err := doc.AssembleSegment(len(doc.Segments), "x"); err == nil {
		t.Error("AssembleSegment past the end: no error")
	}
}

// TestDoubleBOM: a file that starts with two byte order marks (one in the
// whole archive) round-trips, and its first block read back alone (as the
// bilingual reader reads a block after the file's own BOM) has the same
// segment.
func TestDoubleBOM(t *testing.T) {
	src := "\ufeff\ufeffText.\n"
	d := roundTrip(t, []byte(src))
	if got := d.Texts(); len(got) != 1 || got[0] != "Text." {
		t.Fatalf("texts = %q, want [Text.]", got)
	}
	if d.Blocks[0].Start != 0 || d.Blocks[0].End != len(src) {
		t.Errorf("block 0 = [%d,%d), want the whole file with both marks", d.Blocks[0].Start, d.Blocks[0].End)
	}
	out, err := d.Assemble([]string{"Texte."})
	if err != nil || string(out) != "\ufeff\ufeffTexte.\n" {
		t.Errorf("Assemble = %q, %v", out, err)
	}
	block := src[len("\ufeff"):]
	frag, err := ParseFragment([]byte(block), d, nil)
	if err != nil || len(frag.Segments) != 1 || frag.Segments[0].Text != "Text." {
		t.Fatalf("ParseFragment(%q) = %v, %v", block, frag, err)
	}
	if got, err := frag.Assemble(frag.Texts()); err != nil || string(got) != block {
		t.Errorf("fragment round trip = %q, %v", got, err)
	}
}
