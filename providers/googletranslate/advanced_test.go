package googletranslate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"
	"google.golang.org/grpc/codes"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

func TestAdvancedRequest(t *testing.T) {
	srv := startV3(t)
	a := newAdvanced(t, srv, &AdvancedOptions{Project: "p1", Location: "us-central1", Model: "general/nmt"})
	req := providers.Request{Source: language.English, Target: language.TraditionalChinese,
		Segments: []string{"Click <g1>here</g1> & <x2/> now."}}
	got, err := a.Translate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if want := "CLICK <g1>HERE</g1> & <x2/> NOW."; got[0] != want {
		t.Errorf("Translate = %q, want %q", got[0], want)
	}
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	want := googletest.Call{
		Method:   "TranslateText",
		Contents: []string{`Click <span id="g1">here</span> &amp; <span translate="no" id="x2"></span> now.`},
		Source:   "en",
		Target:   "zh-TW",
		MimeType: "text/html",
		Model:    "projects/p1/locations/us-central1/models/general/nmt",
	}
	if diff := cmp.Diff(want, calls[0]); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if a.NativeGlossary() {
		t.Error("NativeGlossary() = true without a glossary")
	}
}

func TestAdvancedGlossary(t *testing.T) {
	srv := startV3(t)
	const name = "projects/p1/locations/us-central1/glossaries/names"
	srv.AddGlossary(name, map[string]string{"拜登": "Biden", "普京": "Putin"})
	a := newAdvanced(t, srv, &AdvancedOptions{Project: "p1", Location: "us-central1", Glossary: "names"})
	if !a.NativeGlossary() {
		t.Fatal("NativeGlossary() = false with a glossary")
	}
	got, err := a.Translate(context.Background(), zhen("拜登会见<g1>普京</g1>。"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Biden" + googletest.PseudoText("会见") + "<g1>Putin</g1>."; got[0] != want {
		t.Errorf("Translate = %q, want %q (from glossary_translations)", got[0], want)
	}
	if g := srv.Calls()[0].Glossary; g != name {
		t.Errorf("glossary_config.glossary = %q, want %q", g, name)
	}
}

func TestAdvancedGlossaryNeedsRegion(t *testing.T) {
	_, err := NewAdvanced(context.Background(), &AdvancedOptions{Project: "p", Glossary: "g"})
	if err == nil || !strings.Contains(err.Error(), "regional location") {
		t.Errorf("NewAdvanced(global, glossary) error = %v, want a regional-location error", err)
	}
	if _, err := NewAdvanced(context.Background(), nil); !errors.Is(err, ErrNoProject) {
		t.Errorf("NewAdvanced(nil) error = %v, want ErrNoProject", err)
	}
}

func TestAdvancedErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      googletest.Fault
		class      providers.Class
		retryAfter time.Duration
	}{
		{"resource exhausted", googletest.Fault{Code: codes.ResourceExhausted, RetryAfter: 3 * time.Second, Reason: "RATE_LIMIT_EXCEEDED"}, providers.Retryable, 3 * time.Second},
		{"unavailable", googletest.Fault{Code: codes.Unavailable}, providers.Retryable, 0},
		{"deadline exceeded", googletest.Fault{Code: codes.DeadlineExceeded}, providers.Retryable, 0},
		{"internal", googletest.Fault{Code: codes.Internal}, providers.Retryable, 0},
		{"invalid argument", googletest.Fault{Code: codes.InvalidArgument}, providers.Permanent, 0},
		{"permission denied", googletest.Fault{Code: codes.PermissionDenied}, providers.Permanent, 0},
		{"unauthenticated", googletest.Fault{Code: codes.Unauthenticated}, providers.Permanent, 0},
		{"fewer translations", googletest.Fault{Drop: 1}, providers.BadReply, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startV3(t)
			a := newAdvanced(t, srv, nil)
			srv.Inject(tt.fault)
			got, err := a.Translate(context.Background(), zhen("第一段。", "第二段。"))
			if err == nil {
				t.Fatalf("Translate = %q, want an error", got)
			}
			var pe *providers.Error
			if !errors.As(err, &pe) || pe.Class != tt.class {
				t.Fatalf("Translate error %v (%T), want class %v", err, err, tt.class)
			}
			if d, _ := providers.RetryAfterOf(err); d != tt.retryAfter {
				t.Errorf("RetryAfterOf = %v, want %v", d, tt.retryAfter)
			}
			// One request: the client library must not retry on its own.
			if n := srv.Requests(); n != 1 {
				t.Errorf("fake saw %d requests, want 1 (no client retries)", n)
			}
			// A refused call is not billed; a short reply was.
			want := int64(0)
			if tt.class == providers.BadReply {
				want = 1
			}
			if u := a.Usage(); u.Requests != want {
				t.Errorf("Usage().Requests = %d, want %d", u.Requests, want)
			}
		})
	}
}

// rewrite returns a fault that rewrites translation i with f.
func rewrite(i int, f func(string) string) googletest.Fault {
	return googletest.Fault{Rewrite: func(k int, s string) string {
		if k == i {
			return f(s)
		}
		return s
	}}
}

// bothEngines runs fn against each engine with a way to inject a fault.
func bothEngines(t *testing.T, fn func(t *testing.T, p providers.Provider, inject func(googletest.Fault))) {
	t.Run("v3", func(t *testing.T) {
		srv := startV3(t)
		fn(t, newAdvanced(t, srv, nil), func(f googletest.Fault) { srv.Inject(f) })
	})
	t.Run("v2", func(t *testing.T) {
		srv := startV2(t)
		fn(t, newBasic(t, srv, nil), func(f googletest.Fault) { srv.Inject(f) })
	})
}

func TestTagFaults(t *testing.T) {
	segs := []string{"甲<x1/>乙。", "<g1>丙</g1>丁<x2/>。", "戊<x1/>己<g2>庚</g2>。"}
	tests := []struct {
		name   string
		fault  googletest.Fault
		failed []int
	}{
		{"dropped", rewrite(1, func(s string) string {
			return strings.Replace(s, `<span translate="no" id="x2"></span>`, "", 1)
		}), []int{1}},
		{"duplicated", rewrite(0, func(s string) string {
			return s + `<span translate="no" id="x1"></span>`
		}), []int{0}},
		{"moved out of its pair", rewrite(2, func(s string) string {
			// <span id="g2">…</span> loses its opening: the close has
			// nothing to close.
			return strings.Replace(s, `<span id="g2">`, "", 1)
		}), []int{2}},
		{"invented element", rewrite(0, func(s string) string { return "<b>" + s + "</b>" }), []int{0}},
		{"invented tag id", rewrite(2, func(s string) string {
			return s + `<span translate="no" id="x9"></span>`
		}), []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bothEngines(t, func(t *testing.T, p providers.Provider, inject func(googletest.Fault)) {
				inject(tt.fault)
				got, err := p.Translate(context.Background(), zhen(segs...))
				var se *providers.SegmentErrors
				if !errors.As(err, &se) {
					t.Fatalf("Translate error = %v, want *providers.SegmentErrors", err)
				}
				if len(got) != len(segs) {
					t.Fatalf("%d results with SegmentErrors, want %d", len(got), len(segs))
				}
				var failed []int
				for i := range segs {
					if se.Failed[i] != nil {
						failed = append(failed, i)
					} else if err := tags.Check(segs[i], got[i]); err != nil {
						t.Errorf("segment %d passed but tags.Check = %v", i, err)
					}
				}
				if diff := cmp.Diff(tt.failed, failed); diff != "" {
					t.Errorf("failed segments (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestEntitiesInReply(t *testing.T) {
	bothEngines(t, func(t *testing.T, p providers.Provider, inject func(googletest.Fault)) {
		inject(rewrite(0, func(string) string {
			return `It&#39;s &quot;<span id="g1">Biden</span>&quot; &amp; Putin &lt;3 &gt; all&nbsp;&#8212;<span translate="no" id="x2"></span>`
		}))
		got, err := p.Translate(context.Background(), zhen("“<g1>拜登</g1>”与普京<x2/>"))
		if err != nil {
			t.Fatal(err)
		}
		if want := "It's \"<g1>Biden</g1>\" & Putin <3 > all\u00a0—<x2/>"; got[0] != want {
			t.Errorf("Translate = %q, want %q", got[0], want)
		}
	})
}

func TestAdvancedLongSegment(t *testing.T) {
	srv := startV3(t)
	a := newAdvanced(t, srv, nil)
	sentence := func(i int) string {
		return "美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了" + tags.G(i) + "美俄峰会" + tags.EndG(i) + "。"
	}
	var b strings.Builder
	for i := 1; i <= 1200; i++ {
		b.WriteString(sentence(i))
	}
	long := b.String() // about 50,000 code points
	got, err := a.Translate(context.Background(), zhen("短句。", long, "<x1/>尾。"))
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	var strs int
	for _, c := range calls {
		strs += len(c.Contents)
		var n int
		for _, s := range c.Contents {
			n += utf8.RuneCountInString(s)
		}
		if n > AdvancedMaxChars {
			t.Errorf("a call carried %d code points, over %d", n, AdvancedMaxChars)
		}
	}
	if strs < 4 {
		t.Errorf("the long segment went out in %d strings in total, want it split", strs)
	}
	// Split into pieces and rejoined, the segment reads as its sentences
	// translated one by one, with a space between pieces.
	if err := tags.Check(long, got[1]); err != nil {
		t.Errorf("tags.Check(long) = %v", err)
	}
	one, err := a.Translate(context.Background(), zhen(sentence(1)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got[1], one[0]) {
		t.Errorf("long result starts %q, want %q", got[1][:len(one[0])], one[0])
	}
	// The pseudo translation puts no space after a full stop; only the
	// rejoining does, once between each two of the long segment's pieces
	// (the other two segments took one string each).
	if n, pieces := strings.Count(got[1], ". "), strs-2; n != pieces-1 {
		t.Errorf("long segment rejoined with %d spaces, want %d for %d pieces", n, pieces-1, pieces)
	}
}

func TestAdvancedBatching(t *testing.T) {
	srv := startV3(t)
	a := newAdvanced(t, srv, &AdvancedOptions{PricePerMillionChars: 20})
	segs := make([]string, 1500)
	for i := range segs {
		segs[i] = "第" + strings.Repeat("一", i%7) + "段。"
	}
	got, err := a.Translate(context.Background(), zhen(segs...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(segs) {
		t.Fatalf("%d results, want %d", len(got), len(segs))
	}
	calls := srv.Calls()
	if len(calls) != 2 || len(calls[0].Contents) != AdvancedMaxSegments {
		t.Errorf("calls carried %d strings first of %d calls, want %d then the rest", len(calls[0].Contents), len(calls), AdvancedMaxSegments)
	}
	u := a.Usage()
	if u.Requests != 2 || u.Characters != int64(srv.Chars()) {
		t.Errorf("Usage = %+v, want 2 requests and %d characters", u, srv.Chars())
	}
	if want := float64(srv.Chars()) * 20 / 1e6; u.Cost != want {
		t.Errorf("Usage().Cost = %v, want %v", u.Cost, want)
	}
	l := a.Limits()
	if l.MaxSegments != 1024 || l.MaxChars != 5000 {
		t.Errorf("Limits() = %+v", l)
	}
	if n := a.Tokens("a<x1/>"); n != utf8.RuneCountInString(encodeHTML("a<x1/>")) {
		t.Errorf("Tokens = %d", n)
	}
}

func TestAdvancedConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New: func(t *testing.T) providers.Provider { return newAdvanced(t, startV3(t), nil) },
		Fault: func(t *testing.T, f providertest.Fault) providers.Provider {
			srv := startV3(t)
			gf := map[providertest.Fault]googletest.Fault{
				providertest.FaultRateLimited: {Code: codes.ResourceExhausted, RetryAfter: 2 * time.Second},
				providertest.FaultServer:      {Code: codes.Unavailable},
				providertest.FaultPermanent:   {Code: codes.InvalidArgument},
				providertest.FaultBadReply:    {Drop: 1},
				providertest.FaultStall:       {Stall: true},
			}[f]
			srv.FailAll(&gf)
			return newAdvanced(t, srv, nil)
		},
		RetryAfter: 2 * time.Second,
	})
}

// TestAdvancedNeedsNoCredentialsUntilUsed: building the engine (for a dry
// run) needs no credentials; the first request without them fails
// permanently, once, with the reason.
func TestAdvancedNeedsNoCredentialsUntilUsed(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", t.TempDir()+"/missing.json")
	a, err := NewAdvanced(context.Background(), &AdvancedOptions{Project: "p"})
	if err != nil {
		t.Fatalf("NewAdvanced without credentials: %v", err)
	}
	defer a.Close()
	_, err = a.Translate(context.Background(), providers.Request{
		Source: language.Chinese, Target: language.English, Segments: []string{"你好"}})
	if providers.ClassOf(err) != providers.Permanent || !strings.Contains(err.Error(), "v3 client") {
		t.Errorf("Translate without credentials = %v, want a permanent credentials error", err)
	}
}
