package markdown

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// benchCorpus returns the corpus as a slice and its total size.
func benchCorpus(b *testing.B) ([][]byte, int64) {
	var files [][]byte
	var n int64
	for _, src := range corpus(b) {
		files = append(files, src)
		n += int64(len(src))
	}
	return files, n
}

// BenchmarkBareParse is the baseline: goldmark alone, with the same
// extensions, over the same bytes.
func BenchmarkBareParse(b *testing.B) {
	files, n := benchCorpus(b)
	p := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote)).Parser()
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			p.Parse(text.NewReader(src))
		}
	}
}

// BenchmarkSegment measures Parse: goldmark plus tiling and segmentation.
func BenchmarkSegment(b *testing.B) {
	files, n := benchCorpus(b)
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			if _, err := Parse(src, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRoundTrip measures Parse then Assemble with a changed text in
// every segment (so no segment takes the unchanged fast path).
func BenchmarkRoundTrip(b *testing.B) {
	files, n := benchCorpus(b)
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			d, err := Parse(src, nil)
			if err != nil {
				b.Fatal(err)
			}
			targets := texts(d)
			for i := range targets {
				targets[i] += " "
			}
			if _, err := d.Assemble(targets); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkManyTags writes and aligns back one paragraph of 20,000 wiki
// spans and titled links (60,000 tags): it stays linear in the number of
// tags (it once took 40 s).
func BenchmarkManyTags(b *testing.B) {
	src := []byte(strings.Repeat("参见[[zh:香港]]和[链接](http://a.org \"标题\")", 20000) + "\n")
	d, err := Parse(src, nil)
	if err != nil {
		b.Fatal(err)
	}
	targets := pseudoAll(d)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		out, err := d.Assemble(targets)
		if err != nil {
			b.Fatal(err)
		}
		back, err := ParseFragment(out, d, nil)
		if err != nil || len(back.Segments) != 1 {
			b.Fatalf("read back: %v", err)
		}
		if _, err := AlignTags(d.Segments[0], back.Segments[0]); err != nil {
			b.Fatal(err)
		}
	}
}
