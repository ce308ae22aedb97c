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

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googlebasic"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/googletranslate/internal/wire"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

// corpusDir is the shared corpus, relative to this package.
const corpusDir = "../../../shared/corpus"

// corpusParagraphs returns the corpus's unique segments in the neutral
// form, tags and all, as the markdown package cuts them for the pipeline.
func corpusParagraphs(tb testing.TB) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.md"))
	if len(files) == 0 {
		tb.Skip("corpus not found at " + corpusDir)
	}
	seen := map[string]bool{}
	var segs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := markdown.Parse(data, nil)
		if err != nil {
			continue // the pipeline fails such a file alone
		}
		for _, s := range doc.Segments {
			if !seen[s.Text] {
				seen[s.Text] = true
				segs = append(segs, s.Text)
			}
		}
	}
	return segs
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
// packing perfectly: their count over MaxSegments, or their tokens over
// MaxTokens, whichever is more.
func minRequests(segs []string, l providers.Limits, size func(string) int) int {
	ceil := func(a, b int) int { return (a + b - 1) / b }
	total := 0
	for _, s := range segs {
		total += size(s)
	}
	return max(ceil(len(segs), l.MaxSegments), ceil(total, l.MaxTokens))
}

// fitting returns the segments no longer than MaxSegmentChars code points:
// the pipeline splits longer ones before an engine sees them.
func fitting(segs []string, l providers.Limits) []string {
	var out []string
	for _, s := range segs {
		if utf8.RuneCountInString(s) <= l.MaxSegmentChars {
			out = append(out, s)
		}
	}
	return out
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
	l := p.Limits()
	segs := fitting(corpusParagraphs(b), l)
	uniqueChars := 0
	for _, s := range segs {
		uniqueChars += utf8.RuneCountInString(s)
	}
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
		d, err := wire.Decode(c)
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
		a := newAdvanced(b, srv, &Options{PricePerMillionChars: 20})
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
		e := newBasic(b, srv, &googlebasic.Options{PricePerMillionChars: 20})
		runCorpus(b, e, srv.Requests, func() int {
			n := 0
			for _, c := range srv.Calls() {
				n += neutralChars(c.Contents)
			}
			return n
		})
	})
}

// TestEstimateMatchesBilled runs the corpus's paragraphs through each
// engine against its fake in batches planned from the engine's limits, and
// checks that what the engine estimates (Tokens, priced by EstimateCost)
// is what the fake bills (the code points of the strings it answered),
// within 1%; and that each batch was one request.
func TestEstimateMatchesBilled(t *testing.T) {
	paras := corpusParagraphs(t)
	if testing.Short() && len(paras) > 600 {
		paras = paras[:600]
	}
	engines := map[string]func(t *testing.T) (benchEngine, func() int, func() int){
		"v3": func(t *testing.T) (benchEngine, func() int, func() int) {
			srv := startV3(t)
			return newAdvanced(t, srv, &Options{PricePerMillionChars: 20}), srv.Billed, srv.Requests
		},
		"v2": func(t *testing.T) (benchEngine, func() int, func() int) {
			srv := startV2(t)
			return newBasic(t, srv, &googlebasic.Options{PricePerMillionChars: 20}), srv.Billed, srv.Requests
		},
	}
	for name, mk := range engines {
		t.Run(name, func(t *testing.T) {
			p, billed, requests := mk(t)
			l := p.Limits()
			segs := fitting(paras, l)
			batches := planBatches(segs, l, p.Tokens)
			tokens, chars := 0, 0
			estimate := 0.0
			for _, b := range batches {
				bt, bc := 0, 0
				for _, s := range b {
					bt += p.Tokens(s)
					bc += utf8.RuneCountInString(s)
				}
				tokens, chars = tokens+bt, chars+bc
				estimate += p.EstimateCost(bt, bc)
				if _, err := p.Translate(context.Background(), zhen(b...)); err != nil {
					t.Fatalf("Translate(%d segments): %v", len(b), err)
				}
			}
			got := billed()
			ratio := float64(tokens) / float64(got)
			t.Logf("%d segments, %d neutral code points: estimated %d billed characters, fake billed %d (ratio %.4f); %d requests for %d batches",
				len(segs), chars, tokens, got, ratio, requests(), len(batches))
			if ratio < 0.99 || ratio > 1.01 {
				t.Errorf("estimated %d billed characters, the fake billed %d: ratio %.4f, want within 1%%", tokens, got, ratio)
			}
			if cost := p.Usage().Cost; estimate < cost*0.99 || estimate > cost*1.01 {
				t.Errorf("estimated cost %.6f, billed %.6f", estimate, cost)
			}
			if n := requests(); n != len(batches) {
				t.Errorf("%d requests for %d batches: a Translate call must be one request", n, len(batches))
			}
		})
	}
}

// TestMixConverges drives corpus segments through each engine against a
// fake that mixes in every transient fault (429s, 5xx, hangs, "text too
// long", truncated replies): a driver that retries and halves as it should
// ends with every segment translated, one request per attempt.
func TestMixConverges(t *testing.T) {
	segs := corpusParagraphs(t)
	n := 3000
	if testing.Short() {
		n = 400
	}
	segs = segs[:min(n, len(segs))]
	rates := map[googletest.Kind]float64{
		googletest.RateLimit: 0.04, googletest.ServerError: 0.04, googletest.Timeout: 0.02,
		googletest.TextTooLong: 0.04, googletest.Truncated: 0.04,
	}
	timeout := providers.Duration(200 * time.Millisecond)
	engines := map[string]func(t *testing.T) (providers.Provider, func() int){
		"v3": func(t *testing.T) (providers.Provider, func() int) {
			srv := startV3(t)
			srv.SetScript(googletest.Mix(11, rates))
			return newAdvanced(t, srv, &Options{Timeout: timeout, MaxCharsPerRequest: 2000}), srv.Faulted
		},
		"v2": func(t *testing.T) (providers.Provider, func() int) {
			srv := startV2(t)
			srv.SetScript(googletest.Mix(11, rates))
			return newBasic(t, srv, &googlebasic.Options{Timeout: timeout, MaxCharsPerRequest: 2000}), srv.Faulted
		},
	}
	for name, mk := range engines {
		t.Run(name, func(t *testing.T) {
			p, faulted := mk(t)
			in := fitting(segs, p.(providers.Limiter).Limits())
			got, failed, err := providertest.Drive(context.Background(), p, zhen(in...))
			if err != nil || failed != 0 {
				t.Fatalf("Drive: %d failed, %v", failed, err)
			}
			for i, s := range in {
				if err := tags.Check(s, got[i]); err != nil && strings.TrimSpace(s) != "" {
					t.Errorf("segment %d: %v", i, err)
				}
			}
			if faulted() == 0 {
				t.Error("no fault injected")
			}
			t.Logf("%d segments, %d faults injected", len(in), faulted())
		})
	}
}
