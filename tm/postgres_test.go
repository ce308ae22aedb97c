package tm_test

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/diglot/diglot/tm"
	"github.com/diglot/diglot/tm/tmtest"
)

// pgURL returns the test server's URL (DIGLOT_TEST_PG_URL, which .ci/run
// sets after starting a throwaway server). Without a reachable server the
// test skips with a loud line, except in CI (CI=true), where it fails: CI
// must run these tests.
func pgURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DIGLOT_TEST_PG_URL")
	why := "DIGLOT_TEST_PG_URL is not set"
	if u != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, u)
		if err == nil {
			conn.Close(ctx)
			return u
		}
		why = fmt.Sprintf("no PostgreSQL server at DIGLOT_TEST_PG_URL: %v", err)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL tests cannot run in CI: %s", why)
	}
	t.Skipf("SKIPPING PostgreSQL tests: %s (eval \"$(.ci/postgres.sh start)\" starts a server)", why)
	return ""
}

// pgSchema creates an empty schema for one test and returns the URL that
// selects it (search_path), dropping the schema when the test ends.
func pgSchema(t testing.TB) string {
	t.Helper()
	base := pgURL(t)
	var b [6]byte
	crand.Read(b[:])
	schema := "tm_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func openPG(t testing.TB, dbURL string, opts *tm.Options) *tm.Postgres {
	t.Helper()
	s, err := tm.OpenPostgres(context.Background(), dbURL, opts)
	if err != nil {
		t.Fatalf("OpenPostgres: %v", err)
	}
	return s
}

func TestPostgresConformance(t *testing.T) {
	pgURL(t)
	tmtest.Run(t, func(t *testing.T, opts *tm.Options) tm.Store {
		return openPG(t, pgSchema(t), opts)
	})
}

// TestPostgresMigrate: processes that start at once on an empty database
// all open it; one migrates; a database from a newer diglot is refused.
func TestPostgresMigrate(t *testing.T) {
	u := pgSchema(t)
	ctx := context.Background()
	stores := make([]*tm.Postgres, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = tm.OpenPostgres(ctx, u, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("OpenPostgres %d of 4 at once: %v", i, err)
		}
	}
	if err := stores[0].Put(ctx, []tm.Entry{{SourceLang: "zh", TargetLang: "en", Key: "k", Target: "t", Origin: "o", State: tm.Machine}}); err != nil {
		t.Fatal(err)
	}
	got, err := stores[3].Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}, Origin: "o"})
	if err != nil || got["k"].Target != "t" {
		t.Errorf("another handle's Get = %v, %v", got, err)
	}
	for _, s := range stores {
		s.Close()
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version); err != nil || version != 2 {
		t.Errorf("schema_version = %d, %v; want 2", version, err)
	}
	if _, err := conn.Exec(ctx, `UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	if s, err := tm.OpenPostgres(ctx, u, nil); !errors.Is(err, tm.ErrSchema) {
		if s != nil {
			s.Close()
		}
		t.Errorf("OpenPostgres of a newer schema = %v, want ErrSchema", err)
	}
}

// pgV1Schema is the PostgreSQL TM before entries carried markup (schema
// version 1), spelled out so the test keeps checking what old databases
// really hold.
const pgV1Schema = `CREATE TABLE entries (
	source_lang text COLLATE "C" NOT NULL,
	target_lang text COLLATE "C" NOT NULL,
	key         text COLLATE "C" NOT NULL,
	state       text COLLATE "C" NOT NULL CHECK (state IN ('machine', 'reviewed')),
	slot        text COLLATE "C" NOT NULL,
	source      bytea NOT NULL,
	target      bytea NOT NULL,
	origin      text COLLATE "C" NOT NULL,
	created     bigint NOT NULL,
	updated     bigint NOT NULL,
	first_seen  text COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (source_lang, target_lang, key, state, slot)
);
CREATE TABLE leases (
	source_lang text COLLATE "C" NOT NULL,
	target_lang text COLLATE "C" NOT NULL,
	key         text COLLATE "C" NOT NULL,
	owner       text COLLATE "C" NOT NULL,
	expires     timestamptz NOT NULL,
	PRIMARY KEY (source_lang, target_lang, key)
);
CREATE INDEX leases_owner ON leases (owner, key);
CREATE TABLE schema_version (version integer NOT NULL);
INSERT INTO schema_version (version) VALUES (1);`

// TestPostgresMigrateV1: a database from before markup keeps its entries,
// which come back without markup, and takes markup from then on.
func TestPostgresMigrateV1(t *testing.T) {
	u := pgSchema(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, pgV1Schema); err != nil {
		t.Fatal(err)
	}
	ns := tmtest.Base.UnixNano()
	if _, err := conn.Exec(ctx, `INSERT INTO entries VALUES ('zh', 'en', 'k', 'reviewed', '', $1, $2, 'human', $3, $3, 'a.md')`,
		[]byte("<x1/>源"), []byte("<x1/>src"), ns); err != nil {
		t.Fatal(err)
	}
	s := openPG(t, u, nil)
	q := tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}}
	want := tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "k", Source: "<x1/>源", Target: "<x1/>src",
		Origin: "human", State: tm.Reviewed, Created: tmtest.Base, Updated: tmtest.Base, FirstSeen: "a.md"}
	got, err := s.Get(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]tm.Entry{"k": want}, got); diff != "" {
		t.Errorf("Get after migration (-want +got):\n%s", diff)
	}
	want.Markup, want.Updated = []tm.TagMarkup{{ID: 1, Open: "![](a.png)"}}, tmtest.Base.Add(time.Minute)
	if err := s.Put(ctx, []tm.Entry{want}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, q); err != nil || !cmp.Equal(want, got["k"]) {
		t.Errorf("Get after a Put with markup = %+v, %v; want %+v", got["k"], err, want)
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version); err != nil || version != 2 {
		t.Errorf("schema_version = %d, %v; want 2", version, err)
	}
}

// TestPostgresOpenErrors: a bad URL or an unreachable server fails, and the
// error never shows the password.
func TestPostgresOpenErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, u := range []string{
		"postgres://diglot:s3cret-pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		"postgres://diglot:s3cret-pw@[::1:bad/none",
	} {
		s, err := tm.OpenPostgres(ctx, u, nil)
		if err == nil {
			s.Close()
			t.Fatalf("OpenPostgres(%s) succeeded", u)
		}
		if strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("OpenPostgres error shows the password: %v", err)
		}
	}
}

// TestPostgresClaimHandles: four handles (the pools of four processes or
// machines) claim overlapping keys at once; no key goes to two of them,
// and a handle that dies without releasing gives its keys back after the
// lease.
func TestPostgresClaimHandles(t *testing.T) {
	u := pgSchema(t)
	ctx := context.Background()
	const workers, keys = 4, 600
	var all []string
	for i := range keys {
		all = append(all, fmt.Sprintf("k%04d", i))
	}
	var mu sync.Mutex
	holder := map[string]int{}
	var wg sync.WaitGroup
	for w := range workers {
		s := openPG(t, u, nil)
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 6 {
				ks := make([]string, 0, keys/3)
				for i := range keys / 3 {
					ks = append(ks, all[(round*keys/6+i+w*71)%keys])
				}
				got, err := s.Claim(ctx, fmt.Sprint("worker", w), tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: "o"}, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, k := range got {
					if h, ok := holder[k]; ok && h != w {
						t.Errorf("key %s granted to worker %d and %d", k, h, w)
					}
					holder[k] = w
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(holder) != keys {
		t.Errorf("%d keys granted, want %d", len(holder), keys)
	}

	// A worker claims, stores half, and dies; another takes the rest once
	// the lease has run out.
	dead := openPG(t, u, nil)
	fresh := []string{"x1", "x2", "x3", "x4"}
	q := tm.Query{SourceLang: "zh", TargetLang: "en", Keys: fresh, Origin: "o"}
	if got, err := dead.Claim(ctx, "dead", q, 300*time.Millisecond); err != nil || len(got) != 4 {
		t.Fatalf("Claim = %v, %v", got, err)
	}
	if err := dead.Put(ctx, []tm.Entry{
		{SourceLang: "zh", TargetLang: "en", Key: "x1", Origin: "o", State: tm.Machine},
		{SourceLang: "zh", TargetLang: "en", Key: "x2", Origin: "o", State: tm.Machine},
	}); err != nil {
		t.Fatal(err)
	}
	dead.Close()
	live := openPG(t, u, nil)
	defer live.Close()
	if got, _ := live.Claim(ctx, "live", q, time.Hour); len(got) != 0 {
		t.Errorf("claimed %v under a live lease", got)
	}
	time.Sleep(600 * time.Millisecond)
	got, err := live.Claim(ctx, "live", q, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"x3", "x4"}, got); diff != "" {
		t.Errorf("keys of a dead worker (-want +got):\n%s", diff)
	}
}

// TestPostgresClaimLockOrder: handles claim, renew and release
// overlapping key lists at once, listed in opposite orders, one statement
// per key. Every statement must take its row locks in one order: a
// deadlock the server breaks fails a claim (and with it a batch of
// files), so the store retries one, and this test wants none retried.
func TestPostgresClaimLockOrder(t *testing.T) {
	u := pgSchema(t)
	// Handles that lock in different orders deadlock again at every try,
	// for as long as they try: give up in time to say so.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const workers, keys, rounds = 4, 100, 8
	var handles []*tm.Postgres
	for range workers {
		s := openPG(t, u, nil)
		defer s.Close()
		tm.SetClaimChunk(s, 1)
		handles = append(handles, s)
	}
	for round := range rounds {
		var all []string
		for i := range keys {
			all = append(all, fmt.Sprintf("r%d-k%04d", round, i))
		}
		// Every handle starts at once; half list the keys backwards, so
		// without one lock order the first lease of one is the last of
		// another, and they meet in the middle.
		var wg sync.WaitGroup
		for w, s := range handles {
			wg.Go(func() {
				owner := fmt.Sprint("worker", w)
				ks := slices.Clone(all)
				if w%2 == 1 {
					slices.Reverse(ks)
				}
				got, err := s.Claim(ctx, owner, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: "o"}, time.Hour)
				if err == nil {
					err = s.Renew(ctx, owner, time.Hour)
				}
				if err == nil {
					rand.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
					err = s.Release(ctx, owner, got[:len(got)/2])
				}
				if err != nil {
					t.Errorf("round %d, worker %d: %v", round, w, err)
				}
			})
		}
		wg.Wait()
	}
	for w, s := range handles {
		if n := tm.Retried(s); n > 0 {
			t.Errorf("worker %d: %d transactions retried after a deadlock", w, n)
		}
	}
}

// BenchmarkPostgresGetBatch is BenchmarkGetBatch1M on PostgreSQL: one Get
// of 10,000 keys against 10,000 Gets of one key, as a ratio in one run, in
// a store of DIGLOT_TM_BENCH_SIZE entries (default 200,000: building a
// million over one connection takes minutes).
//
//	DIGLOT_TEST_PG_URL=… go test -run '^$' -bench BenchmarkPostgresGetBatch -benchtime 5x ./tm
func BenchmarkPostgresGetBatch(b *testing.B) {
	size := 200_000
	if v := os.Getenv("DIGLOT_TM_BENCH_SIZE"); v != "" {
		var err error
		if size, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	s := openPG(b, pgSchema(b), nil)
	defer s.Close()
	ctx := context.Background()
	start := time.Now()
	const batch = 20_000
	es := make([]tm.Entry, 0, batch)
	for i := range size {
		es = append(es, benchEntry(i))
		if len(es) == batch || i == size-1 {
			if err := s.Put(ctx, es); err != nil {
				b.Fatal(err)
			}
			es = es[:0]
		}
	}
	build := time.Since(start)
	const n = 10_000
	r := rand.New(rand.NewPCG(3, 4))
	keys := func() []string {
		ks := make([]string, n)
		for i := range ks {
			if r.IntN(10) == 0 {
				ks[i] = benchKey(size + r.IntN(size))
			} else {
				ks[i] = benchKey(r.IntN(size))
			}
		}
		return ks
	}
	q := func(ks []string) tm.Query {
		return tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: "openai:gpt-4o-mini"}
	}
	var one, single time.Duration
	b.ResetTimer()
	for i := range b.N {
		batchGet := func() {
			ks := keys()
			t := time.Now()
			got, err := s.Get(ctx, q(ks))
			one += time.Since(t)
			if err != nil || len(got) < n/2 {
				b.Fatalf("Get of %d keys found %d: %v", n, len(got), err)
			}
		}
		eachGet := func() {
			ks := keys()
			t := time.Now()
			for _, k := range ks {
				if _, err := s.Get(ctx, q([]string{k})); err != nil {
					b.Fatal(err)
				}
			}
			single += time.Since(t)
		}
		if i%2 == 0 {
			batchGet()
			eachGet()
		} else {
			eachGet()
			batchGet()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(one.Microseconds())/float64(b.N)/1e3, "batch-ms/10k")
	b.ReportMetric(float64(single.Microseconds())/float64(b.N)/1e3, "single-ms/10k")
	b.ReportMetric(float64(single)/float64(one), "single/batch")
	b.ReportMetric(float64(size), "entries")
	b.ReportMetric(build.Seconds(), "build-s")
}
