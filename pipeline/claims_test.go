package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tm"
)

// heldRecorder is a shared SQLite memory that records the most keys each
// owner held at once.
type heldRecorder struct {
	*tm.SQLite
	mu   sync.Mutex
	held map[string]map[string]bool
	most map[string]int
}

func newHeldRecorder(t *testing.T) *heldRecorder {
	s, err := tm.Open(context.Background(), filepath.Join(t.TempDir(), "tm.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &heldRecorder{SQLite: s, held: map[string]map[string]bool{}, most: map[string]int{}}
}

func (h *heldRecorder) Claim(ctx context.Context, owner string, q tm.Query, ttl time.Duration) ([]string, error) {
	got, err := h.SQLite.Claim(ctx, owner, q, ttl)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.held[owner] == nil {
		h.held[owner] = map[string]bool{}
	}
	for _, k := range got {
		h.held[owner][k] = true
	}
	h.most[owner] = max(h.most[owner], len(h.held[owner]))
	return got, err
}

func (h *heldRecorder) Release(ctx context.Context, owner string, keys []string) error {
	h.mu.Lock()
	for _, k := range keys {
		delete(h.held[owner], k)
	}
	h.mu.Unlock()
	return h.SQLite.Release(ctx, owner, keys)
}

// manyParagraphs writes files of distinct paragraphs: n files of 10.
func manyParagraphs(t *testing.T, dir string, n int) {
	for f := range n {
		var b strings.Builder
		for p := range 10 {
			fmt.Fprintf(&b, "第%d篇文章的第%d段。\n\n", f, p)
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("a%02d.md", f)), b.String())
	}
}

// sentSegments counts the segments an engine was sent.
func sentSegments(e *fakeEngine) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, c := range e.calls {
		n += len(c)
	}
	return n
}

// TestClaimWindow: a run on a shared memory holds no more keys at once
// than its claim window (four full batches per concurrent request), so a
// second run reading the same files finds work left to share; and it
// holds none at its end.
func TestClaimWindow(t *testing.T) {
	in := t.TempDir()
	manyParagraphs(t, in, 30) // 300 units; a window of 4×1×10 = 40
	mem := newHeldRecorder(t)
	eng := realEngine()
	rep := mustTranslate(t, in, runOpts(eng, "real", t.TempDir(), mem))
	if rep.Totals.FilesOK != 30 {
		t.Fatalf("report: %+v", rep.Totals)
	}
	for owner, n := range mem.most {
		if n > 40 {
			t.Errorf("owner %s held %d keys at once, want at most 40", owner, n)
		}
		if left := len(mem.held[owner]); left != 0 {
			t.Errorf("owner %s holds %d keys after its run", owner, left)
		}
	}
	if len(mem.most) != 1 {
		t.Errorf("%d owners claimed, want 1", len(mem.most))
	}
}

// TestRunsShareTheirFiles: two runs at once over the same files on one
// memory pay for each unique paragraph once between them, and both send
// some: neither claims everything it has read.
func TestRunsShareTheirFiles(t *testing.T) {
	in := t.TempDir()
	manyParagraphs(t, in, 30)
	mem := newHeldRecorder(t)
	slow := func() *fakeEngine {
		e := realEngine()
		e.script = func(_ int, req providers.Request) ([]string, error) {
			time.Sleep(20 * time.Millisecond)
			return latin(req.Segments), nil
		}
		return e
	}
	engines := []*fakeEngine{slow(), slow()}
	var wg sync.WaitGroup
	for _, e := range engines {
		wg.Go(func() {
			rep, err := Translate(context.Background(), []string{in}, runOpts(e, "real", t.TempDir(), mem))
			if err != nil {
				t.Error(err)
				return
			}
			if rep.Totals.FilesOK != 30 {
				t.Errorf("report: %+v", rep.Totals)
			}
		})
	}
	wg.Wait()
	a, b := sentSegments(engines[0]), sentSegments(engines[1])
	t.Logf("segments sent: %d and %d", a, b)
	if a+b != 300 {
		t.Errorf("the runs sent %d segments between them, want each of the 300 once", a+b)
	}
	if a == 0 || b == 0 {
		t.Errorf("one run sent everything (%d and %d)", a, b)
	}
}
