package xliff_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/out/xliff"
)

// corpusPair is one corpus article as two bilingual files with different
// translations, and the XLIFF of the second without its target hashes.
type corpusPair struct {
	name          string
	first, second []byte
	doc           []byte
}

func corpusPairs(b *testing.B) []corpusPair {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		b.Skip("corpus absent: " + corpusDir)
	}
	var ps []corpusPair
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		first := bilingualOf(b, src, nil)
		second, err := bilingualWith(src, func(s string) string { return latin.ReplaceAllString(s, "tr") })
		if err != nil {
			b.Fatal(err)
		}
		if _, err := out.ReadBilingual("x", second, out.Format{}); err != nil {
			continue
		}
		name := filepath.Base(path)
		ps = append(ps, corpusPair{name, first, second, targetHash.ReplaceAll(export(b, name, string(second)), nil)})
	}
	return ps
}

// BenchmarkCorpus measures, over the corpus's bilingual files, reading
// them (the baseline: every export and import reads the file), exporting
// them, and importing an XLIFF that changes every unit (parse, apply, read
// back). Compare the ns/op of each with read's in the same run.
func BenchmarkCorpus(b *testing.B) {
	ps := corpusPairs(b)
	var size int64
	for _, p := range ps {
		size += int64(len(p.first))
	}
	b.Run("read", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, p := range ps {
				if _, err := out.ReadBilingual(p.name, p.first, out.Format{}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("export", func(b *testing.B) {
		b.SetBytes(size)
		var w bytes.Buffer
		for b.Loop() {
			for _, p := range ps {
				in, err := xliff.ReadInput(p.name, p.first, nil)
				if err != nil {
					b.Fatal(err)
				}
				w.Reset()
				if _, err := xliff.Export(&w, []*xliff.Input{in}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("import", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, p := range ps {
				d, err := xliff.Parse(p.name, bytes.NewReader(p.doc))
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := xliff.Apply(p.name, p.first, "x.xlf", &d.Files[0], nil); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
