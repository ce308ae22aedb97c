package glossary

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
)

// corpusSegments returns the lines of the corpus as segments, or skips.
func corpusSegments(b *testing.B) ([]string, int64) {
	files, _ := filepath.Glob("../../shared/corpus/*.md")
	if len(files) == 0 {
		b.Skip("corpus not found at ../../shared/corpus")
	}
	var (
		segs  []string
		total int64
	)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		total += int64(len(data))
		segs = append(segs, strings.Split(string(data), "\n")...)
	}
	return segs, total
}

// bigGlossary returns the example glossary grown to n entries: n/10
// synthetic terms are 3–4 character runs of Han text taken from the corpus
// (so they occur, as a real glossary's terms do), then random Han words up
// to 7n/10 and random Latin words for the rest.
func bigGlossary(b *testing.B, real []Entry, segs []string, n int) *Glossary {
	rng := rand.New(rand.NewPCG(1, 2))
	entries := append([]Entry(nil), real...)
	seen := map[string]bool{}
	for _, e := range real {
		for _, sp := range spellings(&e) {
			seen[fold(sp)] = true
		}
	}
	add := func(s string) {
		if s == "" || seen[fold(s)] {
			return
		}
		seen[fold(s)] = true
		entries = append(entries, Entry{Source: s, Target: "T" + s})
	}
	var han []rune
	for _, s := range segs {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) {
				han = append(han, r)
			}
		}
	}
	for len(entries) < n/10 {
		i := rng.IntN(len(han) - 4)
		add(string(han[i : i+3+rng.IntN(2)]))
	}
	for len(entries) < n*7/10 {
		w := make([]rune, 2+rng.IntN(3))
		for i := range w {
			w[i] = rune(0x4E00 + rng.IntN(0x9FA5-0x4E00))
		}
		add(string(w))
	}
	for len(entries) < n {
		w := make([]byte, 4+rng.IntN(7))
		for i := range w {
			w[i] = byte('a' + rng.IntN(26))
		}
		add(string(w))
	}
	g, err := New(entries)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// BenchmarkMatch matches every line of the corpus with a 10-term and a
// 10,000-term glossary. terms=10000 also times a pass of the 10-term
// glossary after each of its own passes (off the benchmark clock) and
// reports its fastest pass as a multiple of the 10-term glossary's fastest
// (x-vs-10-terms): interleaving and taking minima keep the ratio fair on a
// busy machine.
func BenchmarkMatch(b *testing.B) {
	segs, total := corpusSegments(b)
	ex, err := LoadFile("../examples/glossary.tsv")
	if err != nil {
		b.Fatal(err)
	}
	small, err := New(ex.Terms()[:10])
	if err != nil {
		b.Fatal(err)
	}
	big := bigGlossary(b, ex.Terms(), segs, 10000)
	pass := func(g *Glossary) (matches int) {
		for _, s := range segs {
			matches += len(g.Match(s))
		}
		return matches
	}
	b.Run("terms=10", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		matches := 0
		for range b.N {
			matches = pass(small)
		}
		b.ReportMetric(float64(matches), "matches/op")
	})
	b.Run("terms=10000", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		var (
			matches          int
			bigMin, smallMin time.Duration = 1 << 62, 1 << 62
		)
		for range b.N {
			t0 := time.Now()
			matches = pass(big)
			bigMin = min(bigMin, time.Since(t0))
			b.StopTimer()
			t0 = time.Now()
			pass(small)
			smallMin = min(smallMin, time.Since(t0))
			b.StartTimer()
		}
		b.ReportMetric(float64(matches), "matches/op")
		b.ReportMetric(float64(bigMin)/float64(smallMin), "x-vs-10-terms")
	})
}
