package tm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tm"
	"github.com/diglot/diglot/tm/tmtest"
)

func openSQLite(t *testing.T, path string, opts *tm.Options) *tm.SQLite {
	t.Helper()
	s, err := tm.Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestSQLiteConformance(t *testing.T) {
	tmtest.Run(t, func(t *testing.T, opts *tm.Options) tm.Store {
		return openSQLite(t, filepath.Join(t.TempDir(), "tm.db"), opts)
	})
}

func TestSQLiteReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "dirs", "tm.db")
	s := openSQLite(t, path, nil)
	es := []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: "a", Source: "甲", Target: "A", Origin: "copy", State: tm.Machine,
			Created: tmtest.Base, Updated: tmtest.Base, FirstSeen: "x.md"},
		{SourceLang: "zh", TargetLang: "en", Key: "b", Source: "乙", Target: "B", Origin: "human", State: tm.Reviewed,
			Created: tmtest.Base, Updated: tmtest.Base.Add(time.Second)},
	}
	if err := s.Put(ctx, es); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openSQLite(t, path, nil)
	defer s.Close()
	got, err := s.Get(ctx, "zh", "en", []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]tm.Entry{"a": es[0], "b": es[1]}, got); diff != "" {
		t.Errorf("after reopening (-want +got):\n%s", diff)
	}
}

func TestSQLiteOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a b", "c?d#e%20f", "tm.db")
	s := openSQLite(t, path, nil)
	defer s.Close()
	if err := s.Put(context.Background(), []tm.Entry{{SourceLang: "zh", TargetLang: "en", Key: "k", State: tm.Machine}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %s: %v", path, err)
	}
}

func TestSQLiteOpenErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// An SQLite file of some other application.
	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A diglot TM from the future.
	newer := filepath.Join(dir, "newer.db")
	s := openSQLite(t, newer, nil)
	s.Close()
	db, err = sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tt := range []struct {
		name   string
		path   string
		schema bool // want ErrSchema
	}{
		{"empty path", "", false},
		{"memory", ":memory:", false},
		{"text file", write("notes.txt", "not a database, just text that is long enough to have a header...\n"), false},
		{"foreign database", foreign, true},
		{"newer schema", newer, true},
		{"directory", dir, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tm.Open(context.Background(), tt.path, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
			if got := errors.Is(err, tm.ErrSchema); got != tt.schema {
				t.Errorf("Open(%q) = %v; errors.Is(ErrSchema) = %v, want %v", tt.path, err, got, tt.schema)
			}
		})
	}
}

// TestSQLiteBatchAtomic: a reader on another handle sees each Put batch
// entirely or not at all while a writer commits batch after batch.
func TestSQLiteBatchAtomic(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tm.db")
	w := openSQLite(t, path, nil)
	defer w.Close()
	r := openSQLite(t, path, nil)
	defer r.Close()
	const batches, size = 8, 1500
	keys := make([][]string, batches)
	for b := range batches {
		for i := range size {
			keys[b] = append(keys[b], fmt.Sprintf("b%d-%d", b, i))
		}
	}
	done := make(chan error, 1)
	go func() {
		for b := range batches {
			var es []tm.Entry
			for _, k := range keys[b] {
				es = append(es, tm.Entry{SourceLang: "zh", TargetLang: "en", Key: k, Source: k, Target: k, State: tm.Machine})
			}
			if err := w.Put(ctx, es); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		for b := range batches {
			got, err := r.Get(ctx, "zh", "en", keys[b])
			if err != nil {
				t.Fatalf("Get during writes: %v", err)
			}
			if n := len(got); n != 0 && n != size {
				t.Fatalf("reader saw %d of batch %d's %d entries", n, b, size)
			}
		}
	}
	st, err := r.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entries != batches*size {
		t.Errorf("Stats().Entries = %d, want %d", st.Entries, batches*size)
	}
}
