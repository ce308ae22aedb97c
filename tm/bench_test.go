package tm_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/diglot/diglot/tm"
	"github.com/diglot/diglot/tm/tmtest"
)

// benchKey is a key shaped like the pipeline's: hex of a SHA-256 prefix.
func benchKey(i int) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(sum[:12])
}

func benchEntry(i int) tm.Entry {
	return tm.Entry{
		SourceLang: "zh", TargetLang: "en", Key: benchKey(i),
		Source:    fmt.Sprintf("美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会，第%d段。", i),
		Target:    fmt.Sprintf("US President Biden and Russian President Putin held a summit in Geneva on June 16, paragraph %d.", i),
		Origin:    "openai:gpt-4o-mini",
		State:     tm.Machine,
		Created:   tmtest.Base,
		Updated:   tmtest.Base,
		FirstSeen: fmt.Sprintf("articles/%04d.md", i/200),
	}
}

// The 1M-entry store is built once per test binary (it takes about a
// minute) and removed by TestMain.
var (
	bigOnce  sync.Once
	bigStore *tm.SQLite
	bigSize  int
	bigBuild time.Duration
	bigErr   error
	bigDir   string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if bigStore != nil {
		bigStore.Close()
	}
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// bigTM returns the benchmark store: DIGLOT_TM_BENCH_SIZE entries (default
// 1,000,000), bulk-inserted in transactions of 50,000.
func bigTM(b *testing.B) *tm.SQLite {
	bigOnce.Do(func() {
		bigSize = 1_000_000
		if v := os.Getenv("DIGLOT_TM_BENCH_SIZE"); v != "" {
			if bigSize, bigErr = strconv.Atoi(v); bigErr != nil {
				return
			}
		}
		if bigDir, bigErr = os.MkdirTemp("", "diglot-tm-bench-"); bigErr != nil {
			return
		}
		ctx := context.Background()
		if bigStore, bigErr = tm.Open(ctx, filepath.Join(bigDir, "tm.db"), nil); bigErr != nil {
			return
		}
		start := time.Now()
		const batch = 50_000
		es := make([]tm.Entry, 0, batch)
		for i := 0; i < bigSize; i++ {
			es = append(es, benchEntry(i))
			if len(es) == batch || i == bigSize-1 {
				if bigErr = bigStore.Put(ctx, es); bigErr != nil {
					return
				}
				es = es[:0]
			}
		}
		bigBuild = time.Since(start)
	})
	if bigErr != nil {
		b.Fatalf("building the benchmark store: %v", bigErr)
	}
	return bigStore
}

// reportCPU reports the process's CPU time per operation since cpu0. On a
// shared, loaded machine wall-clock latencies include time spent waiting
// for a CPU; this figure does not.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	if cpu0 >= 0 {
		b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
	}
}

// reportLatency reports the median and 99th percentile of ds.
func reportLatency(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	pct := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(pct(1), "max-µs")
}

// BenchmarkLookup1M measures Get latency in a store with 1,000,000 entries
// (DIGLOT_TM_BENCH_SIZE to change): one present key, one missing key, and a
// batch of 100 keys, as the pipeline looks up a document's segments. The
// target is p99 < 1 ms for one key.
//
//	go test -run '^$' -bench BenchmarkLookup1M -benchtime 3s ./tm
func BenchmarkLookup1M(b *testing.B) {
	s := bigTM(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		keys func(r *rand.Rand) []string
		want int
	}{
		{"hit", func(r *rand.Rand) []string { return []string{benchKey(r.IntN(bigSize))} }, 1},
		{"miss", func(r *rand.Rand) []string { return []string{benchKey(bigSize + r.IntN(bigSize))} }, 0},
		{"batch100", func(r *rand.Rand) []string {
			ks := make([]string, 100)
			for i := range ks {
				ks[i] = benchKey(r.IntN(bigSize))
			}
			return ks
		}, -1},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			ds := make([]time.Duration, 0, b.N)
			keys := make([][]string, b.N)
			for i := range keys {
				keys[i] = bc.keys(r)
			}
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := range b.N {
				start := time.Now()
				got, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: keys[i], Origin: "openai:gpt-4o-mini"})
				ds = append(ds, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if bc.want >= 0 && len(got) != bc.want {
					b.Fatalf("Get found %d, want %d", len(got), bc.want)
				}
			}
			b.StopTimer()
			reportCPU(b, cpu0)
			reportLatency(b, ds)
			b.ReportMetric(float64(bigSize), "entries")
			b.ReportMetric(bigBuild.Seconds(), "build-s")
		})
	}
}

// BenchmarkPut measures Put throughput per batch size into a SQLite store
// (each batch one transaction), beside the Memory store as the baseline.
//
//	go test -run '^$' -bench BenchmarkPut ./tm
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	for _, kind := range []string{"Memory", "SQLite"} {
		for _, size := range []int{1, 100, 1000, 10000} {
			b.Run(fmt.Sprintf("%s/batch%d", kind, size), func(b *testing.B) {
				var s tm.Store = tm.NewMemory(nil)
				if kind == "SQLite" {
					var err error
					if s, err = tm.Open(ctx, filepath.Join(b.TempDir(), "tm.db"), nil); err != nil {
						b.Fatal(err)
					}
				}
				defer s.Close()
				batches := make([][]tm.Entry, b.N)
				for i := range batches {
					for j := range size {
						batches[i] = append(batches[i], benchEntry(i*size+j))
					}
				}
				ds := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				cpu0 := cpuTime()
				start := time.Now()
				for i := range b.N {
					t := time.Now()
					if err := s.Put(ctx, batches[i]); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(t))
				}
				elapsed := time.Since(start)
				b.StopTimer()
				b.ReportMetric(float64(b.N*size)/elapsed.Seconds(), "entries/s")
				if cpu0 >= 0 {
					b.ReportMetric(float64(b.N*size)/(cpuTime()-cpu0).Seconds(), "entries/cpu-s")
				}
				reportCPU(b, cpu0)
				reportLatency(b, ds)
			})
		}
	}
}

// BenchmarkGetBatch1M compares the two ways to look up a chunk of 10,000
// keys in the 1,000,000-entry store: one Get of all of them against 10,000
// Gets of one key. Both run in every iteration, in alternating order and on
// fresh random keys (90% present, as in a rerun), and the benchmark reports
// their ratio, so machine load cancels out.
//
//	go test -run '^$' -bench BenchmarkGetBatch1M -benchtime 10x ./tm
func BenchmarkGetBatch1M(b *testing.B) {
	s := bigTM(b)
	ctx := context.Background()
	const n = 10_000
	r := rand.New(rand.NewPCG(3, 4))
	keys := func() []string {
		ks := make([]string, n)
		for i := range ks {
			if r.IntN(10) == 0 {
				ks[i] = benchKey(bigSize + r.IntN(bigSize))
			} else {
				ks[i] = benchKey(r.IntN(bigSize))
			}
		}
		return ks
	}
	q := func(ks []string) tm.Query {
		return tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: "openai:gpt-4o-mini"}
	}
	var batch, single time.Duration
	b.ResetTimer()
	for i := range b.N {
		one := func() {
			ks := keys()
			start := time.Now()
			got, err := s.Get(ctx, q(ks))
			batch += time.Since(start)
			if err != nil || len(got) < n/2 {
				b.Fatalf("Get of %d keys found %d: %v", n, len(got), err)
			}
		}
		each := func() {
			ks := keys()
			start := time.Now()
			for _, k := range ks {
				if _, err := s.Get(ctx, q([]string{k})); err != nil {
					b.Fatal(err)
				}
			}
			single += time.Since(start)
		}
		if i%2 == 0 {
			one()
			each()
		} else {
			each()
			one()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(batch.Microseconds())/float64(b.N)/1e3, "batch-ms/10k")
	b.ReportMetric(float64(single.Microseconds())/float64(b.N)/1e3, "single-ms/10k")
	b.ReportMetric(float64(single)/float64(batch), "single/batch")
	b.ReportMetric(float64(bigSize), "entries")
}
