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
// Optional capabilities (tm.Enumerator, tm.VariantLister, tm.StatsReporter,
// tm.Deleter, tm.Replacer, tm.Claimer) are tested when the store implements
// them and skipped otherwise.
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
	t.Run("Provenance", func(t *testing.T) { testProvenance(t, open) })
	t.Run("BatchInOrder", func(t *testing.T) { testBatchInOrder(t, open) })
	t.Run("ZeroTimes", func(t *testing.T) { testZeroTimes(t, open) })
	t.Run("InvalidBatchStoresNothing", func(t *testing.T) { testInvalid(t, open) })
	t.Run("Languages", func(t *testing.T) { testLanguages(t, open) })
	t.Run("LargeBatchGet", func(t *testing.T) { testLargeGet(t, open) })
	t.Run("TextVerbatim", func(t *testing.T) { testVerbatim(t, open) })
	t.Run("Markup", func(t *testing.T) { testMarkup(t, open) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Each", func(t *testing.T) { testEach(t, open) })
	t.Run("Variants", func(t *testing.T) { testVariants(t, open) })
	t.Run("Stats", func(t *testing.T) { testStats(t, open) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, open) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, open) })
	t.Run("Claim", func(t *testing.T) { testClaim(t, open) })
	t.Run("ClaimExpiry", func(t *testing.T) { testClaimExpiry(t, open) })
	t.Run("ClaimConcurrent", func(t *testing.T) { testClaimConcurrent(t, open) })
	t.Run("Closed", func(t *testing.T) { testClosed(t, open) })
}

func newStore(t *testing.T, open Opener) (tm.Store, *Clock) {
	t.Helper()
	c := NewClock(Base)
	s := open(t, &tm.Options{Now: c.Now})
	t.Cleanup(func() { s.Close() })
	return s, c
}

// Origin is the origin of the suite's machine entries.
const Origin = "openai:gpt-4o-mini"

// entry returns a zh->en entry for key with every field set.
func entry(key string, state tm.State, updated time.Time) tm.Entry {
	return tm.Entry{
		SourceLang: "zh", TargetLang: "en", Key: key,
		Source: "<g1>源</g1>" + key, Target: "<g1>target</g1> " + key + " " + string(state) + " " + updated.Format(time.TimeOnly),
		Origin: Origin, State: state,
		Created: updated, Updated: updated, FirstSeen: "a/" + key + ".md",
		Markup: []tm.TagMarkup{{ID: 1, Open: "[", Close: "](https://example.org/" + key + ")"}},
	}
}

func put(t *testing.T, s tm.Store, es ...tm.Entry) {
	t.Helper()
	if err := s.Put(context.Background(), es); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

// get looks keys up accepting the machine entries of any origin.
func get(t *testing.T, s tm.Store, src, tgt string, keys ...string) map[string]tm.Entry {
	t.Helper()
	return getFrom(t, s, tm.AnyOrigin, src, tgt, keys...)
}

func getFrom(t *testing.T, s tm.Store, origin, src, tgt string, keys ...string) map[string]tm.Entry {
	t.Helper()
	got, err := s.Get(context.Background(), tm.Query{SourceLang: src, TargetLang: tgt, Keys: keys, Origin: origin})
	if err != nil {
		t.Fatalf("Get(%s, %s, %d keys, origin %q): %v", src, tgt, len(keys), origin, err)
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
	const (
		keepOld = iota // Get returns old: new was not stored or ranks below
		takeNew        // new was stored beside old and ranks above it
		merged         // new replaced old in its slot, keeping Created and FirstSeen
	)
	tests := []struct {
		name     string
		old, new tm.Entry
		want     int
		entries  int // entries the key has afterwards
	}{
		{"machine over machine", entry("k", tm.Machine, t0), entry("k", tm.Machine, t1), merged, 1},
		{"older machine over machine (--force)", entry("k", tm.Machine, t1), entry("k", tm.Machine, t0), merged, 1},
		{"machine over reviewed", entry("k", tm.Reviewed, t0), entry("k", tm.Machine, t1), keepOld, 2},
		{"reviewed over machine", entry("k", tm.Machine, t1), entry("k", tm.Reviewed, t0), takeNew, 2},
		{"newer reviewed over reviewed", entry("k", tm.Reviewed, t0), entry("k", tm.Reviewed, t1), merged, 1},
		{"older reviewed over reviewed", entry("k", tm.Reviewed, t1), entry("k", tm.Reviewed, t0), keepOld, 1},
		{"reviewed at the same time", entry("k", tm.Reviewed, t0), withTarget(entry("k", tm.Reviewed, t0), "tie"), merged, 1},
		{"reviewed of another origin", entry("k", tm.Reviewed, t0), withOrigin(entry("k", tm.Reviewed, t1), "import:x.tmx"), merged, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tm.Supersedes(tt.new, tt.old); got != (tt.want != keepOld) {
				t.Errorf("Supersedes(new, old) = %v, want %v", got, tt.want != keepOld)
			}
			s, _ := newStore(t, open)
			put(t, s, tt.old)
			n := tt.new
			n.FirstSeen = "b/other.md"
			put(t, s, n)
			got := get(t, s, "zh", "en", "k")["k"]
			want := tt.old
			switch tt.want {
			case takeNew:
				want = n
			case merged:
				want = n
				// The first place seen and the earliest creation stay.
				want.FirstSeen = tt.old.FirstSeen
				if tt.old.Created.Before(want.Created) {
					want.Created = tt.old.Created
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after Put(old), Put(new): (-want +got):\n%s", diff)
			}
			if st, ok := s.(tm.StatsReporter); ok {
				stats, err := st.Stats(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if stats.Entries != tt.entries {
					t.Errorf("the key has %d entries, want %d", stats.Entries, tt.entries)
				}
			}
		})
	}
}

// testProvenance: machine entries are kept per origin and found only by
// the queries that accept their origin; reviewed entries by every query.
func testProvenance(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	const google = "google:general/nmt"
	openai := withTarget(entry("k", tm.Machine, Base), "openai's")
	goog := withOrigin(withTarget(entry("k", tm.Machine, Base.Add(time.Minute)), "google's"), google)
	rev := withOrigin(entry("r", tm.Reviewed, Base), tm.OriginHuman)
	under := withTarget(entry("r", tm.Machine, Base.Add(time.Hour)), "machine under review")
	bare := withOrigin(entry("bare", tm.Machine, Base), "") // an origin-less entry of an old store
	put(t, s, openai, goog, rev, under, bare)

	for _, tt := range []struct {
		origin string
		want   map[string]tm.Entry
	}{
		{Origin, map[string]tm.Entry{"k": openai, "r": rev}},
		{google, map[string]tm.Entry{"k": goog, "r": rev}},
		{"openai:gpt-4o", map[string]tm.Entry{"r": rev}},                       // another model is another origin
		{"", map[string]tm.Entry{"r": rev}},                                    // reviewed only
		{tm.AnyOrigin, map[string]tm.Entry{"k": goog, "r": rev, "bare": bare}}, // the newest machine entry
	} {
		got := getFrom(t, s, tt.origin, "zh", "en", "k", "r", "bare", "missing")
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Get with origin %q (-want +got):\n%s", tt.origin, diff)
		}
	}

	// A machine Put replaces its own origin's entry only.
	again := withTarget(entry("k", tm.Machine, Base.Add(2*time.Minute)), "openai's again")
	put(t, s, again)
	want := again
	want.Created = openai.Created
	if got := getFrom(t, s, Origin, "zh", "en", "k")["k"]; !cmp.Equal(got, want) {
		t.Errorf("after a second openai Put, Get(openai) = %+v, want %+v", got, want)
	}
	if got := getFrom(t, s, google, "zh", "en", "k")["k"]; !cmp.Equal(got, goog) {
		t.Errorf("an openai Put changed google's entry: %+v", got)
	}
	if got := get(t, s, "zh", "en", "k")["k"]; got.Target != again.Target {
		t.Errorf("Get(any) = %q, want the newest, %q", got.Target, again.Target)
	}
	// Equal times: the choice does not depend on storage order.
	tie := withOrigin(withTarget(entry("t", tm.Machine, Base), "b"), "b:m")
	put(t, s, tie, withOrigin(withTarget(entry("t", tm.Machine, Base), "a"), "a:m"), withOrigin(withTarget(entry("t", tm.Machine, Base), "c"), "c:m"))
	if got := get(t, s, "zh", "en", "t")["t"]; got.Origin != "a:m" {
		t.Errorf("Get(any) among equal times = %q, want the smallest origin a:m", got.Origin)
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
		{"NUL in key", withKey(entry("x", tm.Machine, Base), "a\x00b")},
		{"invalid UTF-8 in origin", withOrigin(entry("x", tm.Machine, Base), "openai:\xff")},
		{"NUL in first-seen path", tm.Entry{SourceLang: "zh", TargetLang: "en", Key: "x", State: tm.Machine, FirstSeen: "a\x00.md"}},
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
	if _, err := s.Get(context.Background(), tm.Query{TargetLang: "en", Keys: []string{"k"}, Origin: Origin}); err == nil {
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

// testMarkup: an entry's tag markup is stored exactly and sorted by tag,
// kept when a later entry of the slot brings none, validated, and never
// shared with the caller.
func testMarkup(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	ctx := context.Background()
	odd := []tm.TagMarkup{
		{ID: 3, Open: "  \r\n> "},
		{ID: 1, Open: "**", Close: "**"},
		{ID: 2, Open: "[", Close: "](<https://example.org/a b> \"title \\\" & <x1/>\")"},
		{ID: 4, Open: "`\x00\x01 \u2028 \ufeff 中文 👩‍👩‍👧`"},
		{ID: 999999, Open: strings.Repeat("长", 5000)},
	}
	a := entry("a", tm.Machine, Base)
	a.Markup = odd
	none := entry("none", tm.Machine, Base)
	none.Markup = nil
	empty := entry("empty", tm.Machine, Base)
	empty.Markup = []tm.TagMarkup{}
	put(t, s, a, none, empty)
	odd[1].Open = "changed by the caller after Put"

	sorted := []tm.TagMarkup{
		{ID: 1, Open: "**", Close: "**"},
		{ID: 2, Open: "[", Close: "](<https://example.org/a b> \"title \\\" & <x1/>\")"},
		{ID: 3, Open: "  \r\n> "},
		{ID: 4, Open: "`\x00\x01 \u2028 \ufeff 中文 👩‍👩‍👧`"},
		{ID: 999999, Open: strings.Repeat("长", 5000)},
	}
	got := get(t, s, "zh", "en", "a", "none", "empty")
	want := map[string][]tm.TagMarkup{"a": sorted, "none": nil, "empty": nil}
	for k, m := range want {
		if diff := cmp.Diff(m, got[k].Markup); diff != "" {
			t.Errorf("Get(%s).Markup (-want +got):\n%s", k, diff)
		}
	}
	got["a"].Markup[0].Open = "changed by the caller after Get"
	if again := get(t, s, "zh", "en", "a")["a"]; !cmp.Equal(sorted, again.Markup) {
		t.Errorf("changing the markup Get returned changed the store: %v", again.Markup)
	}
	if vl, ok := s.(tm.VariantLister); ok {
		vs, err := vl.Variants(ctx, "zh", "en", "a")
		if err != nil || len(vs) != 1 || !cmp.Equal(sorted, vs[0].Markup) {
			t.Errorf("Variants(a) = %+v, %v; want the sorted markup", vs, err)
		}
	}
	if en, ok := s.(tm.Enumerator); ok {
		err := en.Each(ctx, nil, func(e tm.Entry) error {
			if w := want[e.Key]; !cmp.Equal(w, e.Markup) {
				t.Errorf("Each: %s has markup %v, want %v", e.Key, e.Markup, w)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// A later entry of the slot without markup keeps the stored markup;
	// one with markup replaces it. Another slot has its own.
	later := entry("a", tm.Machine, Base.Add(time.Minute))
	later.Markup = nil
	put(t, s, later)
	if got := get(t, s, "zh", "en", "a")["a"]; got.Target != later.Target || !cmp.Equal(sorted, got.Markup) {
		t.Errorf("after a Put without markup: %q with %v; want the new target and the old markup", got.Target, got.Markup)
	}
	later.Markup = []tm.TagMarkup{{ID: 1, Open: "_", Close: "_"}}
	put(t, s, later)
	if got := get(t, s, "zh", "en", "a")["a"]; !cmp.Equal(later.Markup, got.Markup) {
		t.Errorf("after a Put with new markup: %v, want %v", got.Markup, later.Markup)
	}
	rev := entry("a", tm.Reviewed, Base.Add(time.Hour))
	rev.Markup = nil
	put(t, s, rev)
	if got := get(t, s, "zh", "en", "a")["a"]; got.State != tm.Reviewed || got.Markup != nil {
		t.Errorf("a reviewed entry without markup beside a machine one with: %s %v, want reviewed without", got.State, got.Markup)
	}

	for name, m := range map[string][]tm.TagMarkup{
		"tag 0":         {{ID: 0, Open: "x"}},
		"tag too big":   {{ID: 1000000, Open: "x"}},
		"negative tag":  {{ID: -1, Open: "x"}},
		"duplicate":     {{ID: 2, Open: "x"}, {ID: 2, Open: "y"}},
		"invalid utf8":  {{ID: 1, Open: "\xff"}},
		"invalid close": {{ID: 1, Open: "[", Close: "](\xc3)"}},
	} {
		bad := entry("bad "+name, tm.Machine, Base)
		bad.Markup = m
		ok := entry("ok "+name, tm.Machine, Base)
		if err := s.Put(ctx, []tm.Entry{ok, bad}); !errors.Is(err, tm.ErrInvalidEntry) {
			t.Errorf("Put with markup %s = %v, want ErrInvalidEntry", name, err)
		}
		if got := get(t, s, "zh", "en", ok.Key, bad.Key); len(got) != 0 {
			t.Errorf("Put with markup %s stored %d entries, want none", name, len(got))
		}
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
	if _, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}, Origin: Origin}); err == nil {
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
				got, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{k, "shared"}, Origin: Origin})
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
		withOrigin(withPair(entry("a", tm.Machine, Base), "zh", "en"), "z:m"),
		withOrigin(withPair(entry("a", tm.Machine, Base), "zh", "en"), "b:m"),
		withPair(entry("a", tm.Machine, Base), "en", "zh"),
		withPair(entry("c", tm.Machine, Base), "zh", "de"),
	}
	put(t, s, es...)
	collect := func(f *tm.Filter) []string {
		var got []string
		err := en.Each(context.Background(), f, func(e tm.Entry) error {
			got = append(got, e.SourceLang+">"+e.TargetLang+":"+e.Key+":"+string(e.State)+":"+e.Origin)
			return nil
		})
		if err != nil {
			t.Fatalf("Each(%+v): %v", f, err)
		}
		return got
	}
	const m = ":machine:" + Origin
	for _, tt := range []struct {
		f    *tm.Filter
		want []string
	}{
		{nil, []string{"en>zh:a" + m, "zh>de:c" + m, "zh>en:a:machine:b:m", "zh>en:a:machine:z:m", "zh>en:a:reviewed:" + Origin, "zh>en:b" + m}},
		{&tm.Filter{SourceLang: "zh"}, []string{"zh>de:c" + m, "zh>en:a:machine:b:m", "zh>en:a:machine:z:m", "zh>en:a:reviewed:" + Origin, "zh>en:b" + m}},
		{&tm.Filter{SourceLang: "zh", TargetLang: "EN", State: tm.Machine}, []string{"zh>en:a:machine:b:m", "zh>en:a:machine:z:m", "zh>en:b" + m}},
		{&tm.Filter{State: tm.Reviewed}, []string{"zh>en:a:reviewed:" + Origin}},
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
		t.Errorf("writes from Each stored %d keys, want 2", len(got))
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
		// A second origin and a machine entry under a reviewed one: more
		// entries, no more keys.
		withOrigin(entry("a", tm.Machine, Base), "google:general/nmt"),
		entry("c", tm.Machine, Base),
	)
	got, err := sr.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := &tm.Stats{
		Entries: 7,
		Pairs: []tm.PairStats{
			{SourceLang: "en", TargetLang: "zh", Keys: 1, Entries: 1,
				States: map[tm.State]int{tm.Machine: 1}, Origins: map[string]int{Origin: 1}},
			{SourceLang: "zh", TargetLang: "en", Keys: 4, Entries: 6,
				States:  map[tm.State]int{tm.Machine: 4, tm.Reviewed: 2},
				Origins: map[string]int{Origin: 3, "google:general/nmt": 1, "human": 1, "import:x.tmx": 1}},
		},
		Rows: []tm.StatsRow{
			{SourceLang: "en", TargetLang: "zh", Origin: Origin, State: tm.Machine, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "google:general/nmt", State: tm.Machine, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "human", State: tm.Reviewed, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: "import:x.tmx", State: tm.Reviewed, Entries: 1},
			{SourceLang: "zh", TargetLang: "en", Origin: Origin, State: tm.Machine, Entries: 3},
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
	// Every entry of a key goes: these add 2 to the count.
	put(t, s, entry("1", tm.Machine, Base), withOrigin(entry("1", tm.Machine, Base), "google:general/nmt"))
	n, err := d.Delete(context.Background(), "zh", "en", append(keys[:1100:1100], "nope"))
	if err != nil || n != 1102 {
		t.Fatalf("Delete = %d, %v; want 1102, nil", n, err)
	}
	if v, ok := s.(tm.VariantLister); ok {
		if got, err := v.Variants(context.Background(), "zh", "en", "1"); err != nil || len(got) != 0 {
			t.Errorf("after Delete, Variants = %v, %v; want none", got, err)
		}
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
	ctx := context.Background()
	// --force-reviewed: a machine entry takes the place of the reviewed one.
	old := entry("k", tm.Reviewed, Base.Add(time.Hour))
	prev := entry("k", tm.Machine, Base)
	other := withOrigin(entry("k", tm.Machine, Base), "google:general/nmt")
	put(t, s, old, prev, other)
	m := withTarget(entry("k", tm.Machine, Base.Add(2*time.Hour)), "forced")
	m.FirstSeen = ""
	if err := r.Replace(ctx, []tm.Entry{m}); err != nil {
		t.Fatal(err)
	}
	want := m
	want.Created, want.FirstSeen = prev.Created, prev.FirstSeen // replaced in its slot
	if diff := cmp.Diff(want, getFrom(t, s, Origin, "zh", "en", "k")["k"]); diff != "" {
		t.Errorf("Replace of a reviewed entry (-want +got):\n%s", diff)
	}
	if got := getFrom(t, s, "", "zh", "en", "k"); len(got) != 0 {
		t.Errorf("after Replace with a machine entry, the reviewed entry is still there: %v", got)
	}
	if got := getFrom(t, s, "google:general/nmt", "zh", "en", "k")["k"]; !cmp.Equal(got, other) {
		t.Errorf("Replace changed another origin's entry: %+v", got)
	}
	// A reviewed entry replaces a reviewed one updated later.
	newer := entry("j", tm.Reviewed, Base.Add(time.Hour))
	put(t, s, newer)
	older := withTarget(entry("j", tm.Reviewed, Base), "older")
	if err := r.Replace(ctx, []tm.Entry{older}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, s, "zh", "en", "j")["j"]; got.Target != "older" {
		t.Errorf("Replace of a newer reviewed entry: Get = %q, want older", got.Target)
	}
	if err := r.Replace(ctx, []tm.Entry{withKey(m, "")}); !errors.Is(err, tm.ErrInvalidEntry) {
		t.Errorf("Replace with an empty key = %v, want ErrInvalidEntry", err)
	}
}

func testVariants(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	v, ok := s.(tm.VariantLister)
	if !ok {
		t.Skip("store does not implement tm.VariantLister")
	}
	rev := withOrigin(entry("k", tm.Reviewed, Base), tm.OriginHuman)
	old := entry("k", tm.Machine, Base.Add(time.Minute))
	newer := withOrigin(entry("k", tm.Machine, Base.Add(time.Hour)), "google:general/nmt")
	put(t, s, old, newer, rev, withPair(entry("k", tm.Machine, Base), "zh", "de"))
	got, err := v.Variants(context.Background(), "zh-cn", "en", "k")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("Variants in zh-CN = %v, want none (the entries are zh)", got)
	}
	got, err = v.Variants(context.Background(), "zh", "en", "k")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]tm.Entry{rev, newer, old}, got); diff != "" {
		t.Errorf("Variants: reviewed, then machine newest first (-want +got):\n%s", diff)
	}
	if got, err := v.Variants(context.Background(), "zh", "en", "missing"); err != nil || len(got) != 0 {
		t.Errorf("Variants of a missing key = %v, %v; want none", got, err)
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
	if _, err := s.Get(ctx, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}, Origin: Origin}); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("Get after Close = %v, want ErrClosed", err)
	}
	if err := s.Put(ctx, []tm.Entry{entry("k", tm.Machine, Base)}); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("Put after Close = %v, want ErrClosed", err)
	}
	if c, ok := s.(tm.Claimer); ok {
		if _, err := c.Claim(ctx, "A", tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"k"}}, time.Hour); !errors.Is(err, tm.ErrClosed) {
			t.Errorf("Claim after Close = %v, want ErrClosed", err)
		}
	}
	if err := s.Close(); !errors.Is(err, tm.ErrClosed) {
		t.Errorf("second Close = %v, want ErrClosed", err)
	}
}

func claimer(t *testing.T, s tm.Store) tm.Claimer {
	t.Helper()
	c, ok := s.(tm.Claimer)
	if !ok {
		t.Skip("store does not implement tm.Claimer")
	}
	return c
}

func claim(t *testing.T, c tm.Claimer, owner, origin string, ttl time.Duration, keys ...string) []string {
	t.Helper()
	got, err := c.Claim(context.Background(), owner, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: keys, Origin: origin}, ttl)
	if err != nil {
		t.Fatalf("Claim(%s, %v): %v", owner, keys, err)
	}
	return got
}

// testClaim: two owners never hold one key; a stored translation makes a key
// unclaimable for the queries it satisfies; Release hands keys back.
func testClaim(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	c := claimer(t, s)
	ctx := context.Background()
	const ttl = time.Hour
	if diff := cmp.Diff([]string{"k1", "k2", "k3", "k4"}, claim(t, c, "A", Origin, ttl, "k1", "k2", "k3", "k2", "k4")); diff != "" {
		t.Errorf("first Claim (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"k5", "k6"}, claim(t, c, "B", Origin, ttl, "k3", "k4", "k5", "k6")); diff != "" {
		t.Errorf("Claim of keys another owner holds (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"k2", "k1"}, claim(t, c, "A", Origin, ttl, "k2", "k1", "k5")); diff != "" {
		t.Errorf("an owner claiming its own keys again (-want +got):\n%s", diff)
	}
	if got := claim(t, c, "B", Origin, ttl); len(got) != 0 {
		t.Errorf("Claim of no keys = %v", got)
	}
	// Leases are per language pair.
	other, err := c.Claim(ctx, "B", tm.Query{SourceLang: "zh", TargetLang: "de", Keys: []string{"k1"}, Origin: Origin}, ttl)
	if err != nil || len(other) != 1 {
		t.Errorf("Claim of k1 in zh>de = %v, %v; want it granted", other, err)
	}

	// A stores k1 and releases it: nobody can claim it for openai now, but
	// it is still missing for google. A reviewed entry satisfies every query.
	put(t, s, entry("k1", tm.Machine, Base), withOrigin(entry("k2", tm.Reviewed, Base), tm.OriginHuman))
	if err := c.Release(ctx, "A", []string{"k1", "k2", "k5", "unknown"}); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, c, "B", Origin, ttl, "k1", "k2"); len(got) != 0 {
		t.Errorf("Claim of stored keys = %v, want none", got)
	}
	if got := claim(t, c, "B", tm.AnyOrigin, ttl, "k1", "k2"); len(got) != 0 {
		t.Errorf("Claim(any origin) of stored keys = %v, want none", got)
	}
	if diff := cmp.Diff([]string{"k1"}, claim(t, c, "B", "google:general/nmt", ttl, "k1", "k2")); diff != "" {
		t.Errorf("Claim for another origin (-want +got):\n%s", diff)
	}
	// Release only ends the owner's own leases.
	if err := c.Release(ctx, "A", []string{"k6"}); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, c, "C", Origin, ttl, "k6"); len(got) != 0 {
		t.Errorf("A released B's key k6: C got %v", got)
	}
	if err := c.Release(ctx, "B", []string{"k6"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"k6"}, claim(t, c, "C", Origin, ttl, "k6")); diff != "" {
		t.Errorf("Claim after Release (-want +got):\n%s", diff)
	}

	for _, bad := range []struct {
		owner string
		ttl   time.Duration
	}{{"", ttl}, {"A", 0}, {"A", -time.Second}} {
		if _, err := c.Claim(ctx, bad.owner, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: []string{"x"}}, bad.ttl); !errors.Is(err, tm.ErrInvalidClaim) {
			t.Errorf("Claim(%q, ttl %v) = %v, want ErrInvalidClaim", bad.owner, bad.ttl, err)
		}
		if err := c.Renew(ctx, bad.owner, bad.ttl); !errors.Is(err, tm.ErrInvalidClaim) {
			t.Errorf("Renew(%q, ttl %v) = %v, want ErrInvalidClaim", bad.owner, bad.ttl, err)
		}
	}
	if err := c.Release(ctx, "", []string{"x"}); !errors.Is(err, tm.ErrInvalidClaim) {
		t.Errorf("Release with no owner = %v, want ErrInvalidClaim", err)
	}
}

// LeaseTTL is the lease the expiry test takes. Stores on one machine time
// leases with the suite's clock, which the test moves on; a server-backed
// store uses its server's clock, so the test also sleeps past it.
const LeaseTTL = 300 * time.Millisecond

// testClaimExpiry: a lease that is not renewed ends, so a killed worker's
// keys come back; one that is renewed does not.
func testClaimExpiry(t *testing.T, open Opener) {
	s, clock := newStore(t, open)
	c := claimer(t, s)
	if got := claim(t, c, "A", Origin, LeaseTTL, "a", "b"); len(got) != 2 {
		t.Fatalf("Claim = %v", got)
	}
	if got := claim(t, c, "B", Origin, LeaseTTL, "a", "b"); len(got) != 0 {
		t.Fatalf("Claim of live leases = %v", got)
	}
	// A renews for long, then claims c with the short lease.
	if err := c.Renew(context.Background(), "A", time.Hour); err != nil {
		t.Fatal(err)
	}
	claim(t, c, "A", Origin, LeaseTTL, "c")
	clock.Advance(2 * LeaseTTL)
	time.Sleep(2 * LeaseTTL)
	if diff := cmp.Diff([]string{"c"}, claim(t, c, "B", Origin, time.Hour, "a", "b", "c")); diff != "" {
		t.Errorf("after the short lease ran out (-want +got):\n%s", diff)
	}
	// A's renewal does not take back what B now holds.
	if err := c.Renew(context.Background(), "A", time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, c, "C", Origin, time.Hour, "c"); len(got) != 0 {
		t.Errorf("C got %v, held by B", got)
	}
	if got := claim(t, c, "A", Origin, time.Hour, "c"); len(got) != 0 {
		t.Errorf("A got c back after its lease ran out and B claimed it")
	}
}

// testClaimConcurrent: owners claiming overlapping keys at once never share
// one, and between them take every key.
func testClaimConcurrent(t *testing.T, open Opener) {
	s, _ := newStore(t, open)
	c := claimer(t, s)
	const owners, keys = 4, 400
	var mu sync.Mutex
	holder := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan error, owners)
	for o := range owners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("worker-%d", o)
			// Each owner asks for the keys in its own order, in batches.
			for round := range 8 {
				var ks []string
				for i := range keys / 8 {
					ks = append(ks, fmt.Sprintf("key%03d", (round*keys/8+i+o*37)%keys))
				}
				got, err := c.Claim(context.Background(), owner, tm.Query{SourceLang: "zh", TargetLang: "en", Keys: ks, Origin: Origin}, time.Hour)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, k := range got {
					if h, ok := holder[k]; ok && h != owner {
						errs <- fmt.Errorf("key %s granted to %s and %s", k, h, owner)
					}
					holder[k] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(holder) != keys {
		t.Errorf("%d keys were granted, want all %d", len(holder), keys)
	}
}
