package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/markdown"
	"github.com/diglot/diglot/pipeline"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/identity"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
	"github.com/diglot/diglot/providers/pseudo"
	"github.com/diglot/diglot/tm"
)

func skipWithoutCorpus(b *testing.B) {
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("corpus absent:", err)
	}
}

// BenchmarkChatCorpus translates the corpus through the real pipeline and
// the openai engine against the fake chat server, which answers in 200 ms
// and enforces 300 requests per minute with 429s. It reports the request
// rate achieved as a percentage of the limit, requests made against the
// minimum the engine's batch limits allow, and failed segments. About two
// minutes per iteration: run it with -benchtime 1x.
func BenchmarkChatCorpus(b *testing.B) {
	skipWithoutCorpus(b)
	const rpm = 300
	for i := 0; i < b.N; i++ {
		srv := openaitest.NewServer(&openaitest.Options{Latency: 200 * time.Millisecond, RequestsPerMinute: rpm})
		eng, err := openaichat.NewTranslator(&openaichat.Options{BaseURL: srv.URL, Model: "gpt-4o-mini", RequestsPerMinute: rpm,
			Getenv: keyOnly("sk-test-CANARY-bench")})
		if err != nil {
			b.Fatal(err)
		}
		rep, err := pipeline.Translate(context.Background(), []string{corpus}, &pipeline.Options{
			Provider: eng, ProviderName: "openai", Source: language.Chinese, Target: language.English,
			OutDir: b.TempDir(), Memory: tm.NewMemory(nil),
		})
		if err != nil {
			b.Fatal(err)
		}
		st := srv.Stats()
		srv.Close()
		min := minimumRequests(b, eng)
		b.ReportMetric(100*st.AcceptedPerMinute()/rpm, "%-of-rate-limit")
		b.ReportMetric(float64(rep.Totals.Requests)/float64(min), "requests/minimum")
		b.ReportMetric(float64(rep.Totals.Failed), "failed-segments")
		b.ReportMetric(float64(st.RateLimited), "429s")
		b.Logf("requests %d (minimum %d), unique %d, failed %d, accepted %.1f/min, 429s %d",
			rep.Totals.Requests, min, rep.Totals.UniqueSegments, rep.Totals.Failed, st.AcceptedPerMinute(), st.RateLimited)
	}
}

// keyOnly is an environment holding only the API key.
func keyOnly(key string) func(string) string {
	return func(name string) string {
		if name == "OPENAI_API_KEY" {
			return key
		}
		return ""
	}
}

// minimumRequests is the fewest requests the engine's batch limits allow
// for the corpus's unique segments: their tokens over the batch token
// limit, or their count over the segment limit.
func minimumRequests(b *testing.B, eng *openaichat.Translator) int {
	seen := map[string]bool{}
	var sizes []int
	names, _ := filepath.Glob(filepath.Join(corpus, "*.md"))
	for _, n := range names {
		data, _ := os.ReadFile(n)
		doc, err := markdown.Parse(data, nil)
		if err != nil {
			continue
		}
		for _, s := range doc.Segments {
			k := markdown.Normalize(s.Text)
			if !seen[k] {
				seen[k] = true
				sizes = append(sizes, eng.Tokens(s.Text))
			}
		}
	}
	return openaitest.LowerBound(sizes, eng.Limits())
}

// BenchmarkRerun compares a second run over the unchanged corpus (outputs
// and memory in place: nothing to send) with a fresh run of the copy
// engine, in the same process. The goal is a rerun at >= 50% of copy's
// throughput; the metric rerun/copy is their throughput ratio.
func BenchmarkRerun(b *testing.B) {
	skipWithoutCorpus(b)
	var size int64
	names, _ := filepath.Glob(filepath.Join(corpus, "*.md"))
	for _, n := range names {
		fi, _ := os.Stat(n)
		size += fi.Size()
	}
	run := func(p providers.Provider, name, dir string, mem tm.Store) *pipeline.Report {
		rep, err := pipeline.Translate(context.Background(), []string{corpus}, &pipeline.Options{
			Provider: p, ProviderName: name, Source: language.Chinese, Target: language.English, OutDir: dir, Memory: mem,
		})
		if err != nil {
			b.Fatal(err)
		}
		return rep
	}
	// Prepare the rerun: one pseudo run leaves outputs and memory behind.
	rerunDir := b.TempDir()
	mem, err := tm.Open(context.Background(), filepath.Join(b.TempDir(), "tm.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer mem.Close()
	run(pseudo.NewTranslator(nil), "pseudo", rerunDir, mem)
	var copyTime, rerunTime time.Duration
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		run(identity.Translator{}, "copy", b.TempDir(), tm.NewMemory(nil))
		copyTime += time.Since(start)
		start = time.Now()
		rep := run(pseudo.NewTranslator(nil), "pseudo", rerunDir, mem)
		rerunTime += time.Since(start)
		if rep.Totals.Requests != 0 {
			b.Fatalf("rerun made %d requests, want 0", rep.Totals.Requests)
		}
	}
	b.ReportMetric(copyTime.Seconds()/rerunTime.Seconds(), "rerun/copy")
	b.ReportMetric(float64(size)*float64(b.N)/copyTime.Seconds()/1e6, "copy-MB/s")
	b.ReportMetric(float64(size)*float64(b.N)/rerunTime.Seconds()/1e6, "rerun-MB/s")
}
