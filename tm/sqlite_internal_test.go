package tm

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)

func testEntry(key string) Entry {
	return Entry{SourceLang: "zh", TargetLang: "en", Key: key, Source: "源" + key, Target: "t" + key,
		Origin: "copy", State: Machine, Created: t0, Updated: t0}
}

func mustOpen(t *testing.T, path string, opts *Options) *SQLite {
	t.Helper()
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func foundKeys(t *testing.T, s Store, keys ...string) []string {
	t.Helper()
	got, err := s.Get(context.Background(), Query{SourceLang: "zh", TargetLang: "en", Keys: keys, Origin: AnyOrigin})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	var ks []string
	for k := range got {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// beginWrite opens a write transaction on s's own database handle with one
// uncommitted entry, the state a run is in while it commits a batch.
func beginWrite(t *testing.T, s *SQLite, key string) *sql.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := prepare(testEntry(key), time.Now, &s.langs)
	if _, err := tx.StmtContext(ctx, s.upsert).ExecContext(ctx, e.SourceLang, e.TargetLang, e.Key, e.Source, e.Target,
		e.Origin, string(e.State), e.Created.UnixNano(), e.Updated.UnixNano(), e.FirstSeen, encodeMarkup(e.Markup), e.Slot()); err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestSQLiteReaderDuringWrite: a second handle reads the committed state,
// without waiting, while the first holds a write transaction; a second
// writer waits and gives up after its busy timeout; after the commit the
// reader sees the new entry.
func TestSQLiteReaderDuringWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tm.db")
	w := mustOpen(t, path, nil)
	if err := w.Put(context.Background(), []Entry{testEntry("old")}); err != nil {
		t.Fatal(err)
	}
	r := mustOpen(t, path, &Options{BusyTimeout: 20 * time.Millisecond})
	tx := beginWrite(t, w, "new")
	defer tx.Rollback()

	if diff := cmp.Diff([]string{"old"}, foundKeys(t, r, "old", "new")); diff != "" {
		t.Errorf("reader during an open write transaction (-want +got):\n%s", diff)
	}
	if _, err := r.Stats(context.Background()); err != nil {
		t.Errorf("Stats during a write: %v", err)
	}
	// A second process can still open the store (no migration needed).
	r2 := mustOpen(t, path, &Options{BusyTimeout: 20 * time.Millisecond})
	if diff := cmp.Diff([]string{"old"}, foundKeys(t, r2, "old", "new")); diff != "" {
		t.Errorf("handle opened during a write (-want +got):\n%s", diff)
	}
	if err := r.Put(context.Background(), []Entry{testEntry("other")}); err == nil {
		t.Error("a second writer got the write lock while a transaction held it")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"new", "old"}, foundKeys(t, r, "old", "new")); diff != "" {
		t.Errorf("reader after commit (-want +got):\n%s", diff)
	}
}

// TestSQLiteReaderProcess is TestSQLiteReaderDuringWrite with the reader in
// another process, as `diglot tm stats` would be during a run.
func TestSQLiteReaderProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	path := filepath.Join(t.TempDir(), "tm.db")
	w := mustOpen(t, path, nil)
	if err := w.Put(context.Background(), []Entry{testEntry("old")}); err != nil {
		t.Fatal(err)
	}
	tx := beginWrite(t, w, "new")
	defer tx.Rollback()

	read := func() []string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperReader$")
		cmd.Env = append(os.Environ(), "DIGLOT_TM_READER="+path)
		outb, err := cmd.Output()
		if err != nil {
			t.Fatalf("reader process: %v", err)
		}
		var keys []string
		line, _, _ := bytes.Cut(outb, []byte("\n")) // the test binary prints PASS after it
		if err := json.Unmarshal(line, &keys); err != nil {
			t.Fatalf("reader process output %q: %v", outb, err)
		}
		return keys
	}
	if diff := cmp.Diff([]string{"old"}, read()); diff != "" {
		t.Errorf("reader process during a write (-want +got):\n%s", diff)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"new", "old"}, read()); diff != "" {
		t.Errorf("reader process after commit (-want +got):\n%s", diff)
	}
}

// TestHelperReader is the reader process of TestSQLiteReaderProcess.
func TestHelperReader(t *testing.T) {
	path := os.Getenv("DIGLOT_TM_READER")
	if path == "" {
		t.Skip("helper process")
	}
	s, err := Open(context.Background(), path, &Options{BusyTimeout: 20 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer s.Close()
	keys := foundKeys(t, s, "old", "new")
	b, _ := json.Marshal(keys)
	fmt.Printf("%s\n", b)
}

func TestSQLitePragmas(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "tm.db"), nil)
	ctx := context.Background()
	for _, tt := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "10000"},
		{"user_version", fmt.Sprint(schemaVersion)},
		{"application_id", fmt.Sprint(applicationID)},
	} {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
}
