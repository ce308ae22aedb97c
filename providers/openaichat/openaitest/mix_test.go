package openaitest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/openaichat"
	"github.com/diglot/diglot/providers/openaichat/openaitest"
	"github.com/diglot/diglot/tags"
)

// corpus is the shared corpus, relative to this package.
const corpus = "../../../../shared/corpus"

// corpusParagraphs returns up to n unique paragraphs of the corpus (split
// at blank lines), or generated ones when the corpus is absent.
func corpusParagraphs(t *testing.T, n int) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpus, "*.md"))
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n\n") {
			p = strings.TrimSpace(p)
			if p == "" || seen[p] || len([]rune(p)) > 600 {
				continue
			}
			seen[p] = true
			out = append(out, p)
			if len(out) == n {
				return out
			}
		}
	}
	if len(out) == 0 {
		return segments(n)
	}
	return out
}

// everyFault is a realistic mix: each fault kind a few percent of first
// attempts.
var everyFault = map[openaitest.Fault]float64{
	openaitest.RateLimit:         0.03,
	openaitest.ServerError:       0.02,
	openaitest.BadGateway:        0.01,
	openaitest.Unavailable:       0.01,
	openaitest.Stall:             0.01,
	openaitest.MalformedBody:     0.01,
	openaitest.MalformedReply:    0.02,
	openaitest.MissingID:         0.02,
	openaitest.DuplicateID:       0.01,
	openaitest.Echo:              0.02,
	openaitest.PreambleInSegment: 0.02,
	openaitest.ThinkInSegment:    0.02,
	openaitest.Note:              0.02,
	openaitest.DroppedTag:        0.01,
	openaitest.Refusal:           0.01,
	openaitest.ContextLength:     0.02,
	openaitest.Refused:           0.005,
}

// TestMixConverges drives corpus paragraphs through the engine against a
// fake that mixes in every transient fault: a driver that retries, halves
// and re-sends ends with every segment translated, and no damaged text
// (a preamble, a note, reasoning, an echo) is accepted.
func TestMixConverges(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 150
	}
	segs := corpusParagraphs(t, n)
	srv := openaitest.NewServer(&openaitest.Options{
		Script:     openaitest.Mix(7, everyFault),
		RetryAfter: 5 * time.Millisecond,
		DownTime:   20 * time.Millisecond,
	})
	defer srv.Close()
	tr, err := openaichat.NewTranslator(&openaichat.Options{
		BaseURL: srv.URL, Model: "test-model", MaxBatchSegments: 4, Concurrency: 4,
		Timeout: openaichat.Duration(300 * time.Millisecond), Getenv: func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	got, failed, err := openaitest.DriveAll(context.Background(), tr,
		providers.Request{Source: language.Chinese, Target: language.English, Segments: segs})
	if err != nil || failed != 0 {
		t.Fatalf("DriveAll: %d failed, %v; server %+v", failed, err, srv.Stats())
	}
	for i, s := range segs {
		want := s
		if strings.ContainsFunc(tags.Strip(s), unicode.IsLetter) {
			want = openaitest.Translate(s)
		}
		if got[i] != want {
			t.Errorf("segment %d: accepted %q, want %q", i, got[i], want)
		}
	}
	st := srv.Stats()
	t.Logf("%d segments: %d requests, %d faulted, %d ok, %d downs; by fault %v", len(segs), st.Requests, st.Faulted, st.OK, st.Downs, st.ByFault)
	if st.Faulted == 0 {
		t.Error("no fault was injected")
	}
	if !testing.Short() {
		for f := range everyFault {
			if st.ByFault[f] == 0 {
				t.Errorf("fault %s never drawn in %d requests", f, st.Requests)
			}
		}
	}
}

// TestMixDeterministic: the same seed and requests meet the same faults;
// a request seen again is answered cleanly.
func TestMixDeterministic(t *testing.T) {
	rates := map[openaitest.Fault]float64{openaitest.RateLimit: 0.3, openaitest.Echo: 0.3}
	draw := func(seed uint64) []openaitest.Fault {
		sc := openaitest.Mix(seed, rates)
		var fs []openaitest.Fault
		for i := range 200 {
			p := &openaichat.Payload{Segments: []openaichat.PayloadSegment{{ID: "s1", Text: segments(200)[i]}}}
			fs = append(fs, sc(i+1, p))
			if again := sc(i+1, p); again != openaitest.None {
				t.Fatalf("request %d seen again got fault %q, want none", i, again)
			}
		}
		return fs
	}
	a, b := draw(1), draw(1)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	count := map[openaitest.Fault]int{}
	for _, f := range a {
		count[f]++
	}
	// 200 draws at 30% each: far from 0 and from 200.
	for _, f := range []openaitest.Fault{openaitest.RateLimit, openaitest.Echo, openaitest.None} {
		if count[f] < 30 || count[f] > 100 {
			t.Errorf("fault %q drawn %d times in 200 at rate 0.3-0.4", f, count[f])
		}
	}
	if c := draw(2); cmp.Equal(a, c) {
		t.Error("another seed drew the same faults")
	}
	for _, bad := range []map[openaitest.Fault]float64{{openaitest.Echo: -0.1}, {openaitest.Echo: 0.6, openaitest.Stall: 0.6}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Mix(%v) did not panic", bad)
				}
			}()
			openaitest.Mix(1, bad)
		}()
	}
}

// TestRefusedGoesDown: a Refused fault cuts the connection, refuses new
// ones for DownTime, then the server answers on the same address.
func TestRefusedGoesDown(t *testing.T) {
	srv := openaitest.NewServer(&openaitest.Options{Script: openaitest.Sequence(openaitest.Refused), DownTime: 300 * time.Millisecond})
	defer srv.Close()
	tr, err := openaichat.NewTranslator(&openaichat.Options{BaseURL: srv.URL, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	req := providers.Request{Source: language.Chinese, Target: language.English, Segments: []string{"你好。"}}
	_, err = tr.Translate(context.Background(), req)
	if providers.ClassOf(err) != providers.Retryable {
		t.Fatalf("cut connection: error %v, want retryable", err)
	}
	_, err = tr.Translate(context.Background(), req)
	if providers.ClassOf(err) != providers.Retryable || !providers.IsUnreachable(err) {
		t.Fatalf("server down: error %v, want retryable and unreachable", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err = tr.Translate(context.Background(), req)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come back: %v", err)
	}
	if st := srv.Stats(); st.Downs != 1 || st.ByFault[openaitest.Refused] != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestContextTokens: a request bigger than the context fails every time,
// and the engine calls it too large.
func TestContextTokens(t *testing.T) {
	srv := openaitest.NewServer(&openaitest.Options{ContextTokens: 600})
	defer srv.Close()
	tr, err := openaichat.NewTranslator(&openaichat.Options{BaseURL: srv.URL, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	req := providers.Request{Source: language.Chinese, Target: language.English, Segments: segments(40)}
	for range 2 {
		if _, err := tr.Translate(context.Background(), req); providers.ClassOf(err) != providers.TooLarge {
			t.Fatalf("big request: error %v, want too large", err)
		}
	}
	req.Segments = req.Segments[:2]
	if _, err := tr.Translate(context.Background(), req); err != nil {
		t.Fatalf("small request: %v", err)
	}
}
