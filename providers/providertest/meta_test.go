package providertest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

// recorder is a testing.TB that records failures instead of failing the
// test it wraps, so a check can be run against an engine that should fail
// it. Fatal, FailNow and Skip end the check's goroutine, as testing does.
type recorder struct {
	testing.TB // the real test: Helper, Cleanup, TempDir, Logf

	mu      sync.Mutex
	failed  bool
	skipped bool
	msgs    []string
}

func (r *recorder) note(failed bool, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if failed {
		r.failed = true
	}
	r.msgs = append(r.msgs, msg)
}

func (r *recorder) Errorf(format string, args ...any) { r.note(true, fmt.Sprintf(format, args...)) }
func (r *recorder) Error(args ...any)                 { r.note(true, fmt.Sprint(args...)) }
func (r *recorder) Fail()                             { r.note(true, "Fail") }
func (r *recorder) FailNow()                          { r.note(true, "FailNow"); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.note(true, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.note(true, fmt.Sprint(args...)); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) {
	r.mu.Lock()
	r.skipped = true
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) { r.Skipf("") }
func (r *recorder) SkipNow()         { r.Skipf("") }
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}
func (r *recorder) Skipped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.skipped
}

// record runs fn with a recorder in its own goroutine, so that Fatal can
// end it, and returns the recorder once fn has returned or exited.
func record(t *testing.T, fn func(tb testing.TB)) *recorder {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(rec)
	}()
	<-done
	return rec
}

// flaw is one way an engine can break the contract.
type flaw int

const (
	sound            flaw = iota
	reorders              // results rotated by one
	dropsTag              // the first tag of each result removed
	blanks                // every result empty
	fillsEmpty            // empty segments come back as text
	badUTF8               // a result with an emoji gets an invalid byte
	positional            // a result depends on the segment's place in the batch
	staleCache            // every call returns the first call's results
	wrongCount            // one result too few
	mutatesRequest        // writes into req.Segments
	ignoresCancel         // translates with a canceled context
	misclassifies         // 429 reported as permanent, too large as a bad reply
	segErrsForBatch       // a malformed reply reported per segment
	hangs                 // a stalled request ignores its context
	missesRetryAfter      // drops the server's Retry-After
	wrongModel            // names a model other than the one it runs
)

// engine is a small engine that translates by upper-casing text around
// the tags, fails as its fault says, and breaks the contract as its flaw
// says.
type engine struct {
	fault   Fault
	flaw    flaw
	release chan struct{} // closed at cleanup, to end a hang that ignores ctx

	mu    sync.Mutex
	first []string
}

func (e *engine) Model() string {
	if e.flaw == wrongModel {
		return "other-model"
	}
	return "upper-1"
}

func (e *engine) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil && e.flaw != ignoresCancel && e.flaw != hangs {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	if e.flaw == mutatesRequest && len(req.Segments) > 0 {
		req.Segments[0] += "!"
	}
	if err := e.fail(ctx); err != nil {
		return nil, err
	}
	out := make([]string, len(req.Segments))
	for i, s := range req.Segments {
		out[i] = e.one(i, s)
	}
	switch e.flaw {
	case reorders:
		if len(out) > 1 {
			out = append(out[1:], out[0])
		}
	case wrongCount:
		if len(out) > 0 {
			out = out[:len(out)-1]
		}
	case staleCache:
		e.mu.Lock()
		if e.first == nil {
			e.first = out
		} else if len(e.first) == len(out) {
			out = append([]string(nil), e.first...)
		}
		e.mu.Unlock()
	}
	return out, nil
}

func (e *engine) fail(ctx context.Context) error {
	switch e.fault {
	case FaultRateLimited:
		c := providers.Retryable
		if e.flaw == misclassifies {
			c = providers.Permanent
		}
		wait := 2 * time.Second
		if e.flaw == missesRetryAfter {
			wait = 0
		}
		return &providers.Error{Class: c, Status: 429, RetryAfter: wait, Err: errors.New("slow down")}
	case FaultServer:
		return &providers.Error{Class: providers.Retryable, Status: 503, Err: errors.New("unavailable")}
	case FaultPermanent:
		return &providers.Error{Class: providers.Permanent, Status: 401, Err: errors.New("bad key")}
	case FaultBadReply:
		if e.flaw == segErrsForBatch {
			return &providers.SegmentErrors{Failed: map[int]error{0: errors.New("malformed")}}
		}
		return providers.Errorf(providers.BadReply, "malformed")
	case FaultTooLarge:
		if e.flaw == misclassifies {
			return providers.Errorf(providers.BadReply, "context length exceeded")
		}
		return providers.Errorf(providers.TooLarge, "context length exceeded")
	case FaultStall:
		if e.flaw == hangs {
			<-e.release
			return errors.New("released")
		}
		<-ctx.Done()
		return &providers.Error{Class: providers.Canceled, Err: ctx.Err()}
	}
	return nil
}

func (e *engine) one(i int, s string) string {
	if strings.TrimSpace(s) == "" {
		if e.flaw == fillsEmpty && s == "" {
			return "x"
		}
		return s
	}
	if e.flaw == blanks {
		return ""
	}
	var b strings.Builder
	dropped := false
	for _, tok := range tags.Parse(s) {
		switch {
		case tok.Kind == tags.Text:
			b.WriteString(strings.ToUpper(tok.Text))
		case e.flaw == dropsTag && !dropped:
			dropped = true
		default:
			b.WriteString(tok.Text)
		}
	}
	if e.flaw == badUTF8 && strings.ContainsRune(s, '😀') {
		b.WriteString("\xff")
	}
	if e.flaw == positional {
		fmt.Fprintf(&b, " #%d", i)
	}
	return b.String()
}

// harness returns a suite for the engine with the given flaw; its stall
// guard is short, since a hang is expected of some engines.
func harness(t *testing.T, fl flaw) (*suite, func(Fault) func() providers.Provider) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := &suite{h: Harness{
		Source: language.Chinese, Target: language.English,
		Timeout: 300 * time.Millisecond, RetryAfter: 2 * time.Second, Model: "upper-1",
	}}
	return s, func(f Fault) func() providers.Provider {
		return func() providers.Provider { return &engine{fault: f, flaw: fl, release: release} }
	}
}

// TestSoundEnginePasses is the control: a sound engine passes every check
// under the recorder, so the failures below are the flaws' doing.
func TestSoundEnginePasses(t *testing.T) {
	s, newP := harness(t, sound)
	for _, c := range checks {
		if rec := record(t, func(tb testing.TB) { c.run(s, tb, newP(0)) }); rec.Failed() {
			t.Errorf("check %s failed a sound engine: %q", c.name, rec.msgs)
		}
	}
	for _, f := range faults {
		if rec := record(t, func(tb testing.TB) { s.fault(tb, f, newP(f)) }); rec.Failed() || rec.Skipped() {
			t.Errorf("fault %v: sound engine failed (%v) or was skipped (%v): %q", f, rec.Failed(), rec.Skipped(), rec.msgs)
		}
	}
}

// TestSuiteCatchesBrokenEngines runs the checks against engines broken
// in one way each and asserts that the check meant to catch the flaw
// fails.
func TestSuiteCatchesBrokenEngines(t *testing.T) {
	tests := []struct {
		flaw  flaw
		check string // a check name, or "Fault" + a fault name
	}{
		{reorders, "Order"},
		{reorders, "Concurrent"},
		{dropsTag, "Tags"},
		{dropsTag, "Order"},
		{blanks, "Tags"},
		{fillsEmpty, "Empty"},
		{badUTF8, "Unicode"},
		{positional, "Order"},
		{staleCache, "Concurrent"},
		{wrongCount, "Empty"},
		{wrongCount, "Tags"},
		{mutatesRequest, "RequestUntouched"},
		{ignoresCancel, "Canceled"},
		{misclassifies, "FaultRateLimited"},
		{misclassifies, "FaultTooLarge"},
		{segErrsForBatch, "FaultBadReply"},
		{hangs, "FaultStall"},
		{missesRetryAfter, "FaultRateLimited"},
		{wrongModel, "Model"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%s", tt.flaw, tt.check), func(t *testing.T) {
			s, newP := harness(t, tt.flaw)
			var rec *recorder
			if name, ok := strings.CutPrefix(tt.check, "Fault"); ok {
				f := faultNamed(t, name)
				rec = record(t, func(tb testing.TB) { s.fault(tb, f, newP(f)) })
			} else {
				c := checkNamed(t, tt.check)
				rec = record(t, func(tb testing.TB) { c.run(s, tb, newP(0)) })
			}
			if !rec.Failed() {
				t.Errorf("check %s passed an engine with flaw %d (skipped: %v)", tt.check, tt.flaw, rec.Skipped())
			}
			for _, m := range rec.msgs {
				if !utf8.ValidString(m) && tt.flaw != badUTF8 {
					t.Errorf("failure message is not UTF-8: %q", m)
				}
			}
		})
	}
}

func checkNamed(t *testing.T, name string) check {
	for _, c := range checks {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no check %q", name)
	return check{}
}

func faultNamed(t *testing.T, name string) Fault {
	for _, f := range faults {
		if f.String() == name {
			return f
		}
	}
	t.Fatalf("no fault %q", name)
	return 0
}
