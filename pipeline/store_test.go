package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/diglot/diglot/out"
	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tm"
)

// errDown is what a PostgreSQL store says once its server has stopped.
var errDown = errors.New("tm: put: failed to connect to `host=db user=diglot`: dial tcp 10.0.0.5:5432: connect: connection refused")

// flakyStore is a shared memory (a tm.Claimer, as PostgreSQL is) whose
// Put fails when down says so for its nth call (1-based). Once a Put has
// failed, and until one succeeds, lease releases fail too, as they would
// against a stopped server.
type flakyStore struct {
	mem  *tm.Memory
	down func(put int) bool
	// claimDown, if set, says when the nth Claim (1-based) fails.
	claimDown func(claim int) bool
	claims    int
	// onFail, if set, is called at the first failure.
	onFail func()

	mu     sync.Mutex
	puts   int
	failed bool
	once   sync.Once
}

func (s *flakyStore) Get(ctx context.Context, q tm.Query) (map[string]tm.Entry, error) {
	return s.mem.Get(ctx, q)
}

func (s *flakyStore) Put(ctx context.Context, es []tm.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	if s.down != nil && s.down(s.puts) {
		s.failed = true
		if s.onFail != nil {
			s.once.Do(s.onFail)
		}
		return errDown
	}
	s.failed = false
	return s.mem.Put(ctx, es)
}

func (s *flakyStore) Claim(ctx context.Context, owner string, q tm.Query, ttl time.Duration) ([]string, error) {
	s.mu.Lock()
	s.claims++
	if s.claimDown != nil && s.claimDown(s.claims) {
		s.failed = true
		if s.onFail != nil {
			s.once.Do(s.onFail)
		}
		s.mu.Unlock()
		return nil, errDown
	}
	s.mu.Unlock()
	return s.mem.Claim(ctx, owner, q, ttl)
}

func (s *flakyStore) Renew(ctx context.Context, owner string, ttl time.Duration) error {
	return s.mem.Renew(ctx, owner, ttl)
}

func (s *flakyStore) Release(ctx context.Context, owner string, keys []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failed {
		return errors.New("tm: release: failed to connect: connection refused")
	}
	return s.mem.Release(ctx, owner, keys)
}

func (s *flakyStore) Close() error { return nil }

// manyFiles writes files articles of paras distinct paragraphs each.
func manyFiles(t *testing.T, dir string, files, paras int) {
	t.Helper()
	for i := range files {
		var b strings.Builder
		for j := range paras {
			fmt.Fprintf(&b, "第%d篇文章的第%d段。\n\n", i, j)
		}
		writeFile(t, filepath.Join(dir, fmt.Sprintf("a%02d.md", i)), b.String())
	}
}

// storedTargets is every target text in mem.
func storedTargets(t *testing.T, mem *tm.Memory) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, e := range entries(t, mem) {
		got[e.Target] = true
	}
	return got
}

// TestMemoryGoneStopsTheRun: when the memory cannot store results the run
// stops sending at once (only requests already in flight come back), says
// why in one line, reports the files it did not finish as not done, writes
// no output holding a translation the memory lacks, and a rerun pays only
// for what was not stored. A passing fault costs a retry, not the run.
func TestMemoryGoneStopsTheRun(t *testing.T) {
	const files, paras, concurrency = 30, 3, 2
	tests := []struct {
		name      string
		down      func(put int) bool
		claimDown func(claim int) bool
		gone      bool // for good, not for a moment
	}{
		{"gone after 3 stores", func(n int) bool { return n > 3 }, nil, true},
		{"gone from the start", func(int) bool { return true }, nil, true},
		{"a hiccup of two failures", func(n int) bool { return n == 4 || n == 5 }, nil, false},
		{"claims refused after 2", nil, func(n int) bool { return n > 2 }, true},
		{"a claim hiccup", nil, func(n int) bool { return n == 2 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, bi := t.TempDir(), t.TempDir()
			manyFiles(t, in, files, paras)
			mem := tm.NewMemory(nil)
			eng := &fakeEngine{lim: providers.Limits{MaxSegments: 2, Concurrency: concurrency}, tr: latin}
			var logs bytes.Buffer
			atFailure := -1
			store := &flakyStore{mem: mem, down: tt.down, claimDown: tt.claimDown, onFail: func() { atFailure, _ = eng.sent() }}
			o := runOpts(eng, "real", bi, store)
			o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
			// The memory is gone when the run ends, so its leases cannot be
			// released: they must expire before the rerun may claim them.
			o.LeaseTTL = time.Millisecond
			rep := mustTranslate(t, in, o)
			requests, _ := eng.sent()
			t.Logf("%d requests; stopped: %s", requests, rep.Stopped)

			if !tt.gone {
				if rep.Stopped != "" || rep.Failed() || rep.Totals.FilesOK != files {
					t.Fatalf("a passing fault stopped the run: stopped %q, totals %+v", rep.Stopped, rep.Totals)
				}
				return
			}
			// Only the requests the workers held when the store failed.
			if after := requests - atFailure; atFailure < 0 || after > concurrency {
				t.Errorf("%d requests, %d of them after the store failed, want at most %d", requests, after, concurrency)
			}
			if !strings.HasPrefix(rep.Stopped, "translation memory unavailable: ") ||
				strings.Count(rep.Stopped, errDown.Error()) != 1 || !strings.Contains(rep.Stopped, "not stored") {
				t.Errorf("stopped = %q, want the memory's error once, and what was lost", rep.Stopped)
			}
			if !rep.Failed() {
				t.Error("a run the memory stopped must exit non-zero (Report.Failed)")
			}
			if len(rep.Failures) != 0 || rep.Totals.Failed != 0 {
				t.Errorf("%d segment failures (%d failed): the cause is said once, in stopped", len(rep.Failures), rep.Totals.Failed)
			}
			if n := strings.Count(logs.String(), "\n"); n > 1 {
				t.Errorf("%d warnings, want at most one:\n%s", n, logs.String())
			}
			checkOutputsStored(t, rep, mem)
			if rep.Totals.FilesNotDone == 0 || rep.Totals.FilesOK+rep.Totals.FilesNotDone != files {
				t.Errorf("totals %+v: want every file ok or not done, some not done", rep.Totals)
			}

			// The memory is back: the rerun sends what was not stored, once.
			stored := len(entries(t, mem))
			again := &fakeEngine{lim: eng.lim, tr: latin}
			rep = mustTranslate(t, in, runOpts(again, "real", bi, &flakyStore{mem: mem}))
			if _, segs := again.sent(); segs != files*paras-stored || rep.Failed() || rep.Totals.FilesOK != files {
				t.Errorf("rerun sent %d segments, want %d; stopped %q, totals %+v", segs, files*paras-stored, rep.Stopped, rep.Totals)
			}
		})
	}
}

// checkOutputsStored checks that files written hold only translations that
// are in the memory, and files not done were not written.
func checkOutputsStored(t *testing.T, rep *Report, mem *tm.Memory) {
	t.Helper()
	stored := storedTargets(t, mem)
	for _, f := range rep.Files {
		switch f.Status {
		case StatusInterrupted:
			if _, err := os.Stat(f.Output); err == nil || f.Error == "" {
				t.Errorf("file not done: %+v, want no output and a reason", f)
			}
			continue
		case StatusOK:
		default:
			t.Errorf("file %s: status %s", f.Path, f.Status)
			continue
		}
		data, err := os.ReadFile(f.Output)
		if err != nil {
			t.Fatal(err)
		}
		bf, err := out.ReadBilingual(f.Output, data, out.Format{})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range bf.Units {
			for _, target := range u.Targets {
				if !stored[target] {
					t.Errorf("%s: target %q is not in the memory", f.Output, target)
				}
			}
		}
	}
}
