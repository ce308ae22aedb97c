package out

import (
	"bytes"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/diglot/diglot/markdown"
)

// BenchmarkBilingual measures, over the corpus, a bare markdown.Parse (the
// baseline), writing the bilingual file (parse included) and reading it
// back, each reporting MB/s of source so the ratios can be read off one
// run: go test ./out -run '^$' -bench Bilingual -benchtime 3x
func BenchmarkBilingual(b *testing.B) {
	var srcs [][]byte
	total := 0
	for _, p := range corpusFiles(b) {
		data, err := os.ReadFile(p)
		if err != nil || !utf8.Valid(data) {
			continue
		}
		srcs = append(srcs, data)
		total += len(data)
	}
	bis := make([][]byte, len(srcs))
	for i, src := range srcs {
		_, bis[i] = writeBi(b, src, pseudoTargets, nil)
	}
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, src := range srcs {
				if _, err := markdown.Parse(src, nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("write", func(b *testing.B) {
		b.SetBytes(int64(total))
		var buf bytes.Buffer
		for b.Loop() {
			for _, src := range srcs {
				doc, err := markdown.Parse(src, nil)
				if err != nil {
					b.Fatal(err)
				}
				buf.Reset()
				if err := WriteBilingual(&buf, &Bilingual{Doc: doc, Targets: pseudoTargets(doc)}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, bi := range bis {
				if _, err := ReadBilingual("bench", bi); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
