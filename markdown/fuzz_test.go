package markdown

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
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

// FuzzRoundTrip checks that Parse never panics on valid UTF-8 and that
// Assemble of the segments' own texts gives the input back.
func FuzzRoundTrip(f *testing.F) {
	for _, md := range specExamples(f) {
		f.Add([]byte(md))
	}
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return
		}
		d, err := Parse(src, nil)
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
