package markdown

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readBack assembles d with targets, parses the result back in d's
// context (as the bilingual reader does) and returns each segment's text
// aligned to d's tags.
func readBack(t *testing.T, d *Document, targets []string, opts *Options) (string, []string) {
	t.Helper()
	out, err := d.Assemble(targets)
	if err != nil {
		t.Fatalf("Assemble(%q): %v", targets, err)
	}
	back, err := ParseFragment(out, d, opts)
	if err != nil {
		t.Fatalf("ParseFragment(%q): %v", out, err)
	}
	if len(back.Segments) != len(d.Segments) {
		t.Fatalf("%q reads back as %d segments, want %d", out, len(back.Segments), len(d.Segments))
	}
	aligned := make([]string, len(d.Segments))
	for i := range d.Segments {
		a, err := AlignTags(d.Segments[i], back.Segments[i])
		if err != nil {
			t.Fatalf("AlignTags(%q, %q): %v (written %q)", d.Segments[i].Text, back.Segments[i].Text, err, out)
		}
		aligned[i] = a
	}
	return string(out), aligned
}

func parseWith(t *testing.T, src string, opts *Options) *Document {
	t.Helper()
	d, err := Parse([]byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d.Assemble(d.Texts()); err != nil || string(got) != src {
		t.Fatalf("copy round trip of %q = %q, %v", src, got, err)
	}
	checkRender(t, d)
	return d
}

func TestWikiLinks(t *testing.T) {
	const src = "参见[[zh:香港]]和[[en:Foo|bar]]。\n"
	tests := []struct {
		mode, text, target, want, back string
	}{
		{WikiLabel, "参见<g1>香港</g1>和<g2>bar</g2>。", "See <g1>Hong Kong</g1> and <g2>Bar</g2>.",
			"See [[zh:香港|Hong Kong]] and [[en:Foo|Bar]].\n", "See <g1>Hong Kong</g1> and <g2>Bar</g2>."},
		{"", "参见<g1>香港</g1>和<g2>bar</g2>。", "See <g1>香港</g1> and <g2>bar</g2>.",
			"See [[zh:香港]] and [[en:Foo|bar]].\n", "See <g1>香港</g1> and <g2>bar</g2>."},
		{WikiUnwrap, "参见<g1>香港</g1>和<g2>bar</g2>。", "See <g1>Hong Kong</g1> and <g2>Bar</g2>.",
			"See Hong Kong and Bar.\n", "See Hong Kong and Bar."},
		{WikiKeep, "参见<x1/>和<x2/>。", "See <x1/> and <x2/>.",
			"See [[zh:香港]] and [[en:Foo|bar]].\n", "See <x1/> and <x2/>."},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			opts := &Options{WikiLinks: tt.mode}
			d := parseWith(t, src, opts)
			if got := d.Segments[0].Text; got != tt.text {
				t.Fatalf("Parse text = %q, want %q", got, tt.text)
			}
			out, back := readBack(t, d, []string{tt.target}, opts)
			if out != tt.want {
				t.Errorf("Assemble = %q, want %q", out, tt.want)
			}
			if back[0] != tt.back {
				t.Errorf("read back = %q, want %q", back[0], tt.back)
			}
			// What was read back writes the same bytes again.
			if again, err := d.Assemble(back); err != nil || string(again) != out {
				t.Errorf("Assemble(read back) = %q, %v; want %q", again, err, out)
			}
		})
	}
}

// TestWikiWrongForms: spans glued to brackets, in the source and in a
// translation, are found where both sides find them.
func TestWikiWrongForms(t *testing.T) {
	tests := []struct {
		name, src, text, target, want string
		opts                          *Options
	}{
		{"bracket before, label", "【[[zh:中國大陸]]】和\n", "【<g1>中國大陸</g1>】和", "[<g1>Mainland China</g1>] and",
			"[[[zh:中國大陸|Mainland China]]] and\n", nil},
		{"bracket before, keep", "【[[zh:中國大陸]]】和\n", "【<x1/>】和", "[<x1/>] and",
			"[[[zh:中國大陸]]] and\n", &Options{WikiLinks: WikiKeep}},
		{"triple bracket source", "[[[zh:中华人民共和国]]的\n", "[<g1>中华人民共和国</g1>的", "[<g1>PRC</g1>'s",
			"[[[zh:中华人民共和国|PRC]]'s\n", nil},
		{"escaped brackets", "超过了\\[[[zh:中共国]]\\]可能\n", "超过了\\[<g1>中共国</g1>\\]可能", "beyond \\[<g1>CCP</g1>\\] may",
			"beyond \\[[[zh:中共国|CCP]]\\] may\n", nil},
		{"paren after", "见[[zh:香港]]（香港）\n", "见<g1>香港</g1>（香港）", "See <g1>HK</g1>(Hong Kong)",
			"See [[zh:香港|HK]]\\(Hong Kong)\n", nil},
		{"label with syntax", "见[[zh:香港]]。\n", "见<g1>香港</g1>。", "See <g1>a [b] *c* `d` <e> x|y</g1>.",
			"See [[zh:香港|a \\[b\\] \\*c\\* \\`d\\` \\<e> x|y]].\n", nil},
		{"label with tags unwraps", "见[[zh:香港]]。\n", "见<g1>香港</g1>。", "See <g1>Hong <x9/></g1>.", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, tt.opts)
			if got := d.Segments[0].Text; got != tt.text {
				t.Fatalf("Parse text = %q, want %q", got, tt.text)
			}
			if tt.want == "" {
				if _, err := d.Assemble([]string{tt.target}); !errors.Is(err, ErrTargets) {
					t.Errorf("Assemble(%q) error = %v, want ErrTargets", tt.target, err)
				}
				return
			}
			out, _ := readBack(t, d, []string{tt.target}, tt.opts)
			if out != tt.want {
				t.Errorf("Assemble = %q, want %q", out, tt.want)
			}
		})
	}
}

// TestWikiReviewerEdits: a reviewer who deletes a wiki span or points it
// elsewhere keeps the file readable, and the edit is kept.
func TestWikiReviewerEdits(t *testing.T) {
	d := parseWith(t, "参见[[zh:香港]]和[[zh:美国]]。\n", nil)
	tests := []struct{ edited, want string }{
		{"See Hong Kong and [[zh:美国|the US]].\n", "See Hong Kong and <g2>the US</g2>."},
		{"See [[en:Hong Kong]] and the US.\n", "See [[en:Hong Kong]] and the US."},
		{"See [[zh:美国|the US]] and [[zh:香港|HK]].\n", "See <g2>the US</g2> and <g1>HK</g1>."},
		{"No spans at all.\n", "No spans at all."},
	}
	for _, tt := range tests {
		like, err := ParseFragment([]byte(tt.edited), d, nil)
		if err != nil || len(like.Segments) != 1 {
			t.Fatalf("ParseFragment(%q) = %v, %v", tt.edited, like, err)
		}
		got, err := AlignTags(d.Segments[0], like.Segments[0])
		if err != nil {
			t.Errorf("AlignTags(%q): %v", tt.edited, err)
			continue
		}
		if got != tt.want {
			t.Errorf("AlignTags(%q) = %q, want %q", tt.edited, got, tt.want)
		}
		out, err := d.Assemble([]string{got})
		if err != nil {
			t.Errorf("Assemble(%q): %v", got, err)
			continue
		}
		again, _ := ParseFragment(out, d, nil)
		if a, err := AlignTags(d.Segments[0], again.Segments[0]); err != nil || a != got {
			t.Errorf("%q written as %q reads back as %q, %v", got, out, a, err)
		}
	}
}

func TestWikiScan(t *testing.T) {
	tests := []struct{ src, text string }{
		{"a [[b]] c\n", "a <g1>b</g1> c"},
		{"a [[zh:b|c]] d\n", "a <g1>c</g1> d"},
		{"a [[https://x.org]] d\n", "a [[<x1/>]] d"},
		{"a [[b\n", "a [[b"},
		{"a [[b]c]] d\n", "a [[b]c]] d"},
		{"a [[ ]] d\n", "a [[ ]] d"},
		{"a [[<x1/>]] d\n", "a [[<x1/>]] d"},
		{"a [[x]][[y]] d\n", "a <g1>x</g1><g2>y</g2> d"},
		{"`[[code]]` [[w]]\n", "<x1/> <g2>w</g2>"},
	}
	for _, tt := range tests {
		d := parseWith(t, tt.src, nil)
		var got []string
		for _, s := range d.Segments {
			got = append(got, s.Text)
		}
		if diff := cmp.Diff([]string{tt.text}, got); diff != "" {
			t.Errorf("Parse(%q) texts (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestWikiLabels(t *testing.T) {
	tests := []struct{ text, want string }{
		{"参见[[zh:香港|Hong Kong]]。", "参见Hong Kong。"},
		{"[[zh:香港]] and [[Foo]]", "香港 and Foo"},
		{"[[https://x.org/a|b]]", "b"},
		{"[[https://x.org/a]]", "https://x.org/a"},
		{"[[[zh:x]]", "[x"},
		{`\[[zh:x]]`, `\[[zh:x]]`},
		{`[[a\|b|c]]`, "b|c"}, // the first | ends the target, as the segmenter reads it
		{"[[a]] [[ ]] [[b", "a [[ ]] [[b"},
		{"[[a<x1/>]]", "[[a<x1/>]]"},
		{"no span [a] [[b]c]]", "no span [a] [[b]c]]"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(WikiLabels([]byte(tt.text))); got != tt.want {
			t.Errorf("WikiLabels(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
