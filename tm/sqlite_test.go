package tm_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
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
	got, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"a", "b"}, Origin: "copy"})
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
			got, err := r.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: keys[b], Origin: tm.AnyOrigin})
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

// v1Schema is the file format of diglot before provenance (schema version
// 1): one entry per key. It is spelled out here, not taken from the
// package, so the test keeps checking what old files really hold.
const v1Schema = `CREATE TABLE entries (
	source_lang TEXT NOT NULL,
	target_lang TEXT NOT NULL,
	key         TEXT NOT NULL,
	source      TEXT NOT NULL,
	target      TEXT NOT NULL,
	origin      TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('machine', 'reviewed')),
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	first_seen  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (source_lang, target_lang, key)
) WITHOUT ROWID;
PRAGMA application_id = 1684499572;
PRAGMA user_version = 1;`

// TestSQLiteMigrateV1: a TM written before provenance opens and keeps its
// entries; the machine output of the offline engines is dropped; several
// processes may open it at once.
func TestSQLiteMigrateV1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tm.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(v1Schema); err != nil {
		t.Fatal(err)
	}
	ns := func(d time.Duration) int64 { return tmtest.Base.Add(d).UnixNano() }
	rows := []struct {
		key, target, origin, state string
		updated                    int64
		firstSeen                  string
	}{
		{"m", "machine", "openai:gpt-4o-mini", "machine", ns(0), "a.md"},
		{"r", "reviewed", "human", "reviewed", ns(time.Hour), "b.md"},
		{"old", "no model", "openai", "machine", ns(0), ""},
		{"p", "pseudo gibberish", "pseudo", "machine", ns(0), ""},
		{"c", "源c", "copy", "machine", ns(0), ""},
		{"rc", "a reviewer's fix of copy output", "copy", "reviewed", ns(0), ""},
	}
	for _, r := range rows {
		if _, err := db.Exec(`INSERT INTO entries VALUES ('zh', 'en', ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.key, "源"+r.key, r.target, r.origin, r.state, ns(0), r.updated, r.firstSeen); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	// Four handles open the old file at once: one migrates, none fails.
	stores := make([]*tm.SQLite, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = tm.Open(ctx, path, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	s := stores[0]

	var got []string
	if err := s.Each(ctx, nil, func(e tm.Entry) error {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", e.Key, e.State, e.Origin, e.Target, e.FirstSeen))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"m machine openai:gpt-4o-mini machine a.md",
		"old machine openai no model ",
		"r reviewed human reviewed b.md",
		"rc reviewed copy a reviewer's fix of copy output ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries after migration (-want +got):\n%s", diff)
	}
	e, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"m", "r", "old"}, Origin: "openai:gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	if len(e) != 2 || e["m"].Target != "machine" || e["r"].Target != "reviewed" || !e["r"].Updated.Equal(tmtest.Base.Add(time.Hour)) {
		t.Errorf("Get after migration = %+v", e)
	}
	// The new rules hold on the migrated file: a machine entry of another
	// origin goes beside the reviewed one and beside openai's.
	if err := s.Put(ctx, []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: "r", Target: "g", Origin: "google:nmt", State: tm.Machine},
		{SourceLang: "zh", TargetLang: "en", Key: "m", Target: "g", Origin: "google:nmt", State: tm.Machine},
	}); err != nil {
		t.Fatal(err)
	}
	for key, n := range map[string]int{"r": 2, "m": 2, "old": 1} {
		if vs, err := s.Variants(ctx, "zh", "en", key); err != nil || len(vs) != n {
			t.Errorf("Variants(%s) = %d entries, %v; want %d", key, len(vs), err, n)
		}
	}
	var version int
	if err := sqlDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != 3 {
		t.Errorf("user_version = %d, %v; want 3", version, err)
	}
}

// v2Schema is the file format with provenance but without markup (schema
// version 2), spelled out like v1Schema.
const v2Schema = `CREATE TABLE entries (
	source_lang TEXT NOT NULL,
	target_lang TEXT NOT NULL,
	key         TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('machine', 'reviewed')),
	slot        TEXT NOT NULL,
	source      TEXT NOT NULL,
	target      TEXT NOT NULL,
	origin      TEXT NOT NULL,
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	first_seen  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (source_lang, target_lang, key, state, slot)
) WITHOUT ROWID;
CREATE TABLE leases (
	source_lang TEXT NOT NULL,
	target_lang TEXT NOT NULL,
	key         TEXT NOT NULL,
	owner       TEXT NOT NULL,
	expires     INTEGER NOT NULL,
	PRIMARY KEY (source_lang, target_lang, key)
) WITHOUT ROWID;
CREATE INDEX leases_owner ON leases (owner, key);
PRAGMA application_id = 1684499572;
PRAGMA user_version = 2;`

// TestSQLiteMigrateV2: a TM written before entries carried markup opens
// with its entries intact and without markup; new entries store theirs,
// and a later Put without markup keeps it.
func TestSQLiteMigrateV2(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tm.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(v2Schema); err != nil {
		t.Fatal(err)
	}
	ns := tmtest.Base.UnixNano()
	if _, err := db.Exec(`INSERT INTO entries VALUES ('zh', 'en', 'k', 'machine', 'openai:gpt-4o-mini', '<g1>源</g1>', '<g1>src</g1>',
		'openai:gpt-4o-mini', ?, ?, 'a.md')`, ns, ns); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := openSQLite(t, path, nil)
	q := tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}, Origin: "openai:gpt-4o-mini"}
	got, err := s.Get(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "k", Source: "<g1>源</g1>", Target: "<g1>src</g1>",
		Origin: "openai:gpt-4o-mini", State: tm.Machine, Created: tmtest.Base, Updated: tmtest.Base, FirstSeen: "a.md"}
	if diff := cmp.Diff(map[string]tm.Entry{"k": want}, got); diff != "" {
		t.Errorf("Get after migration (-want +got):\n%s", diff)
	}
	markup := []tm.TagMarkup{{ID: 1, Open: "**", Close: "**"}}
	e := want
	e.Markup, e.Updated = markup, tmtest.Base.Add(time.Minute)
	if err := s.Put(ctx, []tm.Entry{e}); err != nil {
		t.Fatal(err)
	}
	e.Markup, e.Updated = nil, tmtest.Base.Add(2*time.Minute)
	if err := s.Put(ctx, []tm.Entry{e}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, q); err != nil || !cmp.Equal(markup, got["k"].Markup) {
		t.Errorf("markup after Puts with and then without it = %v, %v; want %v", got["k"].Markup, err, markup)
	}
	var version int
	if err := sqlDB(t, path).QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != 3 {
		t.Errorf("user_version = %d, %v; want 3", version, err)
	}
}

func sqlDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSQLiteClaimProcesses: three processes sharing one file claim
// overlapping keys at once; no key goes to two of them and together they
// take every key. SQLite serialises the claims with its write lock.
func TestSQLiteClaimProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	path := filepath.Join(t.TempDir(), "tm.db")
	openSQLite(t, path, nil).Close() // create it before the race
	const workers = 3
	// The processes start claiming together, at a time set ahead of their
	// start-up, so their claims interleave.
	start := time.Now().Add(time.Second).UnixNano()
	outs := make([][]string, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperClaimer$")
			cmd.Env = append(os.Environ(), "DIGLOT_TM_CLAIMER="+path, fmt.Sprintf("DIGLOT_TM_WORKER=%d", w),
				fmt.Sprintf("DIGLOT_TM_START=%d", start))
			out, err := cmd.Output()
			if err != nil {
				errs[w] = fmt.Errorf("worker %d: %v: %s", w, err, out)
				return
			}
			line, _, _ := bytes.Cut(out, []byte("\n"))
			errs[w] = json.Unmarshal(line, &outs[w])
		}()
	}
	wg.Wait()
	holder := map[string]int{}
	for w := range workers {
		if errs[w] != nil {
			t.Fatal(errs[w])
		}
		for _, k := range outs[w] {
			if h, ok := holder[k]; ok {
				t.Errorf("key %s granted to processes %d and %d", k, h, w)
			}
			holder[k] = w
		}
	}
	if len(holder) != claimKeys {
		t.Errorf("%d keys granted, want %d", len(holder), claimKeys)
	}
	for w := range workers {
		t.Logf("process %d got %d keys", w, len(outs[w]))
	}
}

const claimKeys = 600

// TestHelperClaimer is a worker process of TestSQLiteClaimProcesses: it
// claims its share of the keys in rounds and prints what it was granted.
func TestHelperClaimer(t *testing.T) {
	path := os.Getenv("DIGLOT_TM_CLAIMER")
	if path == "" {
		t.Skip("helper process")
	}
	w, _ := strconv.Atoi(os.Getenv("DIGLOT_TM_WORKER"))
	s, err := tm.Open(context.Background(), path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer s.Close()
	// An owner of another machine, as far as the store can tell: these
	// processes exit before the others have claimed, and the leases of a
	// local process that has ended are void (TestClaimFromDeadProcess).
	owner := fmt.Sprintf("test-host-%d:%d:00", w, os.Getpid())
	var granted []string
	seen := map[string]bool{} // an owner's own keys are granted again
	at, _ := strconv.ParseInt(os.Getenv("DIGLOT_TM_START"), 10, 64)
	time.Sleep(time.Until(time.Unix(0, at)))
	for round := range 30 {
		var ks []string
		for i := range claimKeys / 15 {
			ks = append(ks, fmt.Sprintf("k%04d", (round*claimKeys/30+i+w*97)%claimKeys))
		}
		got, err := s.Claim(context.Background(), owner, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: "o"}, time.Hour)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, k := range got {
			if !seen[k] {
				seen[k] = true
				granted = append(granted, k)
			}
		}
	}
	b, _ := json.Marshal(granted)
	fmt.Printf("%s\n", b)
}
