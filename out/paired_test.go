package out

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/diglot/diglot/markdown"
)

// tree counts what a renderer sees in a document.
type tree struct {
	headings, lists, quotes int // top-level
	refs                    int // footnote references that resolve
	notes                   map[string]bool
}

func parseTree(src []byte) tree {
	// Renderers drop a byte order mark (goldmark alone would make the
	// first line text).
	src = bytes.TrimPrefix(src, []byte(bom))
	doc := pairedParser().Parse(text.NewReader(src))
	tr := tree{notes: map[string]bool{}}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.Kind() {
		case ast.KindHeading:
			tr.headings++
		case ast.KindList:
			tr.lists++
		case ast.KindBlockquote:
			tr.quotes++
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.FootnoteLink:
			tr.refs++
		case *east.Footnote:
			tr.notes[strings.ToLower(string(n.Ref))] = true
		}
		return ast.WalkContinue, nil
	})
	return tr
}

// checkPaired parses the paired document of f with goldmark and checks
// its tree against the source's and the target's: one heading per
// section, each list and quote of a unit twice and apart, every footnote
// reference resolved, and both notes of a translated footnote rendered.
func checkPaired(t *testing.T, name string, f *File) {
	t.Helper()
	paired := f.PairedDocument()
	src, tgt, got := parseTree(f.Source.Source()), parseTree(f.TargetDocument()), parseTree(paired)
	var unitLists, unitQuotes int
	skeletonNotes := map[string]bool{}
	for i, b := range f.Source.Blocks {
		if b.Kind == markdown.FootnoteDef && len(b.Segments) == 0 {
			if l, ok := defLabel(f.Source.Source()[b.Start:b.End]); ok {
				skeletonNotes[strings.ToLower(l)] = true
			}
		}
		if len(b.Segments) == 0 {
			continue
		}
		_ = i
		switch b.Kind {
		case markdown.List:
			unitLists++
		case markdown.Quote:
			unitQuotes++
		}
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if got.headings != tgt.headings {
		fail("%d top-level headings, want %d (the target's)", got.headings, tgt.headings)
	}
	if want := src.lists + unitLists; got.lists != want {
		fail("%d top-level lists, want %d (%d of the source, %d translated)", got.lists, want, src.lists, unitLists)
	}
	if want := src.quotes + unitQuotes; got.quotes != want {
		fail("%d top-level quotes, want %d", got.quotes, want)
	}
	if want := src.refs + tgt.refs; got.refs != want {
		fail("%d footnote references resolve, want %d (%d source, %d target)", got.refs, want, src.refs, tgt.refs)
	}
	shared := 0
	for l := range tgt.notes {
		if skeletonNotes[l] && src.notes[l] {
			shared++
		}
	}
	if want := len(src.notes) + len(tgt.notes) - shared; len(got.notes) != want {
		fail("%d footnotes rendered, want %d", len(got.notes), want)
	}
	if len(errs) > 0 {
		t.Errorf("%s: %s; paired document:\n%s", name, strings.Join(errs, "; "), paired)
	}
}

func TestPairedTree(t *testing.T) {
	cases := map[string]string{
		"lists":                  "- 一\n- 二\n\n1. 第一\n2. 第二\n\n* 星\n\n  续段。\n",
		"quote and list":         "> 引用。\n\n> - 引用中的列表\n\n正文。\n",
		"setext":                 "标题\n===\n\n副标题\n---\n正文紧跟。\n",
		"heading markers":        "## 1. 引言 ##\n\n# - 列表样\n\n# > 引用样\n\n# <div>块\n\n正文。\n",
		"heading then paragraph": "# 标题\n正文紧跟标题。\n",
		"footnotes":              "正文[^1]和[^a]。\n\n再次[^1]。\n\n[^1]: 注释一。\n\n[^a]: https://example.org/a\n",
		"footnote label taken":   "正文[^1]和[^1-en]。\n\n[^1]: 注释一。\n\n[^1-en]: 注释二。\n",
		"footnote ref in code":   "正文[^1]，代码`[^1]`。\n\n[^1]: 注释。\n",
		"footnote multi":         "正文[^note]。\n\n[^note]: 第一段注释。\n\n    第二段注释。\n",
		"crlf":                   "# 标题\r\n\r\n- 一\r\n- 二\r\n\r\n结尾[^1]\r\n\r\n[^1]: 注。",
	}
	for name, src := range cases {
		for _, tf := range []struct {
			name    string
			targets func(*markdown.Document) []string
		}{{"pseudo", pseudoTargets}, {"copy", copyTargets}} {
			_, bi := writeBi(t, []byte(src), tf.targets, nil)
			f, err := ReadBilingual(name, bi, testFormat)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkPaired(t, name+"/"+tf.name, f)
		}
	}
}

// TestPairedHeading checks the choice for headings: the target heading at
// the source's level, then the source heading's text as a paragraph.
func TestPairedHeading(t *testing.T) {
	doc := mustParse(t, "## 1. 引言 ##\n\n标题\n===\n正文。\n")
	bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: []string{"1. Introduction", "Title", "Text."}}, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ReadBilingual("a.md", bi, testFormat)
	if err != nil {
		t.Fatal(err)
	}
	want := "## 1. Introduction ##\n\n1\\. 引言\n\nTitle\n===\n\n标题\n\n正文。\n\nText.\n"
	if got := string(f.PairedDocument()); got != want {
		t.Errorf("PairedDocument =\n%s\nwant\n%s", got, want)
	}
}

// TestCorpusPaired checks the paired layout's tree over the corpus and
// the golden inputs.
func TestCorpusPaired(t *testing.T) {
	paths, _ := filepath.Glob("testdata/golden/*.md")
	if !testing.Short() {
		c, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
		paths = append(paths, c...)
	}
	n := 0
	for _, path := range paths {
		if strings.Count(filepath.Base(path), ".") > 1 {
			continue // a golden output
		}
		src, err := os.ReadFile(path)
		if err != nil || !utf8.Valid(src) {
			continue
		}
		_, bi := writeBi(t, src, pseudoTargets, nil)
		f, err := ReadBilingual(path, bi, testFormat)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		checkPaired(t, path, f)
		if !bytes.Contains(src, []byte("<!-- diglot")) && bytes.Contains(f.PairedDocument(), []byte("<!-- diglot")) {
			t.Errorf("%s: a marker in the paired document", path)
		}
		n++
	}
	t.Logf("%d documents", n)
}

func TestRefsAt(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"a[^1]b[^1]", []int{1, 6}},
		{`a\[^1]b`, nil},
		{`a\\[^1]`, []int{3}},
		{"`[^1]` [^1]", []int{7}},
		{"``a`[^1]`` [^1]", []int{11}},
		{"` unclosed [^1]", []int{11}},
		{"```\n[^1]\n```\n[^1]", []int{13}},
	}
	for _, tt := range tests {
		got := refsAt([]byte(tt.text), "[^1]")
		if !slices.Equal(got, tt.want) {
			t.Errorf("refsAt(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
