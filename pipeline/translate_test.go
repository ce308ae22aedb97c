package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
)

// fakeEngine translates by upper-casing text outside tags, and lets a test
// script a fault per call, in the manner of database/sql's fakedb hooks.
type fakeEngine struct {
	lim providers.Limits

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
	return newTranslator(o, slog.New(slog.DiscardHandler), NopObserver{})
}

func units(texts ...string) []*unit {
	us := make([]*unit, len(texts))
	for i, s := range texts {
		us[i] = newUnit(fmt.Sprint(i), s)
	}
	return us
}

func states(us []*unit) string {
	var b strings.Builder
	for _, u := range us {
		b.WriteString([]string{"p", "d", "f"}[u.state])
	}
	return b.String()
}

func TestBatches(t *testing.T) {
	tr := testTranslator(&fakeEngine{lim: providers.Limits{MaxSegments: 3, MaxChars: 10, Concurrency: 1}})
	us := units("aaaa", "bbbb", "cc", "d", "eeeeeeeeeeeeeeee", "f", "g", "h")
	var got []int
	for _, b := range tr.batches(us) {
		got = append(got, len(b))
		chars := 0
		for _, u := range b {
			chars += u.chars
		}
		if len(b) > 3 || chars > 10 && len(b) > 1 {
			t.Errorf("batch %v breaks the limits", b)
		}
	}
	// 4+4+2 chars fill the first; d, f and g share the second (first fit);
	// the 16-char unit travels alone; h fits nowhere else.
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
		{"dropped tag fails the segment", func(_ int, req providers.Request) ([]string, error) {
			res := upper(req.Segments)
			for i := range res {
				res[i] = strings.ReplaceAll(res[i], "<x1/>", "")
			}
			return res, nil
		}, "dfdd", 2},
		// The engine stops; nothing is marked failed: the files are not
		// written and the run reports the reason once.
		{"permanent stops the engine", func(int, providers.Request) ([]string, error) {
			return nil, &providers.Error{Class: providers.Permanent, Status: 401, Err: errors.New("bad key")}
		}, "pppp", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fe := &fakeEngine{lim: providers.Limits{MaxSegments: 10, Concurrency: 2}, script: tt.script}
			tr := testTranslator(fe)
			us := units("one", "two<x1/>three", "four", "five")
			tr.run(context.Background(), context.Background(), us)
			if got := states(us); got != tt.wantStates {
				t.Errorf("states = %s, want %s", got, tt.wantStates)
			}
			if n, _ := fe.sent(); n < tt.minCalls {
				t.Errorf("requests = %d, want at least %d", n, tt.minCalls)
			}
			for _, u := range us {
				if u.state == failed && u.reason == "" {
					t.Errorf("unit %q failed without a reason", u.source)
				}
				if u.state == done && u.target == u.source {
					t.Errorf("unit %q passed off its source as a translation", u.source)
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
	tr.run(context.Background(), context.Background(), units("a", "b", "c", "d", "e"))
	if n, _ := fe.sent(); n != 1 {
		t.Errorf("requests after a permanent error = %d, want 1", n)
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
	us := units("a", "b", "c")
	tr.run(soft, context.Background(), us)
	if got := states(us); got[0] != 'd' || strings.Contains(got[1:], "f") {
		t.Errorf("states = %s: the request in flight must finish, later ones stay pending", got)
	}
	if n, _ := fe.sent(); n > 2 {
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

func TestBudgetStopsNewBatches(t *testing.T) {
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 1, Concurrency: 1}}
	tr := testTranslator(fe)
	tr.budget = &budget{max: 2.5, cost: func(us []*unit) float64 { return float64(len(us)) }}
	us := units("a", "b", "c", "d")
	tr.run(context.Background(), context.Background(), us)
	if got := states(us); got != "ddpp" {
		t.Errorf("states = %s, want ddpp", got)
	}
	if !tr.budget.wasExceeded() {
		t.Error("budget not reported as exceeded")
	}
}

func TestLongSegmentSentInPieces(t *testing.T) {
	fe := &fakeEngine{lim: providers.Limits{MaxSegments: 10, MaxSegmentChars: 12, Concurrency: 2}}
	tr := testTranslator(fe)
	var committed []string
	var mu sync.Mutex
	tr.commit = func(_ context.Context, us []*unit) error {
		mu.Lock()
		defer mu.Unlock()
		for _, u := range us {
			committed = append(committed, u.key)
		}
		return nil
	}
	long := newUnit("long", "First one. Second <g1>two</g1>. Third three!")
	short := newUnit("short", "tiny")
	tr.run(context.Background(), context.Background(), []*unit{long, short})
	if long.state != done || long.target != "FIRST ONE. SECOND <g1>TWO</g1>. THIRD THREE!" {
		t.Errorf("long unit: state %v target %q", long.state, long.target)
	}
	_, segs := fe.sent()
	if segs != 4 {
		t.Errorf("sent %d segments, want 3 pieces + 1", segs)
	}
	if fmt.Sprint(committed) != "[long short]" && fmt.Sprint(committed) != "[short long]" {
		t.Errorf("committed %v, want the whole units only", committed)
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
