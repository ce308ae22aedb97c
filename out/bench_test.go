package out

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark/text"

	"github.com/diglot/diglot/markdown"
)

// BenchmarkBilingual measures, over the corpus, a bare markdown.Parse (the
// baseline), writing the bilingual file (parse included) and reading it
// back. The three are interleaved file by file so that a busy machine
// slows them alike, and reported as MB/s of source plus the ratios to the
// baseline: go test ./out -run '^$' -bench Bilingual -benchtime 5x
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
	var parse, write, read time.Duration
	var buf bytes.Buffer
	for b.Loop() {
		for _, src := range srcs {
			t0 := time.Now()
			if _, err := markdown.Parse(src, nil); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			doc, err := markdown.Parse(src, nil)
			if err != nil {
				b.Fatal(err)
			}
			buf.Reset()
			if err := WriteBilingual(&buf, &Bilingual{Doc: doc, Targets: pseudoTargets(doc)}, testFormat); err != nil {
				b.Fatal(err)
			}
			t2 := time.Now()
			if _, err := ReadBilingual("bench", buf.Bytes(), testFormat); err != nil {
				b.Fatal(err)
			}
			t3 := time.Now()
			parse += t1.Sub(t0)
			write += t2.Sub(t1)
			read += t3.Sub(t2)
		}
	}
	mb := float64(total) * float64(b.N) / 1e6
	b.ReportMetric(mb/parse.Seconds(), "parse-MB/s")
	b.ReportMetric(mb/write.Seconds(), "write-MB/s")
	b.ReportMetric(mb/read.Seconds(), "read-MB/s")
	b.ReportMetric(read.Seconds()/parse.Seconds(), "read/parse")
	b.ReportMetric(write.Seconds()/parse.Seconds(), "write/parse")
}

// tinyParagraphs returns about size bytes of one-line paragraphs, the
// shape of the 8 MB file of issue 15 (第N段，内容M。 each).
func tinyParagraphs(size int) []byte {
	var b bytes.Buffer
	b.Grow(size + 64)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "第%d段，内容%d。\n\n", i, rnd.IntN(1_000_000))
	}
	return b.Bytes()
}

// heapPeak samples the in-use heap until stop is called and returns the
// largest figure seen, in MB: what the process had to hold, garbage not
// yet collected included.
func heapPeak() (stop func() float64) {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var most uint64
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			most = max(most, s[0].Value.Uint64())
			select {
			case <-done:
				peak <- most
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 { close(done); return float64(<-peak) / 1e6 }
}

// BenchmarkReadLarge reads back the bilingual file of an 8 MB source of
// 266,000 tiny paragraphs (issue 15's file), written with copy targets
// and with pseudo targets, and publishes its target document. The
// baseline is a bare goldmark parse of the source in the same iteration;
// read/parse is the ratio of the times. It runs with the CLI's soft
// memory limit of 256 MiB, and peak-heap-MB is the largest heap seen
// while reading (garbage not yet collected included): above the limit
// only when what is live is.
//
//	go test ./out -run '^$' -bench ReadLarge -benchtime 3x
func BenchmarkReadLarge(b *testing.B) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(256 << 20))
	src := tinyParagraphs(8 << 20)
	for _, tt := range []struct {
		name    string
		targets func(*markdown.Document) []string
	}{{"copy", copyTargets}, {"pseudo", pseudoTargets}} {
		b.Run(tt.name, func(b *testing.B) {
			doc, err := markdown.Parse(src, nil)
			if err != nil {
				b.Fatal(err)
			}
			bi, err := AppendBilingual(nil, &Bilingual{Doc: doc, Targets: tt.targets(doc)}, testFormat)
			if err != nil {
				b.Fatal(err)
			}
			doc = nil
			gm := renderer().Parser()
			var parse, read time.Duration
			var peak float64
			for b.Loop() {
				runtime.GC()
				t0 := time.Now()
				gm.Parse(text.NewReader(src))
				t1 := time.Now()
				runtime.GC()
				stop := heapPeak()
				t2 := time.Now()
				f, err := ReadBilingual("large.md", bi, testFormat)
				if err != nil {
					b.Fatal(err)
				}
				_ = f.TargetDocument()
				t3 := time.Now()
				peak = max(peak, stop())
				parse += t1.Sub(t0)
				read += t3.Sub(t2)
			}
			b.ReportMetric(read.Seconds()/parse.Seconds(), "read/parse")
			b.ReportMetric(parse.Seconds()/read.Seconds(), "x-parse")
			b.ReportMetric(peak, "peak-heap-MB")
		})
	}
}
