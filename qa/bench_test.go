package qa

import (
	"os"
	"testing"
	"time"

	"github.com/diglot/diglot/markdown"
)

// BenchmarkCheckCorpus runs Check over every article of the corpus and its
// pseudo translation, beside a markdown.Parse of the same source bytes as a
// baseline measured in the same run. It reports both throughputs and
// check/parse, the cost of QA relative to parsing the source once.
func BenchmarkCheckCorpus(b *testing.B) {
	type docPair struct {
		raw      []byte
		src, tgt *markdown.Document
	}
	var docs []docPair
	size := 0
	for _, f := range corpusFiles(b) {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		sd, td := translateDoc(b, raw, pseudo)
		docs = append(docs, docPair{raw, sd, td})
		size += len(raw)
	}
	b.SetBytes(int64(size))
	var parse, check time.Duration
	for b.Loop() {
		t0 := time.Now()
		for _, d := range docs {
			if _, err := markdown.Parse(d.raw, nil); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		for _, d := range docs {
			Check(nil, zh, en, d.src, d.tgt)
		}
		parse += t1.Sub(t0)
		check += time.Since(t1)
	}
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/parse.Seconds(), "parse-MB/s")
	b.ReportMetric(mb/check.Seconds(), "check-MB/s")
	b.ReportMetric(check.Seconds()/parse.Seconds(), "check/parse")
}

func FuzzCheckSegment(f *testing.F) {
	for _, p := range goodPairs {
		f.Add(p.src, p.tgt)
	}
	f.Add("俄军在20万平方公里的前线布满地雷", "0.2 million")
	f.Add("百分之", "")
	f.Add("三分之", "<think>")
	f.Add("第１,２３4.5亿万亿", "1,,,000.")
	f.Add("二〇二一年十一月十一日", "November 11, 2021")
	f.Fuzz(func(t *testing.T, src, tgt string) {
		p := Pair{Source: src, Target: tgt, SegIndex: 1, Line: 2}
		a := CheckSegment(nil, zh, en, p)
		b := CheckSegment(nil, zh, en, p)
		if len(a) != len(b) {
			t.Fatalf("CheckSegment is not deterministic: %v then %v", a, b)
		}
		for _, fd := range a {
			if fd.Kind == "" || fd.Message == "" || fd.Severity != Error && fd.Severity != Warning {
				t.Fatalf("bad finding %+v", fd)
			}
		}
		CheckPairs(nil, zh, en, []Pair{p, {Source: tgt, Target: src}})
	})
}
