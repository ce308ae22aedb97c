package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
)

func main() {
	var (
		corpus      = flag.String("corpus", "../shared/corpus", "directory of Markdown files to translate")
		files       = flag.Int("files", 0, "use only the first N files (0: all)")
		latency     = flag.Duration("latency", 200*time.Millisecond, "fake server latency per request")
		rpm         = flag.Float64("rpm", 300, "requests per minute the fake server allows (429 beyond)")
		burst       = flag.Int("burst", 0, "requests the fake server accepts at once (0: rpm/60)")
		segments    = flag.Int("segments", openaichat.DefaultMaxBatchSegments, "engine max_batch_segments")
		tokens      = flag.Int("tokens", openaichat.DefaultMaxBatchTokens, "engine max_batch_tokens")
		concurrency = flag.Int("concurrency", 4, "engine concurrency")
		model       = flag.String("model", openaichat.DefaultModel, "model name (decides the tokenizer)")
		serve       = flag.Bool("serve", false, "only run the fake server until interrupted")
		plan        = flag.Bool("plan", false, "only print the batching plan: no server, no requests")
		addr        = flag.String("addr", "127.0.0.1:0", "listen address in -serve mode (loopback only)")
		faults      = flag.Float64("faults", 0, "in -serve mode, the share of first attempts that meet a transient fault, spread over every kind (429, 5xx, hangs, server down, malformed JSON, missing ids, echoes, leaked text, dropped tags, refusals, context length)")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	if *serve {
		if err := serveOnly(ctx, *addr, *latency, *rpm, *burst, *faults); err != nil {
			fmt.Fprintln(os.Stderr, "chatbench:", err)
			os.Exit(1)
		}
		return
	}

	engine := openaichat.Options{
		Model:            *model,
		MaxBatchSegments: *segments,
		MaxBatchTokens:   *tokens,
		Concurrency:      *concurrency,
	}
	// Paragraphs longer than a batch are split at sentence ends, as the
	// pipeline does for Limits.MaxSegmentChars.
	segs, nfiles, err := readCorpus(*corpus, *files, *tokens)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chatbench:", err)
		os.Exit(2)
	}
	fmt.Printf("corpus: %d files, %d unique paragraphs\n", nfiles, len(segs))
	if *plan {
		printPlan(segs, engine)
		return
	}
	res, err := openaitest.RunBench(ctx, openaitest.BenchOptions{
		Segments:          segs,
		Latency:           *latency,
		RequestsPerMinute: *rpm,
		Burst:             *burst,
		Engine:            engine,
	})
	fmt.Println(res)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chatbench:", err)
		os.Exit(1)
	}
}

// serveOnly runs the fake server on addr until ctx ends.
func serveOnly(ctx context.Context, addr string, latency time.Duration, rpm float64, burst int, faults float64) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %s: only loopback addresses are allowed", addr)
	}
	opts := &openaitest.Options{Latency: latency, RequestsPerMinute: rpm, Burst: burst}
	if faults > 0 {
		opts.Script = openaitest.Mix(1, transientMix(faults))
		opts.DownTime = 200 * time.Millisecond
	}
	srv := openaitest.NewServerAt(addr, opts)
	defer srv.Close()
	fmt.Printf("OPENAI_BASE_URL=%s\nstats: %s%s\n", srv.URL, srv.Root, openaitest.StatsPath)
	<-ctx.Done()
	st := srv.Stats()
	b, _ := json.MarshalIndent(st, "", "  ")
	fmt.Printf("%s\naccepted per minute: %.1f (limit %g)\n", b, st.AcceptedPerMinute(), rpm)
	return nil
}

// transientMix spreads share evenly over every transient fault: each
// passes when the request is sent again, as with a real model.
func transientMix(share float64) map[openaitest.Fault]float64 {
	kinds := []openaitest.Fault{openaitest.RateLimit, openaitest.ServerError, openaitest.BadGateway,
		openaitest.Unavailable, openaitest.Stall, openaitest.MalformedBody, openaitest.MalformedReply,
		openaitest.Truncated, openaitest.MissingID, openaitest.DuplicateID, openaitest.Echo,
		openaitest.Preamble, openaitest.PreambleInSegment, openaitest.ThinkInSegment, openaitest.Note,
		openaitest.DroppedTag, openaitest.Refusal, openaitest.ContextLength, openaitest.Refused}
	m := map[openaitest.Fault]float64{}
	for _, k := range kinds {
		m[k] = min(share, 1) / float64(len(kinds))
	}
	return m
}

// printPlan prints how the segments pack into requests, without sending.
func printPlan(segs []string, o openaichat.Options) {
	o.BaseURL = "http://127.0.0.1:1/v1" // never reached: nothing is sent
	o.Getenv = func(string) string { return "" }
	tr, err := openaichat.NewTranslator(&o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "chatbench:", err)
		os.Exit(2)
	}
	sizes := make([]int, len(segs))
	total := 0
	for i, s := range segs {
		sizes[i] = tr.Tokens(s)
		total += sizes[i]
	}
	batches := openaitest.Pack(segs, tr.Limits(), tr.Tokens)
	lb := openaitest.LowerBound(sizes, tr.Limits())
	fmt.Printf("tokens %d; batches %d; lower bound %d; ratio %.3f\n", total, len(batches), lb, float64(len(batches))/float64(lb))
}

// readCorpus splits every Markdown file under dir into paragraphs (blocks
// between blank lines, code fences left out) and returns the unique ones
// that hold letters, in first-seen order; paragraphs longer than maxChars
// characters are split after sentence ends. It is a rough segmenter, good
// enough to load the engine; the pipeline's is the real one.
func readCorpus(dir string, limit, maxChars int) ([]string, int, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	sort.Strings(paths)
	if limit > 0 && len(paths) > limit {
		paths = paths[:limit]
	}
	seen := map[string]bool{}
	var segs []string
	add := func(lines []string) {
		for _, p := range splitSentences(strings.TrimSpace(strings.Join(lines, "\n")), maxChars) {
			p = strings.TrimSpace(p)
			if p == "" || seen[p] || !strings.ContainsFunc(p, unicode.IsLetter) {
				continue
			}
			seen[p] = true
			segs = append(segs, p)
		}
	}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, 0, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		var block []string
		fence := false
		for sc.Scan() {
			line := strings.TrimRight(strings.TrimPrefix(sc.Text(), "\ufeff"), "\r")
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				fence = !fence
				add(block)
				block = nil
				continue
			}
			if fence {
				continue
			}
			if strings.TrimSpace(line) == "" {
				add(block)
				block = nil
				continue
			}
			block = append(block, line)
		}
		add(block)
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	return segs, len(paths), nil
}

// splitSentences cuts s into pieces of at most max characters, after
// sentence-ending punctuation where possible, else hard.
func splitSentences(s string, max int) []string {
	r := []rune(s)
	if max <= 0 || len(r) <= max {
		return []string{s}
	}
	var out []string
	for len(r) > max {
		cut := 0
		for i := max - 1; i > max/4; i-- {
			if strings.ContainsRune("。！？；.!?;\n", r[i]) {
				cut = i + 1
				break
			}
		}
		if cut == 0 {
			cut = max
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return append(out, string(r))
}
