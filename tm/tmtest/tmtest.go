// Package tmtest is the conformance suite for implementations of tm.Store:
// every store (Memory, SQLite, a future server-backed one) runs it, so they
// all keep the same precedence rules and batch semantics.
//
//	func TestConformance(t *testing.T) {
//		tmtest.Run(t, func(t *testing.T, opts *tm.Options) tm.Store {
//			return tm.NewMemory(opts)
//		})
//	}
//
// Optional capabilities (tm.Enumerator, tm.StatsReporter, tm.Deleter,
// tm.Replacer) are tested when the store implements them and skipped
// otherwise.
package tmtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/diglot/diglot/tm"
)

// Opener returns a new, empty store using opts (whose Now is the suite's
// clock). The suite closes it.
type Opener func(t *testing.T, opts *tm.Options) tm.Store

// Base is the suite's clock at its start, in whole seconds so that entries
// survive a TMX round trip unchanged.
var Base = time.Date(2026, 11, 26, 1, 0, 0, 0, time.UTC)

// Clock is a settable clock for stores' Options.Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Run runs the conformance suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("PutGet", func(t *testing.T) { testPutGet(t, open) })
	t.Run("Precedence", func(t *testing.T) { testPrecedence(t, open) })
	t.Run("BatchInOrder", func(t *testing.T) { testBatchInOrder(t, open) })
	t.Run("ZeroTimes", func(t *testing.T) { testZeroTimes(t, open) })
	t.Run("InvalidBatchStoresNothing", func(t *testing.T) { testInvalid(t, open) })
	t.Run("Languages", func(t *testing.T) { testLanguages(t, open) })
	t.Run("LargeBatchGet", func(t *testing.T) { testLargeGet(t, open) })
	t.Run("TextVerbatim", func(t *testing.T) { testVerbatim(t, open) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Each", func(t *testing.T) { testEach(t, open) })
	t.Run("Stats", func(t *testing.T) { testStats(t, open) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, open) })
	t.Run("Closed", func(t *testing.T) { testClosed(t, open) })
}

func newStore(t *testing.T, open Opener) (tm.Store, *Clock) {
	t.Helper()
	c := NewClock(Base)
	s := open(t, &tm.Options{Now: c.Now})
	t.Cleanup(func() { s.Close() })
	return s, c
}

// entry returns a zh->en entry for key with every field set.
func entry(key string, state tm.State, updated time.Time) tm.Entry {
	return tm.Entry{
		SourceLang: "zh", TargetLang: "en", Key: key,
		Source: "源" + key, Target: "target " + key + " " + string(state) + " " + updated.Format(time.TimeOnly),
		Origin: "openai:gpt-4o-mini", State: state,
		Created: updated, Updated: updated, FirstSeen: "a/" + key + ".md",
	}
}

func put(t *testing.T, s tm.Store, es ...tm.Entry) {
	t.Helper()
	if err := s.Put(context.Background(), es); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func get(t *testing.T, s tm.Store, src, tgt string, keys ...string) map[string]tm.Entry {
	t.Helper()
	got, err := s.Get(context.Background(), src, tgt, keys)
	if err != nil {
		t.Fatalf("Get(%s, %s, %d keys): %v", src, tgt, len(keys), err)
	}
	return got
}

func testPutGet(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	a := entry("a", tm.Machine, Base)
	b := entry("b", tm.Reviewed, Base.Add(time.Hour))
	b.Origin = tm.OriginHuman
	put(t, s, a, b)
	got := get(t, s, "zh", "en", "a", "b", "missing")
	want := map[string]tm.Entry{"a": a, "b": b}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	if got := get(t, s, "zh", "en"); len(got) != 0 {
		t.Errorf("Get with no keys = %v, want empty", got)
	}
	if err := s.Put(context.Background(), nil); err != nil {
		t.Errorf("Put(nil) = %v", err)
	}
}

func testPrecedence(t *testing.T, open Opener) {
	t0, t1 := Base, Base.Add(time.Minute)
	tests := []struct {
		name     string
		old, new tm.Entry
		wantNew  bool // whether new replaces old
	}{
		{"machine over machine", entry("k", tm.Machine, t0), entry("k", tm.Machine, t1), true},
		{"older machine over machine (--force)", entry("k", tm.Machine, t1), entry("k", tm.Machine, t0), true},
		{"machine over reviewed", entry("k", tm.Reviewed, t0), entry("k", tm.Machine, t1), false},
		{"reviewed over machine", entry("k", tm.Machine, t1), entry("k", tm.Reviewed, t0), true},
		{"newer reviewed over reviewed", entry("k", tm.Reviewed, t0), entry("k", tm.Reviewed, t1), true},
		{"older reviewed over reviewed", entry("k", tm.Reviewed, t1), entry("k", tm.Reviewed, t0), false},
		{"reviewed at the same time", entry("k", tm.Reviewed, t0), withTarget(entry("k", tm.Reviewed, t0), "tie"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tm.Supersedes(tt.new, tt.old); got != tt.wantNew {
				t.Errorf("Supersedes(new, old) = %v, want %v", got, tt.wantNew)
			}
			s, _ := newStore(t, open)
			put(t, s, tt.old)
			n := tt.new
			n.FirstSeen = "b/other.md"
			put(t, s, n)
			got := get(t, s, "zh", "en", "k")["k"]
			want := tt.old
			if tt.wantNew {
				want = tt.new
				// The first place seen and the earliest creation stay.
				want.FirstSeen = tt.old.FirstSeen
				if tt.old.Created.Before(want.Created) {
					want.Created = tt.old.Created
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after Put(old), Put(new): (-want +got):\n%s", diff)
			}
		})
	}
}

func withTarget(e tm.Entry, target string) tm.Entry {
	e.Target = target
	return e
}

func testBatchInOrder(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	r := entry("k", tm.Reviewed, Base)
	m := entry("k", tm.Machine, Base.Add(time.Hour))
	m2 := withTarget(entry("j", tm.Machine, Base), "first")
	m3 := withTarget(entry("j", tm.Machine, Base), "second")
	put(t, s, r, m, m2, m3)
	got := get(t, s, "zh", "en", "k", "j")
	want := map[string]tm.Entry{"k": r, "j": m3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("one Put applied in order (-want +got):\n%s", diff)
	}
}

func testZeroTimes(t *testing.T, open Opener) {
	s, c := newStore(t, open)
	e := entry("k", tm.Machine, time.Time{})
	c.Advance(42 * time.Second)
	put(t, s, e)
	got := get(t, s, "zh", "en", "k")["k"]
	now := Base.Add(42 * time.Second)
	if !got.Created.Equal(now) || !got.Updated.Equal(now) {
		t.Errorf("zero times stored as created %v, updated %v; want both %v", got.Created, got.Updated, now)
	}
	// Times come back in UTC whatever zone they were put in.
	z := entry("z", tm.Machine, Base.In(time.FixedZone("CST", 8*3600)))
	put(t, s, z)
	if got := get(t, s, "zh", "en", "z")["z"]; got.Updated.Location() != time.UTC || !got.Updated.Equal(Base) {
		t.Errorf("Updated = %v, want %v in UTC", got.Updated, Base)
	}
}

func testInvalid(t *testing.T, open Opener) {
	bad := []struct {
		name string
		e    tm.Entry
	}{
		{"empty key", withKey(entry("x", tm.Machine, Base), "")},
		{"no state", withState(entry("x", "", Base), "")},
		{"unknown state", withState(entry("x", "", Base), "approved")},
		{"empty source language", tm.Entry{TargetLang: "en", Key: "x", State: tm.Machine}},
		{"bad target language", tm.Entry{SourceLang: "zh", TargetLang: "not a language!", Key: "x", State: tm.Machine}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t, open)
			err := s.Put(context.Background(), []tm.Entry{entry("good", tm.Machine, Base), tt.e})
			if !errors.Is(err, tm.ErrInvalidEntry) {
				t.Fatalf("Put(%+v) = %v, want ErrInvalidEntry", tt.e, err)
			}
			if got := get(t, s, "zh", "en", "good"); len(got) != 0 {
				t.Errorf("a failed Put stored %v, want nothing", got)
			}
		})
	}
}

func withKey(e tm.Entry, k string) tm.Entry         { e.Key = k; return e }
func withState(e tm.Entry, st tm.State) tm.Entry    { e.State = st; return e }
func withPair(e tm.Entry, src, tgt string) tm.Entry { e.SourceLang, e.TargetLang = src, tgt; return e }
func withOrigin(e tm.Entry, origin string) tm.Entry { e.Origin = origin; return e }

func testLanguages(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	put(t, s,
		withTarget(withPair(entry("k", tm.Machine, Base), "zh-cn", "EN"), "simplified"),
		withTarget(withPair(entry("k", tm.Machine, Base), "zh-TW", "en"), "traditional"),
		withTarget(withPair(entry("k", tm.Machine, Base), "en", "zh-CN"), "reverse"),
	)
	for _, tt := range []struct{ src, tgt, want string }{
		{"zh-CN", "en", "simplified"},
		{"ZH-cn", "en", "simplified"},
		{"zh-TW", "en", "traditional"},
		{"en", "zh-cn", "reverse"},
		{"zh", "en", ""},
	} {
		got := get(t, s, tt.src, tt.tgt, "k")
		if got["k"].Target != tt.want {
			t.Errorf("Get(%s, %s, k).Target = %q, want %q", tt.src, tt.tgt, got["k"].Target, tt.want)
		}
		if e, ok := got["k"]; ok && (e.SourceLang == tt.src && tt.src == "ZH-cn") {
			t.Errorf("SourceLang = %q, want canonical zh-CN", e.SourceLang)
		}
	}
	if e := get(t, s, "zh-CN", "en", "k")["k"]; e.SourceLang != "zh-CN" || e.TargetLang != "en" {
		t.Errorf("stored pair = %s, %s; want zh-CN, en", e.SourceLang, e.TargetLang)
	}
	if _, err := s.Get(context.Background(), "", "en", []string{"k"}); err == nil {
		t.Error("Get with an empty source language succeeded")
	}
}

func testLargeGet(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	const n = 2345 // more than SQLite's classic 999-variable limit
	var es []tm.Entry
	var keys []string
	for i := range n {
		k := fmt.Sprintf("key%05d", i)
		es = append(es, entry(k, tm.Machine, Base))
		if i%3 != 0 {
			keys = append(keys, k)
		}
		if i%7 == 0 {
			keys = append(keys, "missing"+k, k) // duplicates and misses mixed in
		}
	}
	put(t, s, es...)
	got := get(t, s, "zh", "en", keys...)
	want := map[string]tm.Entry{}
	for _, k := range keys {
		if !strings.HasPrefix(k, "missing") {
			i := 0
			fmt.Sscanf(k, "key%d", &i)
			want[k] = es[i]
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get of %d keys (-want +got):\n%s", len(keys), diff)
	}
	// Every tier boundary of a chunked lookup.
	for _, m := range []int{1, 2, 8, 9, 64, 65, 499, 500, 501, 1000, 1001} {
		var ks []string
		for _, e := range es[:m] {
			ks = append(ks, e.Key)
		}
		if got := get(t, s, "zh", "en", ks...); len(got) != m {
			t.Errorf("Get of %d keys found %d", m, len(got))
		}
	}
}

func testVerbatim(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	texts := []string{
		"",
		" leading and trailing spaces ",
		"line\r\nwith CRLF\rand CR\nand LF",
		"U+2028\u2028inside, BOM \ufeff, NBSP\u00a0, ZWSP\u200b",
		"<g1>美国总统</g1>拜登<x2/>和 <x3/> 'quotes' \"double\" & ampersand < less",
		"control \x00\x01\x0c\x1b chars",
		strings.Repeat("长", 24000),
		"emoji 👩‍👩‍👧 and \U0010FFFD",
	}
	var es []tm.Entry
	for i, x := range texts {
		e := entry(fmt.Sprint(i), tm.Machine, Base)
		e.Source, e.Target = x, x+"!"
		e.Key = "key with spaces, quotes ' \" and 中文 " + fmt.Sprint(i)
		es = append(es, e)
	}
	put(t, s, es...)
	var keys []string
	want := map[string]tm.Entry{}
	for _, e := range es {
		keys = append(keys, e.Key)
		want[e.Key] = e
	}
	if diff := cmp.Diff(want, get(t, s, "zh", "en", keys...)); diff != "" {
		t.Errorf("texts not stored verbatim (-want +got):\n%s", diff)
	}
}

func testCanceled(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, []tm.Entry{entry("k", tm.Machine, Base)}); err == nil {
		t.Error("Put with a canceled context succeeded")
	}
	if got := get(t, s, "zh", "en", "k"); len(got) != 0 {
		t.Errorf("Put with a canceled context stored %v", got)
	}
	if _, err := s.Get(ctx, "zh", "en", []string{"k"}); err == nil {
		t.Error("Get with a canceled context succeeded")
	}
}

func testConcurrent(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	const workers, rounds = 6, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for r := range rounds {
				k := fmt.Sprintf("w%d-r%d", w, r)
				if err := s.Put(ctx, []tm.Entry{entry(k, tm.Machine, Base), entry("shared", tm.Machine, Base)}); err != nil {
					errs <- err
					return
				}
				got, err := s.Get(ctx, "zh", "en", []string{k, "shared"})
				if err != nil {
					errs <- err
					return
				}
				if len(got) != 2 {
					errs <- fmt.Errorf("Get(%s, shared) found %d entries right after Put, want 2", k, len(got))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testEach(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	en, ok := s.(tm.Enumerator)
	if !ok {
		t.Skip("store does not implement tm.Enumerator")
	}
	es := []tm.Entry{
		withPair(entry("b", tm.Machine, Base), "zh", "en"),
		withPair(entry("a", tm.Reviewed, Base), "zh", "en"),
		withPair(entry("a", tm.Machine, Base), "en", "zh"),
		withPair(entry("c", tm.Machine, Base), "zh", "de"),
	}
	put(t, s, es...)
	collect := func(f *tm.Filter) []string {
		var got []string
		err := en.Each(context.Background(), f, func(e tm.Entry) error {
			got = append(got, e.SourceLang+">"+e.TargetLang+":"+e.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("Each(%+v): %v", f, err)
		}
		return got
	}
	for _, tt := range []struct {
		f    *tm.Filter
		want []string
	}{
		{nil, []string{"en>zh:a", "zh>de:c", "zh>en:a", "zh>en:b"}},
		{&tm.Filter{SourceLang: "zh"}, []string{"zh>de:c", "zh>en:a", "zh>en:b"}},
		{&tm.Filter{SourceLang: "zh", TargetLang: "EN"}, []string{"zh>en:a", "zh>en:b"}},
		{&tm.Filter{State: tm.Reviewed}, []string{"zh>en:a"}},
		{&tm.Filter{TargetLang: "fr"}, nil},
	} {
		if diff := cmp.Diff(tt.want, collect(tt.f)); diff != "" {
			t.Errorf("Each(%+v) (-want +got):\n%s", tt.f, diff)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := en.Each(context.Background(), nil, func(tm.Entry) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Each with a failing fn = %v after %d calls, want stop after 1", err, calls)
	}
	// fn may write to the store while it iterates.
	err = en.Each(context.Background(), &tm.Filter{SourceLang: "zh", TargetLang: "en"}, func(e tm.Entry) error {
		return s.Put(context.Background(), []tm.Entry{withPair(e, "zh", "fr")})
	})
	if err != nil {
		t.Fatalf("Each with a writing fn: %v", err)
	}
	if got := get(t, s, "zh", "fr", "a", "b"); len(got) != 2 {
		t.Errorf("writes from Each stored %d entries, want 2", len(got))
	}
}

func testStats(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	sr, ok := s.(tm.StatsReporter)
	if !ok {
		t.Skip("store does not implement tm.StatsReporter")
	}
	empty, err := sr.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&tm.Stats{Pairs: []tm.PairStats{}, Rows: []tm.StatsRow{}}, empty); diff != "" {
		t.Errorf("Stats of an empty store (-want +got):\n%s", diff)
	}
	put(t, s,
		entry("a", tm.Machine, Base),
		entry("b", tm.Machine, Base),
		withOrigin(entry("c", tm.Reviewed, Base), tm.OriginHuman),
		withOrigin(entry("d", tm.Reviewed, Base), "import:x.tmx"),
		withPair(entry("e", tm.Machine, Base), "en", "zh"),
	)
	got, err := sr.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := &tm.Stats{
		Entries: 5,
		Pairs: []tm.PairStats{
			{SourceLang: "en", TargetLang: "zh", Entries: 1,
				States: map[tm.State]int{tm.Machine: 1}, Origins: map[string]int{"openai:gpt-4o-mini": 1}},
			{SourceLang: "zh", TargetLang: "en", Entries: 4,
				States:  map[tm.State]int{tm.Machine: 2, tm.Reviewed: 2},
				Origins: map[string]int{"openai:gpt-4o-mini": 2, "human": 1, "import:x.tmx": 1}},
		},
		Rows: []tm.StatsRow{
			{SourceLang: "en", TargetLang: "zh", Origin: "openai:gpt-4o-mini", State: tm.Machine, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "human", State: tm.Reviewed, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "import:x.tmx", State: tm.Reviewed, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "openai:gpt-4o-mini", State: tm.Machine, Entries: 2},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func testDelete(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	d, ok := s.(tm.Deleter)
	if !ok {
		t.Skip("store does not implement tm.Deleter")
	}
	var es []tm.Entry
	var keys []string
	for i := range 1200 {
		k := fmt.Sprint(i)
		es = append(es, entry(k, tm.Reviewed, Base))
		keys = append(keys, k)
	}
	put(t, s, es...)
	put(t, s, withPair(entry("0", tm.Machine, Base), "zh", "de"))
	n, err := d.Delete(context.Background(), "zh", "en", append(keys[:1100:1100], "nope"))
	if err != nil || n != 1100 {
		t.Fatalf("Delete = %d, %v; want 1100, nil", n, err)
	}
	if got := get(t, s, "zh", "en", keys...); len(got) != 100 {
		t.Errorf("after Delete %d entries left, want 100", len(got))
	}
	if got := get(t, s, "zh", "de", "0"); len(got) != 1 {
		t.Error("Delete removed an entry of another pair")
	}
}

func testReplace(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	r, ok := s.(tm.Replacer)
	if !ok {
		t.Skip("store does not implement tm.Replacer")
	}
	old := entry("k", tm.Reviewed, Base.Add(time.Hour))
	put(t, s, old)
	m := entry("k", tm.Machine, Base.Add(2*time.Hour))
	m.FirstSeen = ""
	if err := r.Replace(context.Background(), []tm.Entry{m}); err != nil {
		t.Fatal(err)
	}
	want := m
	want.Created = old.Created
	want.FirstSeen = old.FirstSeen
	if diff := cmp.Diff(want, get(t, s, "zh", "en", "k")["k"]); diff != "" {
		t.Errorf("Replace of a reviewed entry (-want +got):\n%s", diff)
	}
	if err := r.Replace(context.Background(), []tm.Entry{withKey(m, "")}); !errors.Is(err, tm.ErrInvalidEntry) {
		t.Errorf("Replace with an empty key = %v, want ErrInvalidEntry", err)
	}
}

func testClosed(t *testing.T, open Opener) {
	c := NewClock(Base)
	s := open(t, &tm.Options{Now: c.Now})
	put(t, s, entry("k", tm.Machine, Base))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx := context.Background()
	if _, err := s.Get(ctx, "zh", "en", []string{"k"}); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
	if err := s.Put(ctx, []tm.Entry{entry("k", tm.Machine, Base)}); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}
