package openaitest

import (
	"context"
	"fmt"
	"math"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/providertest"
)

// DriveFunc translates every segment of req through p, batching for p's
// limits, pacing, retrying and splitting as the pipeline's translate stage
// does, and returns how many segments finally failed. [SimpleDrive] is a
// stand-in; a bench of the real pipeline passes a function that runs it.
type DriveFunc func(ctx context.Context, p providers.Provider, req providers.Request) (failed int, err error)

// BenchOptions configure [RunBench].
type BenchOptions struct {
	// Segments are the unique segments to translate (from zh to en).
	Segments []string
	// Latency and RequestsPerMinute (and Burst) configure the fake server.
	Latency           time.Duration
	RequestsPerMinute float64
	Burst             int
	// Engine are the engine's settings; BaseURL and the key are set by the
	// bench. RequestsPerMinute defaults to the server's limit.
	Engine openaichat.Options
	// Drive runs the translation; nil means SimpleDrive.
	Drive DriveFunc
}

// BenchResult is what a bench run measured.
type BenchResult struct {
	Segments    int   // unique segments sent
	Tokens      int   // their size in the engine's tokens
	MinRequests int   // the fewest requests the batch limits allow (LowerBound)
	Requests    int64 // HTTP requests the server received
	RateLimited int64 // of which refused with 429
	Failed      int   // segments without a translation at the end
	Elapsed     time.Duration
	// RequestRate is the accepted requests per minute.
	RequestRate float64
	Limit       float64 // the server's requests per minute
}

// String formats r as the figures the README reports.
func (r BenchResult) String() string {
	rate := "unlimited"
	if r.Limit > 0 {
		rate = fmt.Sprintf("%.1f/min = %.1f%% of the %g/min limit", r.RequestRate, 100*r.RequestRate/r.Limit, r.Limit)
	}
	return fmt.Sprintf("segments %d (%d tokens); requests %d (%d refused with 429), minimum %d, ratio %.3f; failed segments %d; elapsed %v; accepted rate %s",
		r.Segments, r.Tokens, r.Requests, r.RateLimited, r.MinRequests,
		float64(r.Requests-r.RateLimited)/math.Max(1, float64(r.MinRequests)), r.Failed, r.Elapsed.Round(time.Millisecond), rate)
}

// RunBench starts a fake server with the given latency and rate limit,
// points the engine at it and drives every segment through it.
func RunBench(ctx context.Context, o BenchOptions) (BenchResult, error) {
	srv := NewServer(&Options{Latency: o.Latency, RequestsPerMinute: o.RequestsPerMinute, Burst: o.Burst})
	defer srv.Close()
	eo := o.Engine
	eo.BaseURL = srv.URL
	if eo.RequestsPerMinute == 0 {
		eo.RequestsPerMinute = o.RequestsPerMinute
	}
	eo.APIKey = "sk-test-CANARY-bench"
	eo.Getenv = func(string) string { return "" } // the bench's settings, not the environment's
	tr, err := openaichat.NewTranslator(&eo)
	if err != nil {
		return BenchResult{}, err
	}
	defer tr.Close()
	res := BenchResult{Segments: len(o.Segments), Limit: o.RequestsPerMinute}
	sizes := make([]int, len(o.Segments))
	for i, s := range o.Segments {
		sizes[i] = tr.Tokens(s)
		res.Tokens += sizes[i]
	}
	res.MinRequests = LowerBound(sizes, tr.Limits())
	drive := o.Drive
	if drive == nil {
		drive = SimpleDrive
	}
	start := time.Now()
	failed, err := drive(ctx, tr, providers.Request{Source: language.Chinese, Target: language.English, Segments: o.Segments})
	res.Elapsed = time.Since(start)
	res.Failed = failed
	st := srv.Stats()
	res.Requests, res.RateLimited = st.Requests, st.RateLimited
	res.RequestRate = st.AcceptedPerMinute()
	return res, err
}

// Pack is [providertest.Pack].
func Pack(segs []string, l providers.Limits, size func(string) int) [][]int {
	return providertest.Pack(segs, l, size)
}

// LowerBound is the fewest requests any batching of segments of the given
// sizes can take under l: total tokens over MaxTokens, or the segment count
// over MaxSegments, whichever is more.
func LowerBound(sizes []int, l providers.Limits) int {
	total := 0
	for _, n := range sizes {
		total += n
	}
	lb := 0
	if l.MaxTokens > 0 {
		lb = (total + l.MaxTokens - 1) / l.MaxTokens
	}
	if l.MaxSegments > 0 {
		lb = max(lb, (len(sizes)+l.MaxSegments-1)/l.MaxSegments)
	}
	return max(lb, min(1, len(sizes)))
}

// SimpleDrive is [providertest.Drive] counting the segments that failed;
// it is the stand-in [RunBench] uses for the pipeline's translate stage.
func SimpleDrive(ctx context.Context, p providers.Provider, req providers.Request) (int, error) {
	_, failed, err := providertest.Drive(ctx, p, req)
	return failed, err
}

// DriveAll is [providertest.Drive].
func DriveAll(ctx context.Context, p providers.Provider, req providers.Request) (results []string, failed int, err error) {
	return providertest.Drive(ctx, p, req)
}
