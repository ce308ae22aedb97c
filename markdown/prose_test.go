package markdown

import (
	"testing"

	"golang.org/x/text/language"
)

func TestIndentedProse(t *testing.T) {
	const zh = "正文。\n\n    缩进四格的文字，\n    仍是一段话。\n\n结束。\n"
	tests := []struct {
		name, src string
		opts      *Options
		texts     []string
	}{
		{"auto, Chinese", zh, nil, []string{"正文。", "缩进四格的文字，\n仍是一段话。", "结束。"}},
		{"code", zh, &Options{IndentedCode: IndentedCode}, []string{"正文。", "结束。"}},
		{"auto, code in a Chinese document", "正文。\n\n    x = foo(bar);\n    import os\n", nil, []string{"正文。"}},
		{"auto, English words are not sentences", "正文。\n\n    import os\n", nil, []string{"正文。"}},
		{"prose takes code too", "正文。\n\n    import os\n", &Options{IndentedCode: IndentedProse}, []string{"正文。", "import os"}},
		{"auto, English source", "Text.\n\n    This is an indented paragraph, with words.\n",
			&Options{Source: language.English}, []string{"Text.", "This is an indented paragraph, with words."}},
		{"auto, source given as Chinese", "Text.\n\n    This is an indented paragraph, with words.\n",
			&Options{Source: language.Chinese}, []string{"Text."}},
		{"auto, source from the document", "Text here.\n\n    This is an indented paragraph, with words.\n",
			nil, []string{"Text here.", "This is an indented paragraph, with words."}},
		{"blank line inside", "    第一行文字\n\n    第二行文字\n", nil, []string{"第一行文字\n第二行文字"}},
		{"wiki and URL", "    参见[[zh:香港]] https://x.org/a 的文字\n", nil, []string{"参见<g1>香港</g1> <x2/> 的文字"}},
		{"fenced code never", "```\n中文的段落文字\n```\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, tt.opts)
			var got []string
			for _, s := range d.Segments {
				got = append(got, s.Text)
			}
			if len(got) != len(tt.texts) {
				t.Fatalf("texts = %q, want %q", got, tt.texts)
			}
			for i := range got {
				if got[i] != tt.texts[i] {
					t.Errorf("text %d = %q, want %q", i, got[i], tt.texts[i])
				}
			}
		})
	}
}

// TestIndentedProseTranslated: a translated block is still an indented
// block, with the source's line endings and indentation, and reads back.
func TestIndentedProseTranslated(t *testing.T) {
	tests := []struct{ name, src, target, want string }{
		{"same lines", "    缩进的文字，\r\n    第二行。\r\n", "Indented text,\nsecond line.",
			"    Indented text,\r\n    second line.\r\n"},
		{"more lines", "    缩进的文字。\n", "One\ntwo\nthree", "    One\n    two\n    three\n"},
		{"markdown is text", "    缩进的文字。\n", "*not emphasis* and <b> 1. x", "    *not emphasis* and <b> 1. x\n"},
		{"wiki label", "    参见[[zh:香港]]。\n", "See <g1>Hong Kong</g1>.", "    See [[zh:香港|Hong Kong]].\n"},
		{"wiki label with brackets", "    参见[[zh:香港]]。\n", "See <g1>HK [SAR]</g1>.", "    See HK [SAR].\n"},
		{"text glued to a URL", "    见https://x.org/a文字\n", "See <x1/>text", "    See https://x.org/a text\n"},
		{"in a list", "- 项目\n\n        缩进的文字。\n", "Indented text.", "- 项目\n\n        Indented text.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseWith(t, tt.src, nil)
			targets := d.Texts()
			targets[len(targets)-1] = tt.target
			out, _ := readBack(t, d, targets, nil)
			if out != tt.want {
				t.Errorf("Assemble(%q) = %q, want %q", tt.target, out, tt.want)
			}
			back, err := Parse([]byte(out), nil)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := Compare(d, back); len(diffs) > 0 {
				t.Errorf("Compare = %v", diffs)
			}
		})
	}
}

// TestIndentedCodeInTranslation: a code block left as code is in a
// translated fragment as it was, and stays code when read back, even where
// a translation's text would count as prose.
func TestIndentedCodeInTranslation(t *testing.T) {
	d := parseWith(t, "- 项目文字\n\n      import os\n", nil)
	if len(d.Segments) != 1 {
		t.Fatalf("segments %q, want the item's text only", d.Texts())
	}
	frag, err := ParseFragment([]byte("- Item text\n\n      import os\n"), d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(frag.Segments) != 1 {
		t.Errorf("fragment segments %q, want 1", frag.Texts())
	}
}
