package googletranslate

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/diglot/diglot/providers"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../../shared/corpus"

// corpusParagraphs cuts the corpus into unique paragraphs by splitting on
// blank lines. It is a stand-in for the markdown package's segmenter: the
// paragraphs keep their Markdown punctuation and carry no tags.
func corpusParagraphs(tb testing.TB) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		tb.Skip("corpus not found at " + corpusDir)
	}
	seen := map[string]bool{}
	var paras []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		text := strings.TrimPrefix(string(data), "\ufeff")
		text = strings.ReplaceAll(text, "\r\n", "\n")
		var cur []string
		flush := func() {
			p := strings.TrimSpace(strings.Join(cur, "\n"))
			cur = cur[:0]
			if p != "" && !seen[p] {
				seen[p] = true
				paras = append(paras, p)
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if strings.TrimSpace(line) == "" {
				flush()
				continue
			}
			cur = append(cur, line)
		}
		flush()
	}
	return paras
}

// planBatches packs segments into batches under l the way a pipeline
// would: first fit, largest first, on every limit at once. size is the
// engine's Estimator unit.
func planBatches(segs []string, l providers.Limits, size func(string) int) [][]string {
	type bin struct {
		segs        []string
		chars, toks int
	}
	order := slices.Clone(segs)
	slices.SortStableFunc(order, func(a, b string) int { return size(b) - size(a) })
	var bins []*bin
	for _, s := range order {
		c, k := utf8.RuneCountInString(s), size(s)
		placed := false
		for _, b := range bins {
			if len(b.segs) < l.MaxSegments && b.chars+c <= l.MaxChars && (l.MaxTokens == 0 || b.toks+k <= l.MaxTokens) {
				b.segs, b.chars, b.toks = append(b.segs, s), b.chars+c, b.toks+k
				placed = true
				break
			}
		}
		if !placed {
			bins = append(bins, &bin{segs: []string{s}, chars: c, toks: k})
		}
	}
	out := make([][]string, len(bins))
	for i, b := range bins {
		out[i] = b.segs
	}
	return out
}

// minRequests is the fewest requests the limits allow for segs, the rest
// packing perfectly. A segment over MaxChars (a target size, which the
// engine exceeds for one segment rather than cut it) counts as one request;
// one over MaxTokens (the v2 URL budget, a hard limit the engine splits
// segments for) as the requests its pieces need.
func minRequests(segs []string, l providers.Limits, size func(string) int) int {
	ceil := func(a, b int) int { return (a + b - 1) / b }
	bound := func(limit int, measure func(string) int, split bool) int {
		whole, pool := 0, 0
		for _, s := range segs {
			if n := measure(s); n > limit && split {
				whole += ceil(n, limit)
			} else if n > limit {
				whole++
			} else {
				pool += n
			}
		}
		return whole + ceil(pool, limit)
	}
	m := ceil(len(segs), l.MaxSegments)
	m = max(m, bound(l.MaxChars, utf8.RuneCountInString, false))
	if l.MaxTokens > 0 {
		m = max(m, bound(l.MaxTokens, size, true))
	}
	return m
}

type benchEngine interface {
	providers.Provider
	providers.Limiter
	providers.Metered
	providers.Estimator
}

// runCorpus translates the corpus's unique paragraphs through p in batches
// planned from its limits, concurrently, and reports requests against the
// minimum and characters billed against the characters of the unique
// segments.
func runCorpus(b *testing.B, p benchEngine, requests func() int, neutralSent func() int) {
	segs := corpusParagraphs(b)
	uniqueChars := 0
	for _, s := range segs {
		uniqueChars += utf8.RuneCountInString(s)
	}
	l := p.Limits()
	batches := planBatches(segs, l, p.Tokens)
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		var mu sync.Mutex
		var firstErr error
		for _, batch := range batches {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				_, err := p.Translate(context.Background(), zhen(batch...))
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if firstErr != nil {
			b.Fatal(firstErr)
		}
	}
	b.StopTimer()
	u := p.Usage()
	reqs := float64(requests()) / float64(b.N)
	minReq := float64(minRequests(segs, l, p.Tokens))
	b.ReportMetric(float64(len(segs)), "segments")
	b.ReportMetric(reqs, "requests")
	b.ReportMetric(minReq, "min-requests")
	b.ReportMetric(reqs/minReq, "requests/min")
	b.ReportMetric(float64(u.Characters)/float64(b.N), "billed-chars")
	b.ReportMetric(float64(uniqueChars), "unique-chars")
	b.ReportMetric(float64(neutralSent())/float64(b.N)/float64(uniqueChars), "sent/unique")
	b.ReportMetric(float64(u.Characters)/float64(b.N)/float64(uniqueChars), "billed/unique")
}

// neutralChars counts the code points of the neutral text in what a fake
// received, markup excluded.
func neutralChars(contents []string) int {
	n := 0
	for _, c := range contents {
		d, err := decodeHTML(c)
		if err != nil {
			panic(err)
		}
		n += utf8.RuneCountInString(d)
	}
	return n
}

// BenchmarkCorpus runs the corpus through each engine against its fake
// with 100 ms of latency per request:
//
//	go test -run '^$' -bench Corpus -benchtime 1x ./providers/googletranslate/
func BenchmarkCorpus(b *testing.B) {
	b.Run("v3", func(b *testing.B) {
		srv := startV3(b)
		srv.SetLatency(100 * time.Millisecond)
		a := newAdvanced(b, srv, &AdvancedOptions{PricePerMillionChars: 20})
		runCorpus(b, a, srv.Requests, func() int {
			n := 0
			for _, c := range srv.Calls() {
				n += neutralChars(c.Contents)
			}
			return n
		})
	})
	b.Run("v2", func(b *testing.B) {
		srv := startV2(b)
		srv.SetLatency(100 * time.Millisecond)
		e := newBasic(b, srv, &BasicOptions{PricePerMillionChars: 20})
		runCorpus(b, e, srv.Requests, func() int {
			n := 0
			for _, c := range srv.Calls() {
				n += neutralChars(c.Contents)
			}
			return n
		})
	})
}
