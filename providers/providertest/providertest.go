package providertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// Fault is a failure a harness can make its engine's fake produce.
type Fault int

// The faults the suite asks for.
const (
	// FaultRateLimited is a 429 (or the engine's equivalent) with a
	// Retry-After: the error must be Retryable and, when the harness sets
	// Harness.RetryAfter, carry that wait.
	FaultRateLimited Fault = iota + 1
	// FaultServer is a 5xx or unavailable: the error must be Retryable.
	FaultServer
	// FaultPermanent is bad credentials or a bad request: Permanent.
	FaultPermanent
	// FaultBadReply is a malformed reply or one with the wrong number of
	// results: BadReply.
	FaultBadReply
	// FaultStall makes the engine's requests hang until the caller gives
	// up: canceling the context must return promptly with a Canceled error.
	FaultStall
	// FaultTooLarge is the engine's "request too big" answer (a context
	// window exceeded, "text too long"): TooLarge, so the pipeline splits
	// rather than retries or stops.
	FaultTooLarge
)

// faults lists every Fault in the order Run tries them.
var faults = []Fault{FaultRateLimited, FaultServer, FaultPermanent, FaultBadReply, FaultStall, FaultTooLarge}

// String returns the fault's name, used in subtest names.
func (f Fault) String() string {
	switch f {
	case FaultRateLimited:
		return "RateLimited"
	case FaultServer:
		return "Server"
	case FaultPermanent:
		return "Permanent"
	case FaultBadReply:
		return "BadReply"
	case FaultStall:
		return "Stall"
	case FaultTooLarge:
		return "TooLarge"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Harness tells [Run] how to build the engine under test.
type Harness struct {
	// New returns a fresh, working provider. It is called at least once per
	// subtest; use t.Cleanup to release servers.
	New func(t *testing.T) providers.Provider

	// Fault, when set, returns a fresh provider whose every request fails
	// with f, or nil when the engine cannot produce that fault (the subtest
	// is skipped).
	Fault func(t *testing.T, f Fault) providers.Provider

	// Model, when set, is the model the engine must report through
	// [providers.Modeler], which names the origin of its translations.
	Model string

	// Identity says the engine returns each segment unchanged (copy).
	Identity bool

	// Nondeterministic says the same segment may translate differently
	// from one request to the next; it disables the reversed-batch check.
	Nondeterministic bool

	// RetryAfter, when positive, is the wait the FaultRateLimited fake asks
	// for; the suite then checks providers.RetryAfterOf reports it.
	RetryAfter time.Duration

	// Source and Target are the language pair of every request; zero
	// values mean zh and en. The suite's segments are Chinese either way.
	Source, Target language.Tag

	// Timeout bounds each call so a hung engine fails instead of blocking
	// the test binary; 0 means 30s. It is a deadlock guard, not a
	// performance assertion.
	Timeout time.Duration
}

// Run runs the conformance suite against the engine h describes.
func Run(t *testing.T, h Harness) {
	t.Helper()
	if h.New == nil {
		t.Fatal("providertest: Harness.New is nil")
	}
	if h.Source == (language.Tag{}) {
		h.Source = language.Chinese
	}
	if h.Target == (language.Tag{}) {
		h.Target = language.English
	}
	if h.Timeout <= 0 {
		h.Timeout = 30 * time.Second
	}
	s := &suite{h: h}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			c.run(s, t, func() providers.Provider { return h.New(t) })
		})
	}
	for _, f := range faults {
		t.Run("Fault"+f.String(), func(t *testing.T) {
			if h.Fault == nil {
				t.Skip("harness injects no faults")
			}
			s.fault(t, f, func() providers.Provider { return h.Fault(t, f) })
		})
	}
}

type suite struct{ h Harness }

// A check runs against providers that newP builds, reporting through t.
// Checks take a testing.TB, not a *testing.T, so that the suite's own
// tests can run them against broken engines with a recording TB and prove
// that each one fails.
type check struct {
	name string
	run  func(s *suite, t testing.TB, newP func() providers.Provider)
}

var checks = []check{
	{"Empty", (*suite).empty},
	{"Order", (*suite).order},
	{"Tags", (*suite).tags},
	{"Unicode", (*suite).unicode},
	{"Concurrent", (*suite).concurrent},
	{"RequestUntouched", (*suite).untouched},
	{"Canceled", (*suite).canceled},
	{"Model", (*suite).model},
}

func (s *suite) req(segs ...string) providers.Request {
	return providers.Request{
		Source:   s.h.Source,
		Target:   s.h.Target,
		Segments: segs,
		Context:  providers.Context{Title: "一篇测试文章", Path: "providertest/article.md"},
	}
}

// translate calls p under the harness's deadlock guard and checks the
// universal part of the contract: no error means one result per segment.
func (s *suite) translate(t testing.TB, p providers.Provider, req providers.Request) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
	defer cancel()
	got, err := p.Translate(ctx, req)
	if err != nil {
		t.Fatalf("Translate(%d segments) error: %v (class %v)", len(req.Segments), err, providers.ClassOf(err))
	}
	if len(got) != len(req.Segments) {
		t.Fatalf("Translate(%d segments) returned %d results", len(req.Segments), len(got))
	}
	return got
}

// checkResults applies the per-segment checks every result must pass.
func (s *suite) checkResults(t testing.TB, segs, got []string) {
	t.Helper()
	for i, src := range segs {
		out := got[i]
		if !utf8.ValidString(out) {
			t.Errorf("segment %d (%q): result %q is not valid UTF-8", i, src, out)
		}
		switch {
		case src == "":
			if out != "" {
				t.Errorf("segment %d: empty segment came back as %q", i, out)
			}
			continue
		case strings.TrimSpace(src) == "":
			if strings.TrimSpace(out) != "" {
				t.Errorf("segment %d: whitespace-only segment %q came back as %q", i, src, out)
			}
			continue
		}
		if err := tags.Check(src, out); err != nil {
			t.Errorf("segment %d: tags.Check(%q, %q) = %v", i, src, out, err)
		}
		if s.h.Identity && out != src {
			t.Errorf("segment %d: identity engine returned %q, want %q", i, out, src)
		}
		if !s.h.Identity && strings.TrimSpace(tags.Strip(src)) != "" && strings.TrimSpace(out) == "" {
			t.Errorf("segment %d: %q translated to blank %q", i, src, out)
		}
	}
}

func (s *suite) empty(t testing.TB, newP func() providers.Provider) {
	got := s.translate(t, newP(), s.req())
	if len(got) != 0 {
		t.Errorf("Translate(no segments) = %q, want none", got)
	}
	segs := []string{"", " ", "\t", "\u3000", "\n", ""}
	got = s.translate(t, newP(), s.req(segs...))
	s.checkResults(t, segs, got)
	// Blank segments mixed with real ones keep their places.
	mixed := []string{"", "第一段。", "  ", "第二段<x1/>。", ""}
	got = s.translate(t, newP(), s.req(mixed...))
	s.checkResults(t, mixed, got)
}

// orderSegments are varied segments; segment i carries i%5 standalone tags
// (and some paired ones), so a reply in the wrong order fails tags.Check.
func orderSegments() []string {
	texts := []string{
		"美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了美俄峰会。",
		"短句。",
		"",
		"这是一个很长的段落，" + strings.Repeat("它讨论了战略稳定对话的历史、现状与前景，", 6) + "最后作出总结。",
		"标题：独立观点",
		"   ",
		"数字 2021 年、3.5 亿和百分之五。",
		"Mixed 中文 and English text.",
		"引用「原话」与（括号）。",
		"第十段",
		"最后一段，带有链接。",
	}
	segs := make([]string, len(texts))
	for i, txt := range texts {
		if strings.TrimSpace(txt) == "" {
			segs[i] = txt
			continue
		}
		var b strings.Builder
		b.WriteString(txt)
		n := i % 5
		for k := 1; k <= n; k++ {
			b.WriteString(tags.X(k))
		}
		if i%3 == 0 {
			id := n + 1
			b.WriteString("见" + tags.G(id) + "原文" + tags.EndG(id) + "。")
		}
		segs[i] = b.String()
	}
	return segs
}

func (s *suite) order(t testing.TB, newP func() providers.Provider) {
	segs := orderSegments()
	got := s.translate(t, newP(), s.req(segs...))
	s.checkResults(t, segs, got)
	if s.h.Nondeterministic {
		return
	}
	rev := slices.Clone(segs)
	slices.Reverse(rev)
	gotRev := s.translate(t, newP(), s.req(rev...))
	slices.Reverse(gotRev)
	for i := range segs {
		if got[i] != gotRev[i] {
			t.Errorf("segment %d: %q translated to %q in order and %q reversed", i, segs[i], got[i], gotRev[i])
		}
	}
}

func (s *suite) tags(t testing.TB, newP func() providers.Provider) {
	segs := []string{
		"点击<x1/>查看。",
		"<x1/>开头的标签。",
		"结尾的标签<x1/>",
		"这是<g1>粗体</g1>和<g2>斜体</g2>文字。",
		"嵌套：<g1>外层<g2>内层</g2>外层</g1>结束。",
		"深层：<g1><g2><g3>三层</g3></g2></g1>。",
		"相邻<x1/><x2/><x3/>标签。",
		"<g1>整段是链接文字</g1>",
		"<x1/>",
		"<g1><x2/></g1>",
		"混合<g1>链接<x2/>文字</g1>与代码<x3/>和<g4>强调</g4>。",
		"多个：" + strings.Join([]string{tags.X(1), tags.X(2), tags.X(3), tags.X(4), tags.X(5), tags.X(6), tags.X(7), tags.X(8), tags.X(9), tags.X(10), tags.X(11), tags.X(12)}, "，") + "。",
		"不是标签的尖括号 a < b 和 c > d。",
	}
	got := s.translate(t, newP(), s.req(segs...))
	s.checkResults(t, segs, got)
}

func (s *suite) unicode(t testing.TB, newP func() providers.Provider) {
	segs := []string{
		"中华人民共和国成立于一九四九年。",
		"繁體中文：臺灣與香港。",
		"全角标点：，。！？；：“”‘’（）【】《》",
		"表情符号 😀🎉 和旗帜 🇨🇳。",
		"组合字符 é (e\u0301) 与零宽\u200b空格。",
		"阿拉伯文 مرحبا 与希伯来文 שלום。",
		"行内\u2028分隔符。",
		"日本語のテキストと한국어 텍스트。",
		"全角数字１２３与半角123<x1/>。",
		"\ufeff带BOM的段落。",
	}
	got := s.translate(t, newP(), s.req(segs...))
	s.checkResults(t, segs, got)
}

func (s *suite) concurrent(t testing.TB, newP func() providers.Provider) {
	p := newP()
	segs := orderSegments()
	const workers = 6
	var wg sync.WaitGroup
	results := make([][]string, workers)
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
			defer cancel()
			// Each worker sends a different rotation of the batch.
			rot := append(slices.Clone(segs[w:]), segs[:w]...)
			out, err := p.Translate(ctx, s.req(rot...))
			if err == nil && len(out) == len(rot) {
				// Rotate back so every worker's results line up with segs.
				out = append(slices.Clone(out[len(out)-w:]), out[:len(out)-w]...)
			}
			results[w], errs[w] = out, err
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			t.Errorf("worker %d: Translate error: %v", w, errs[w])
			continue
		}
		if len(results[w]) != len(segs) {
			t.Errorf("worker %d: %d results for %d segments", w, len(results[w]), len(segs))
			continue
		}
		s.checkResults(t, segs, results[w])
		if !s.h.Nondeterministic && w > 0 && results[0] != nil && !slices.Equal(results[0], results[w]) {
			t.Errorf("worker %d: results differ from worker 0:\n%q\n%q", w, results[w], results[0])
		}
	}
}

func (s *suite) untouched(t testing.TB, newP func() providers.Provider) {
	segs := orderSegments()
	before := slices.Clone(segs)
	req := s.req(segs...)
	s.translate(t, newP(), req)
	if !slices.Equal(req.Segments, before) {
		t.Errorf("Translate modified req.Segments:\n got %q\nwant %q", req.Segments, before)
	}
}

func (s *suite) canceled(t testing.TB, newP func() providers.Provider) {
	p := newP()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := s.guarded(t, p, ctx, s.req("被取消的请求。", "第二段。"))
	if err == nil {
		t.Fatalf("Translate(canceled ctx) = %q, nil; want a Canceled error", out)
	}
	if c := providers.ClassOf(err); c != providers.Canceled {
		t.Errorf("Translate(canceled ctx) error %v has class %v, want %v", err, c, providers.Canceled)
	}
}

// guarded runs Translate in a goroutine so that an engine that ignores its
// context fails the test instead of hanging it.
func (s *suite) guarded(t testing.TB, p providers.Provider, ctx context.Context, req providers.Request) ([]string, error) {
	t.Helper()
	type result struct {
		out []string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := p.Translate(ctx, req)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(s.h.Timeout):
		t.Fatalf("Translate did not return within %v of its context ending", s.h.Timeout)
		return nil, nil
	}
}

// model checks the engine names its model as the harness says.
func (s *suite) model(t testing.TB, newP func() providers.Provider) {
	if s.h.Model == "" {
		t.Skip("harness names no model")
	}
	m, ok := newP().(providers.Modeler)
	if !ok {
		t.Fatalf("engine does not implement providers.Modeler; want model %q", s.h.Model)
	}
	if got := m.Model(); got != s.h.Model {
		t.Errorf("Model() = %q, want %q", got, s.h.Model)
	}
}

// fault checks the error of a provider (from newP) that fails with f.
func (s *suite) fault(t testing.TB, f Fault, newP func() providers.Provider) {
	p := newP()
	if p == nil {
		t.Skipf("harness cannot inject %v", f)
	}
	req := s.req("故障注入测试。", "第二段<x1/>。", "第三段。")
	if f == FaultStall {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// Cancel once the request has had time to reach the stalled fake;
		// the exact moment does not matter.
		time.AfterFunc(50*time.Millisecond, cancel)
		out, err := s.guarded(t, p, ctx, req)
		if err == nil {
			t.Fatalf("Translate(stalled, canceled) = %q, nil; want a Canceled error", out)
		}
		if c := providers.ClassOf(err); c != providers.Canceled {
			t.Errorf("Translate(stalled, canceled) error %v has class %v, want %v", err, c, providers.Canceled)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.h.Timeout)
	defer cancel()
	out, err := p.Translate(ctx, req)
	if err == nil {
		t.Fatalf("Translate under fault %v = %q, nil; want an error", f, out)
	}
	var segErrs *providers.SegmentErrors
	if errors.As(err, &segErrs) {
		t.Fatalf("Translate under fault %v returned per-segment errors %v; want a batch error of class %v", f, err, wantClass(f))
	}
	if c := providers.ClassOf(err); c != wantClass(f) {
		t.Errorf("Translate under fault %v: error %v has class %v, want %v", f, err, c, wantClass(f))
	}
	if f == FaultRateLimited && s.h.RetryAfter > 0 {
		d, ok := providers.RetryAfterOf(err)
		if !ok || d != s.h.RetryAfter {
			t.Errorf("Translate under fault %v: RetryAfterOf = %v, %v; want %v", f, d, ok, s.h.RetryAfter)
		}
	}
}

func wantClass(f Fault) providers.Class {
	switch f {
	case FaultRateLimited, FaultServer:
		return providers.Retryable
	case FaultPermanent:
		return providers.Permanent
	case FaultBadReply:
		return providers.BadReply
	case FaultTooLarge:
		return providers.TooLarge
	}
	return providers.Canceled
}
