package markdown

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	pseudoengine "github.com/diglot/diglot/providers/pseudo"
)

// specExamples returns the Markdown of the CommonMark spec examples.
func specExamples(tb testing.TB) []string {
	b, err := os.ReadFile(filepath.Join("testdata", "commonmark.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var ex []struct{ Markdown string }
	if err := json.Unmarshal(b, &ex); err != nil {
		tb.Fatal(err)
	}
	out := make([]string, len(ex))
	for i, e := range ex {
		out[i] = e.Markdown
	}
	return out
}

func TestSpecRoundTrip(t *testing.T) {
	for _, md := range specExamples(t) {
		for _, src := range [][]byte{[]byte(md), bytes.ReplaceAll([]byte(md), []byte("\n"), []byte("\r\n"))} {
			roundTrip(t, src)
		}
	}
}

// fuzzSeeds are the inputs of the spec examples, the golden trap cases, the
// small corpus files and the constructs a translation must keep reading
// back (wiki spans, image alt text and titles, indented prose, bare URLs
// with Chinese in them, nested front matter).
func fuzzSeeds(f *testing.F) {
	for _, md := range specExamples(f) {
		f.Add([]byte(md))
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.md"))
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	for _, p := range append(golden, paths...) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"参见[[zh:香港]]和[[en:Foo|bar]]。【[[zh:中國大陸]]】\\[[[zh:中共国]]\\]\n",
		"见![图](a.png \"标题\")和[链接](b '题')与[x](c (t))。\n\n![说明](https://e.org/a.png)\n",
		"正文。\n\n    缩进四格的文字，\n    仍是一段话。\n\n\t制表符缩进\n",
		"文件https://ipfs.io/ipfs/Q1?filename=病毒溯源.mp4 见https://gnews.org/tag/文贵先生/）和 www.x.com是\n",
		"---\ntitle: 标题\ncover:\n  alt: 封面\ntags:\n  - 中国\ncategories: [新闻, '评论']\n---\n正文\n",
		"**●01:20:04 ****这件事情****对你，****Nicole**、**小斯基****你们要****看医生**\n",
		"01:04:55名字: <点此> 注*。和*注。 3~5天 用`。\n",
		"\ufeff\ufeffText.\n",
	} {
		f.Add([]byte(s))
	}
}

// fuzzOptions gives each input one of a few option sets, by its length.
func fuzzOptions(src []byte) *Options {
	switch len(src) % 4 {
	case 1:
		return &Options{WikiLinks: WikiUnwrap, IndentedCode: IndentedProse}
	case 2:
		return &Options{WikiLinks: WikiKeep, IndentedCode: IndentedCode}
	case 3:
		return &Options{FrontMatterFields: []string{"title", "cover.alt", "tags", "categories"}, Source: language.Chinese}
	}
	return nil
}

// FuzzRoundTrip checks that Parse never panics on valid UTF-8 and that
// Assemble of the segments' own texts gives the input back.
func FuzzRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return
		}
		d, err := Parse(src, fuzzOptions(src))
		if err != nil {
			t.Fatal(err)
		}
		checkTiling(t, d)
		got, err := d.Assemble(texts(d))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("round trip differs:\n%q\n%q", src, got)
		}
		checkRender(t, d)
		if _, err := d.Assemble(pseudoAll(d)); err != nil {
			t.Fatalf("Assemble(pseudo): %v", err)
		}
	})
}

// FuzzReadBack checks that every block translated by the pseudo engine
// (letters to other letters: the neighbours of Markdown syntax change
// class) is written so that it reads back, as the bilingual reader reads
// it, with its source's segments and tags.
func FuzzReadBack(f *testing.F) {
	fuzzSeeds(f)
	engine := pseudoengine.NewTranslator(nil)
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return
		}
		opts := fuzzOptions(src)
		d, err := Parse(src, opts)
		if err != nil {
			t.Fatal(err)
		}
		targets, err := engine.Translate(context.Background(), providers.Request{Segments: d.Texts()})
		if err != nil {
			t.Fatal(err)
		}
		for bi, b := range d.Blocks {
			if len(b.Segments) == 0 || b.Kind == FrontMatter {
				continue
			}
			// A block that does not read alone as it reads in its document
			// (a paragraph whose indented first line continues a link
			// definition above it) cannot read back, translated or not.
			own, err := ParseFragment(src[b.Start:b.End], d, opts)
			if err != nil || len(own.Segments) != len(b.Segments) {
				continue
			}
			same := true
			for k, si := range b.Segments {
				same = same && own.Segments[k].Text == d.Segments[si].Text
			}
			if !same {
				continue
			}
			out, err := d.AssembleBlock(bi, targets)
			if err != nil {
				t.Fatalf("block %d: AssembleBlock: %v", bi, err)
			}
			frag, err := ParseFragment(out, d, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(frag.Segments) != len(b.Segments) {
				t.Fatalf("block %d %q written %q reads back as %d segments, want %d", bi, src[b.Start:b.End], out, len(frag.Segments), len(b.Segments))
			}
			for k, si := range b.Segments {
				if _, err := AlignTags(d.Segments[si], frag.Segments[k]); err != nil {
					t.Fatalf("block %d %q written %q: %v", bi, src[b.Start:b.End], out, err)
				}
			}
		}
	})
}
