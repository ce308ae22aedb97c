package openaichat

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusText returns the bytes of ../../../shared/corpus (skipping the
// benchmark when it is absent).
func corpusText(b *testing.B) []string {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "*.md"))
	if len(paths) == 0 {
		b.Skip("../../../shared/corpus is absent")
	}
	if len(paths) > 20 {
		paths = paths[:20]
	}
	var texts []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	return texts
}

// BenchmarkTokens compares tiktoken counting with the character estimate
// over the same text; the ratio of their ns/op is the figure to watch.
func BenchmarkTokens(b *testing.B) {
	texts := corpusText(b)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	for _, bc := range []struct {
		name string
		c    counter
	}{
		{"estimate", counter{}},
		{"o200k", counter{encoding: "o200k_base"}},
		{"cl100k", counter{encoding: "cl100k_base"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.c.count("warm up")
			b.SetBytes(size)
			for b.Loop() {
				for _, t := range texts {
					bc.c.count(t)
				}
			}
		})
	}
}
