package out

import (
	"bytes"
	"os"
	"testing"
	"time"
	"unicode/utf8"

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
