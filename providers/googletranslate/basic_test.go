package googletranslate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

func TestBasicRequest(t *testing.T) {
	srv := startV2(t)
	b := newBasic(t, srv, nil)
	for _, tt := range []struct {
		target language.Tag
		want   string
	}{
		{language.SimplifiedChinese, "zh-CN"},
		{language.TraditionalChinese, "zh-TW"},
		{language.MustParse("zh-Hant-TW"), "zh-TW"},
	} {
		srv.Reset()
		req := providers.Request{Source: language.English, Target: tt.target, Segments: []string{"Say <g1>hi</g1> & 'bye'<x2/>"}}
		got, err := b.Translate(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if want := "SAY <g1>HI</g1> & 'BYE'<x2/>"; got[0] != want {
			t.Errorf("Translate = %q, want %q", got[0], want)
		}
		calls := srv.Calls()
		if len(calls) != 1 {
			t.Fatalf("%d calls, want 1", len(calls))
		}
		c := calls[0]
		want := googletest.Call{
			Method:   http.MethodGet,
			Contents: []string{`Say <span id="g1">hi</span> &amp; 'bye'<span translate="no" id="x2"></span>`},
			Source:   "en",
			Target:   tt.want,
			MimeType: "html",
			Model:    "nmt",
			Key:      canaryKey,
			URLBytes: c.URLBytes,
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("request for %v (-want +got):\n%s", tt.target, diff)
		}
	}
}

func TestBasicErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      googletest.Fault
		class      providers.Class
		retryAfter time.Duration
	}{
		{"403 rateLimitExceeded", googletest.Fault{Status: 403, Reason: "rateLimitExceeded", RetryAfter: 7 * time.Second}, providers.Retryable, 7 * time.Second},
		{"403 userRateLimitExceeded", googletest.Fault{Status: 403, Reason: "userRateLimitExceeded"}, providers.Retryable, 0},
		{"403 forbidden", googletest.Fault{Status: 403, Reason: "forbidden"}, providers.Permanent, 0},
		{"403 daily limit", googletest.Fault{Status: 403, Reason: "dailyLimitExceeded"}, providers.Permanent, 0},
		{"400 invalid argument", googletest.Fault{Status: 400, Reason: "invalid"}, providers.Permanent, 0},
		{"429", googletest.Fault{Status: 429, RetryAfter: time.Second}, providers.Retryable, time.Second},
		{"500", googletest.Fault{Status: 500}, providers.Retryable, 0},
		{"503", googletest.Fault{Status: 503}, providers.Retryable, 0},
		{"414", googletest.Fault{Status: 414}, providers.BadReply, 0},
		{"fewer translations", googletest.Fault{Drop: 1}, providers.BadReply, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startV2(t)
			b := newBasic(t, srv, nil)
			srv.Inject(tt.fault)
			got, err := b.Translate(context.Background(), zhen("第一段。", "第二段。"))
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
			if n := srv.Requests(); n != 1 {
				t.Errorf("fake saw %d requests, want 1 (no client retries)", n)
			}
		})
	}
}

func TestBasicWrongKey(t *testing.T) {
	srv := googletest.NewV2("sk-test-CANARY-the-right-one")
	defer srv.Close()
	b := newBasic(t, srv, nil)
	_, err := b.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Permanent {
		t.Errorf("wrong key: error %v has class %v, want permanent", err, c)
	}
}

// TestBasicKeyNeverLeaks runs failures with a debug logger and checks the
// key appears in no log line, error message or URL.
func TestBasicKeyNeverLeaks(t *testing.T) {
	srv := startV2(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := newBasic(t, srv, &BasicOptions{Logger: logger})
	var msgs []string
	for _, f := range []googletest.Fault{{Status: 403, Reason: "forbidden", Message: "bad key"}, {Status: 503}, {Drop: 1}} {
		srv.Inject(f)
		_, err := b.Translate(context.Background(), zhen("你好。"))
		msgs = append(msgs, fmt.Sprint(err))
	}
	// A transport error quotes the URL: the key must not be in it.
	dead, err := NewBasic(context.Background(), &BasicOptions{APIKey: canaryKey, Endpoint: "http://127.0.0.1:1/language/translate/", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dead.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Retryable {
		t.Errorf("connection refused: class %v, want retryable", c)
	}
	msgs = append(msgs, fmt.Sprint(err))
	for _, c := range srv.Calls() {
		if c.KeyInURL || c.Key != canaryKey {
			t.Errorf("key sent in the URL (%v) or not at all (%q)", c.KeyInURL, c.Key)
		}
	}
	all := logs.String() + strings.Join(msgs, "\n")
	if strings.Contains(all, canaryKey) || strings.Contains(all, "CANARY") {
		t.Errorf("API key leaked:\n%s", all)
	}
	if !strings.Contains(logs.String(), "google-basic: translate failed") {
		t.Errorf("no debug log written: %q", logs.String())
	}
}

// TestBasicURLBound sends a batch whose strings together overflow one URL:
// the engine must split it into calls that each fit, and the fake (which
// refuses longer URLs with 414) must accept every one.
func TestBasicURLBound(t *testing.T) {
	srv := startV2(t)
	srv.MaxURL = 4000
	b := newBasic(t, srv, &BasicOptions{MaxURLBytes: 4000})
	segs := make([]string, 100)
	total := 0
	for i := range segs {
		segs[i] = fmt.Sprintf("第%d段：美国总统拜登和俄罗斯总统普京<x1/>举行了峰会。", i)
		total += b.Tokens(segs[i])
	}
	got, err := b.Translate(context.Background(), zhen(segs...))
	if err != nil {
		t.Fatal(err)
	}
	for i := range segs {
		if err := tags.Check(segs[i], got[i]); err != nil {
			t.Errorf("segment %d: %v", i, err)
		}
	}
	limit := b.Limits().MaxTokens
	calls := srv.Calls()
	min := (total + limit - 1) / limit
	if len(calls) < min || len(calls) > min+1 {
		t.Errorf("%d calls for %d URL bytes under a budget of %d, want %d or %d", len(calls), total, limit, min, min+1)
	}
	for _, c := range calls {
		if c.URLBytes > 4000 {
			t.Errorf("a URL of %d bytes, over 4000", c.URLBytes)
		}
	}
}

func TestBasicLongSegment(t *testing.T) {
	srv := startV2(t)
	srv.MaxURL = 2000
	b := newBasic(t, srv, &BasicOptions{MaxURLBytes: 2000})
	var sb strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&sb, "这是第%d句话，<g%d>它</g%d>很长。", i, i, i)
	}
	long := sb.String()
	got, err := b.Translate(context.Background(), zhen(long))
	if err != nil {
		t.Fatal(err)
	}
	if err := tags.Check(long, got[0]); err != nil {
		t.Errorf("tags.Check = %v", err)
	}
	if n := srv.Requests(); n < 2 {
		t.Errorf("%d requests, want the segment split over several", n)
	}
}

func TestBasicSegmentCap(t *testing.T) {
	srv := startV2(t)
	b := newBasic(t, srv, nil)
	segs := make([]string, 200)
	for i := range segs {
		segs[i] = "段。"
	}
	if _, err := b.Translate(context.Background(), zhen(segs...)); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	if len(calls) != 2 || len(calls[0].Contents) != BasicMaxSegments {
		t.Errorf("%d calls, first with %d strings; want 2, first with 128", len(calls), len(calls[0].Contents))
	}
	if l := b.Limits(); l.MaxSegments != 128 || l.MaxTokens <= 0 || l.MaxTokens >= BasicDefaultMaxURLBytes {
		t.Errorf("Limits() = %+v", l)
	}
}

// TestRegistry opens both engines by name through a strict TOML decoder,
// as the CLI does.
func TestRegistry(t *testing.T) {
	v2 := startV2(t)
	v3 := startV3(t)
	strict := func(table string) func(any) error {
		return func(v any) error {
			return toml.NewDecoder(strings.NewReader(table)).DisallowUnknownFields().Decode(v)
		}
	}
	env := map[string]string{"GOOGLE_TRANSLATE_API_KEY": canaryKey, "GOOGLE_CLOUD_PROJECT": "envproj"}
	getenv := func(k string) string { return env[k] }

	p, err := providers.Open("google-basic", providers.Config{
		Decode: strict(fmt.Sprintf("endpoint = %q\nprice_per_million_chars = 20\n", v2.Endpoint())),
		Getenv: getenv,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Translate(context.Background(), zhen("你好。")); err != nil {
		t.Errorf("google-basic Translate: %v", err)
	}
	if u := p.(providers.Metered).Usage(); u.Cost == 0 || u.Characters == 0 {
		t.Errorf("Usage = %+v", u)
	}

	p, err = providers.Open("google", providers.Config{
		Decode: strict(fmt.Sprintf("endpoint = %q\ninsecure = true\nlocation = \"us-central1\"\nmodel = \"general/nmt\"\n", v3.Addr())),
		Getenv: getenv,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Translate(context.Background(), zhen("你好。")); err != nil {
		t.Errorf("google Translate: %v", err)
	}
	if m := v3.Calls()[0].Model; m != "projects/envproj/locations/us-central1/models/general/nmt" {
		t.Errorf("model = %q", m)
	}

	_, err = providers.Open("google-basic", providers.Config{Getenv: func(string) string { return "" }})
	if !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("no key: error %v, want ErrNoAPIKey", err)
	}
	_, err = providers.Open("google", providers.Config{Decode: strict("projekt = \"typo\"\n"), Getenv: getenv})
	if err == nil {
		t.Error("unknown key accepted")
	}
}

func TestBasicConformance(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		New: func(t *testing.T) providers.Provider { return newBasic(t, startV2(t), nil) },
		Fault: func(t *testing.T, f providertest.Fault) providers.Provider {
			srv := startV2(t)
			gf := map[providertest.Fault]googletest.Fault{
				providertest.FaultRateLimited: {Status: 403, Reason: "rateLimitExceeded", RetryAfter: 2 * time.Second},
				providertest.FaultServer:      {Status: 503},
				providertest.FaultPermanent:   {Status: 400, Reason: "invalid"},
				providertest.FaultBadReply:    {Drop: 1},
				providertest.FaultStall:       {Stall: true},
			}[f]
			srv.FailAll(&gf)
			return newBasic(t, srv, nil)
		},
		RetryAfter: 2 * time.Second,
	})
}
