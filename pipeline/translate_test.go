package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// fakeEngine translates by upper-casing text outside tags, and lets a test
// script a fault per call, in the manner of database/sql's fakedb hooks.
type fakeEngine struct {
	lim providers.Limits
	tr  func([]string) []string // the translation; nil upper-cases

	mu     sync.Mutex
	calls  [][]string
	script func(call int, req providers.Request) ([]string, error)
}

func (f *fakeEngine) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, append([]string(nil), req.Segments...))
	script := f.script
	f.mu.Unlock()
	if script != nil {
		if res, err := script(n, req); res != nil || err != nil {
			return res, err
		}
	}
	if f.tr != nil {
		return f.tr(req.Segments), nil
	}
	return upper(req.Segments), nil
}

func (f *fakeEngine) Limits() providers.Limits { return f.lim }

func (f *fakeEngine) sent() (requests, segments int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.calls {
		segments += len(c)
	}
	return len(f.calls), segments
}

func upper(segs []string) []string {
	res := make([]string, len(segs))
	for i, s := range segs {
		// Tags are lower-case ASCII; keep them by upper-casing only
		// non-ASCII-letter-free words.
		res[i] = strings.ReplaceAll(strings.ToUpper(s), "<X", "<x")
		res[i] = strings.NewReplacer("<G", "<g", "</G", "</g").Replace(res[i])
	}
	return res
}

func testTranslator(p providers.Provider) *translator {
	o := &Options{Provider: p, Source: language.Chinese, Target: language.English, Backoff: time.Millisecond, MaxAttempts: 4}
	t := newTranslator(o, slog.New(slog.DiscardHandler), NopObserver{})
	t.reject = nil // these fakes upper-case ASCII: nothing to reject
	return t
}

func requests(texts ...string) []*request {
	rs := make([]*request, len(texts))
	for i, s := range texts {
		rs[i] = &request{id: keyOf("", "", fmt.Sprint(i), ""), source: s, send: s, chars: int32(runeCount(s)), piece: -1}
	}
	return rs
}

// runStage sends rs through the translate stage the way the coordinator's
// workers do, one batch per packed batch, and returns each request's
// outcome.
func runStage(t *translator, soft, ctx context.Context, rs []*request) map[*request]outcome {
	got := map[*request]outcome{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	p := packer{lim: t.lim}
	for _, b := range p.batches(rs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.process(soft, ctx, b, func(os []outcome) {
				mu.Lock()
				defer mu.Unlock()
				for _, o := range os {
					got[o.req] = o
				}
			})
		}()
	}
	wg.Wait()
	return got
}

// states writes d, f or p (abandoned) for each request's outcome.
func states(rs []*request, got map[*request]outcome) string {
	var b strings.Builder
	for _, r := range rs {
		o, ok := got[r]
		switch {
		case !ok:
			b.WriteByte('?')
		default:
			b.WriteByte("dfp"[o.kind])
		}
	}
	return b.String()
}

func TestPacker(t *testing.T) {
	p := packer{lim: providers.Limits{MaxSegments: 3, MaxChars: 10, Concurrency: 1}}
	rs := requests("aaaa", "bbbb", "cc", "d", "eeeeeeeeeeeeeeee", "f", "g", "h")
	var got []int
	for _, b := range p.batches(rs) {
		got = append(got, len(b))
		chars := 0
		for _, r := range b {
			chars += int(r.chars)
		}
		if len(b) > 3 || chars > 10 && len(b) > 1 {
			t.Errorf("batch %v breaks the limits", b)
		}
	}
	// 4+4+2 chars fill the first; d, f and g share the second (first fit);
	// the 16-char request travels alone; h fits nowhere else.
	want := []int{3, 3, 1, 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batch sizes = %v, want %v", got, want)
	}
}

func TestTranslateFaults(t *testing.T) {
	retryable := &providers.Error{Class: providers.Retryable, Status: 429, RetryAfter: time.Millisecond, Err: errors.New("slow down")}
	tests := []struct {
		name       string
		script     func(call int, req providers.Request) ([]string, error)
		wantStates string
		minCalls   int
	}{
		{"clean", nil, "dddd", 1},
		{"429 then ok", func(call int, _ providers.Request) ([]string, error) {
			if call < 2 {
				return nil, retryable
			}
			return nil, nil
		}, "dddd", 3},
		{"retries exhausted", func(int, providers.Request) ([]string, error) { return nil, retryable }, "ffff", 4},
		{"bad reply splits to singles", func(_ int, req providers.Request) ([]string, error) {
			if len(req.Segments) > 1 {
				return nil, providers.Errorf(providers.BadReply, "missing id")
			}
			return nil, nil
		}, "dddd", 7},
		{"wrong count is a bad reply", func(_ int, req providers.Request) ([]string, error) {
			if len(req.Segments) > 1 {
				return upper(req.Segments[1:]), nil
			}
			return nil, nil
		}, "dddd", 7},
		{"segment error retried alone", func(call int, req providers.Request) ([]string, error) {
			if call == 0 {
				return upper(req.Segments), &providers.SegmentErrors{Failed: map[int]error{2: errors.New("echo")}}
			}
			return nil, nil
		}, "dddd", 2},
		// Issue 11: a single request whose reply is bad is retried, not
		// failed at once.
		{"bad single replies retried until good", func(call int, req providers.Request) ([]string, error) {
			if call < 5 {
				return nil, providers.Errorf(providers.BadReply, "malformed JSON")
			}
			return nil, nil
		}, "dddd", 6},
		{"dropped tag fails after every attempt", func(_ int, req providers.Request) ([]string, error) {
			res := upper(req.Segments)
			for i := range res {
				res[i] = strings.ReplaceAll(res[i], "<x1/>", "")
			}
			return res, nil
		}, "dfdd", 4},
		{"dropped tag once, then kept", func(call int, req providers.Request) ([]string, error) {
			res := upper(req.Segments)
			if call == 0 {
				for i := range res {
					res[i] = strings.ReplaceAll(res[i], "<x1/>", "")
				}
			}
			return res, nil
		}, "dddd", 2},
		// The engine stops; nothing is marked failed: the files are not
		// written and the run reports the reason once.
		{"permanent stops the engine", func(int, providers.Request) ([]string, error) {
			return nil, &providers.Error{Class: providers.Permanent, Status: 401, Err: errors.New("bad key")}
		}, "pppp", 1},
		// Too large: the batch is halved, then the one segment cut in parts.
		{"too large splits", func(_ int, req providers.Request) ([]string, error) {
			for _, s := range req.Segments {
				if len(tags.Strip(s)) > 6 {
					return nil, providers.Errorf(providers.TooLarge, "context_length_exceeded")
				}
			}
			return nil, nil
		}, "dddd", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 2}, script: tt.script}
			tr := testTranslator(fe)
			rs := requests("one", "two<x1/>three", "four", "five")
			got := runStage(tr, context.Background(), context.Background(), rs)
			if s := states(rs, got); s != tt.wantStates {
				t.Errorf("states = %s, want %s", s, tt.wantStates)
			}
			if n, _ := fe.sent(); n < tt.minCalls {
				t.Errorf("requests = %d, want at least %d", n, tt.minCalls)
			}
			for _, r := range rs {
				o := got[r]
				if o.kind == outFailed && o.reason == "" {
					t.Errorf("request %q failed without a reason", r.source)
				}
				if o.kind == outOK && strings.ReplaceAll(o.target, " ", "") != upper([]string{r.source})[0] {
					t.Errorf("request %q: target %q", r.source, o.target)
				}
			}
		})
	}
}

func TestPermanentErrorStopsFurtherRequests(t *testing.T) {
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 1}, script: func(int, providers.Request) ([]string, error) {
		return nil, &providers.Error{Class: providers.Permanent, Status: 403, Err: errors.New("quota exhausted")}
	}}
	tr := testTranslator(fe)
	runStage(tr, context.Background(), context.Background(), requests("a", "b", "c", "d", "e"))
	if n, _ := fe.sent(); n != 1 {
		t.Errorf("requests after a permanent error = %d, want 1", n)
	}
}

func TestUnreachableStopsTheEngine(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:9/v1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 2}, script: func(int, providers.Request) ([]string, error) {
		return nil, refused
	}}
	tr := testTranslator(fe)
	tr.maxUnreachable = 5
	tr.maxAttempts = 10
	rs := requests("a", "b", "c", "d", "e", "f", "g", "h")
	got := runStage(tr, context.Background(), context.Background(), rs)
	if s := states(rs, got); s != "pppppppp" {
		t.Errorf("states = %s, want every request pending", s)
	}
	// It stops after 5 in a row over 7 backoffs (7ms here), well before
	// every request has used its 10 attempts (80).
	if n, _ := fe.sent(); n > 40 {
		t.Errorf("%d requests to a server that is not there, want at most 40", n)
	}
	if tr.stopped.Load() == nil || !strings.Contains((*tr.stopped.Load()).Error(), "could not be reached") {
		t.Errorf("engine not stopped as unreachable: %v", tr.stopped.Load())
	}
}

// TestServerRestartDoesNotStop: the requests in flight when a server
// restarts all find no server at once; that is a moment, not a server gone,
// and the run goes on.
func TestServerRestartDoesNotStop(t *testing.T) {
	refused := &url.Error{Op: "Post", URL: "http://127.0.0.1:9/v1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 8}, script: func(call int, req providers.Request) ([]string, error) {
		if call < 8 {
			return nil, refused
		}
		return upper(req.Segments), nil
	}}
	tr := testTranslator(fe)
	tr.maxUnreachable = 5
	tr.backoff = 200 * time.Millisecond
	rs := requests("a", "b", "c", "d", "e", "f", "g", "h")
	got := runStage(tr, context.Background(), context.Background(), rs)
	if s := states(rs, got); s != "dddddddd" {
		t.Errorf("states = %s, want every request done; stopped: %v", s, tr.stopped.Load())
	}
}

func TestSoftStop(t *testing.T) {
	soft, cancel := context.WithCancel(context.Background())
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 1}}
	fe.script = func(call int, _ providers.Request) ([]string, error) {
		if call == 0 {
			cancel() // Ctrl-C while the first request is in flight
		}
		return nil, nil
	}
	tr := testTranslator(fe)
	rs := requests("a", "b", "c")
	// One worker, in order, as with concurrency 1.
	got := map[*request]outcome{}
	for _, r := range rs {
		tr.process(soft, context.Background(), []*request{r}, func(os []outcome) {
			for _, o := range os {
				got[o.req] = o
			}
		})
	}
	if s := states(rs, got); s != "dpp" {
		t.Errorf("states = %s: the request in flight must finish, later ones stay pending", s)
	}
	if n, _ := fe.sent(); n != 1 {
		t.Errorf("requests after stop = %d", n)
	}
}

func TestGateBacksOffAndRecovers(t *testing.T) {
	g := newGate(8)
	g.backOff()
	g.backOff()
	if got := g.Limit(); got != 2 {
		t.Fatalf("limit after two 429s = %d, want 2", got)
	}
	for i := 0; i < 100; i++ {
		g.succeed()
	}
	if got := g.Limit(); got != 8 {
		t.Errorf("limit after successes = %d, want 8", got)
	}
}

// TestOnly429ShrinksConcurrency: timeouts and 5xx say nothing about how
// many requests an engine takes at once (issue 11).
func TestOnly429ShrinksConcurrency(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{&providers.Error{Class: providers.Retryable, Status: 429, Err: errors.New("slow down")}, 4},
		{&providers.Error{Class: providers.Retryable, Status: 503, Err: errors.New("unavailable")}, 8},
		{context.DeadlineExceeded, 8},
	} {
		fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 8}, script: func(call int, _ providers.Request) ([]string, error) {
			if call == 0 {
				return nil, tc.err
			}
			return nil, nil
		}}
		tr := testTranslator(fe)
		runStage(tr, context.Background(), context.Background(), requests("a"))
		if got := tr.gate.Limit(); got != tc.want {
			t.Errorf("after %v: limit %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestBudgetNeverPassed(t *testing.T) {
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 1}}
	tr := testTranslator(fe)
	// Each request is estimated at 1 and reserves 1.5: with 5.5 to spend,
	// five go out (spent 5 + 1.5 passes it).
	tr.budget = &budget{max: 5.5, estimate: func(rs []*request) float64 { return float64(len(rs)) }}
	rs := requests("a", "b", "c", "d", "e", "f", "g", "h")
	got := map[*request]outcome{}
	for _, r := range rs {
		tr.process(context.Background(), context.Background(), []*request{r}, func(os []outcome) {
			for _, o := range os {
				got[o.req] = o
			}
		})
	}
	n, _ := fe.sent()
	if float64(n) > 5.5 {
		t.Errorf("%d requests at 1 each passed a budget of 5.5", n)
	}
	if s := states(rs, got); s != "dddddppp" {
		t.Errorf("states = %s, want the first five done and the rest pending", s)
	}
	if !tr.budget.wasExceeded() {
		t.Error("budget not reported as exceeded")
	}
}

func TestSafeBreaks(t *testing.T) {
	tests := map[string]string{
		"no break":            "no break",
		"line  \nnext":        "line\nnext",
		"tab\t\nnext":         "tab\nnext",
		"back\\\nnext":        "back\\\\\nnext",
		"even\\\\\nnext":      "even\\\\\nnext",
		"last line keeps  ":   "last line keeps  ",
		"<x1/>  \n<g2>a</g2>": "<x1/>\n<g2>a</g2>",
	}
	for in, want := range tests {
		if got := safeBreaks(in); got != want {
			t.Errorf("safeBreaks(%q) = %q, want %q", in, got, want)
		}
	}
}
