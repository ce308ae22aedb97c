package googlebasic_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googlebasic"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

// canaryKey is a fake API key whose appearance anywhere in output is a leak.
const canaryKey = "sk-test-CANARY-google-0123456789"

func startV2(t testing.TB) *googletest.V2 {
	t.Helper()
	srv := googletest.NewV2(canaryKey)
	t.Cleanup(srv.Close)
	return srv
}

// newBasic returns an engine on srv; opts may be nil.
func newBasic(t testing.TB, srv *googletest.V2, opts *googlebasic.Options) *googlebasic.Translator {
	t.Helper()
	var o googlebasic.Options
	if opts != nil {
		o = *opts
	}
	if o.APIKey == "" {
		o.APIKey = canaryKey
	}
	o.Endpoint = srv.Endpoint()
	b, err := googlebasic.NewTranslator(&o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func zhen(segs ...string) providers.Request {
	return providers.Request{Source: language.Chinese, Target: language.English, Segments: segs}
}

func strict(table string) func(any) error {
	return func(v any) error {
		return toml.NewDecoder(strings.NewReader(table)).DisallowUnknownFields().Decode(v)
	}
}

func TestRequest(t *testing.T) {
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
			Method:    http.MethodPost,
			Contents:  []string{`Say <span id="g1">hi</span> &amp; 'bye'<span translate="no" id="x2"></span>`},
			Source:    "en",
			Target:    tt.want,
			MimeType:  "html",
			Model:     "nmt",
			Key:       canaryKey,
			URLBytes:  c.URLBytes,
			BodyBytes: c.BodyBytes,
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("request for %v (-want +got):\n%s", tt.target, diff)
		}
	}
	if m := b.Model(); m != "nmt" {
		t.Errorf("Model() = %q", m)
	}
}

func TestErrors(t *testing.T) {
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
		{"400 invalid argument", googletest.Fault{Status: 400, Reason: "invalid", Message: "Invalid Value"}, providers.Permanent, 0},
		{"400 text too long", googletest.Fault{Status: 400, Reason: "invalid", Message: "Text too long"}, providers.TooLarge, 0},
		{"429", googletest.Fault{Status: 429, RetryAfter: time.Second}, providers.Retryable, time.Second},
		{"500", googletest.Fault{Status: 500}, providers.Retryable, 0},
		{"503", googletest.Fault{Status: 503}, providers.Retryable, 0},
		{"413", googletest.Fault{Status: 413}, providers.TooLarge, 0},
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

func TestWrongKey(t *testing.T) {
	srv := googletest.NewV2("sk-test-CANARY-the-right-one")
	defer srv.Close()
	b := newBasic(t, srv, nil)
	_, err := b.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Permanent {
		t.Errorf("wrong key: error %v has class %v, want permanent", err, c)
	}
}

// TestKeyNeverLeaks runs failures with a debug logger and checks no
// 12-byte piece of the key appears in a log line, an error message or a
// URL, even when the server echoes part of it.
func TestKeyNeverLeaks(t *testing.T) {
	srv := startV2(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := newBasic(t, srv, &googlebasic.Options{Logger: logger})
	var msgs []string
	for _, f := range []googletest.Fault{
		{Status: 403, Reason: "forbidden", Message: "bad key " + canaryKey},
		{Status: 400, Reason: "keyInvalid", Message: "API key not valid: " + canaryKey[3:19] + "…"},
		{Status: 503}, {Drop: 1},
	} {
		srv.Inject(f)
		_, err := b.Translate(context.Background(), zhen("你好。"))
		msgs = append(msgs, fmt.Sprint(err))
	}
	// A refused connection: retryable, recognisably unreachable, and the
	// key nowhere in the message that quotes the URL.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dead, err := googlebasic.NewTranslator(&googlebasic.Options{APIKey: canaryKey, Endpoint: "http://" + addr + "/language/translate/", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dead.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Retryable || !providers.IsUnreachable(err) {
		t.Errorf("connection refused: %v, class %v, unreachable %v; want retryable and unreachable", err, c, providers.IsUnreachable(err))
	}
	msgs = append(msgs, fmt.Sprint(err))
	for _, c := range srv.Calls() {
		if c.KeyInURL || c.Key != canaryKey {
			t.Errorf("key sent in the URL (%v) or not at all (%q)", c.KeyInURL, c.Key)
		}
	}
	all := logs.String() + strings.Join(msgs, "\n")
	for i := 0; i+providers.RedactMin <= len(canaryKey); i++ {
		if strings.Contains(all, canaryKey[i:i+providers.RedactMin]) {
			t.Fatalf("API key piece %q leaked:\n%s", canaryKey[i:i+providers.RedactMin], all)
		}
	}
	if !strings.Contains(logs.String(), "google-basic: translate failed") {
		t.Errorf("no debug log written: %q", logs.String())
	}
}

// TestOneRequest: a Translate call is one request, never several: what
// fits Google's limits goes out whole, what does not is refused as too
// large before anything is sent, so a retry can never pay twice.
func TestOneRequest(t *testing.T) {
	srv := startV2(t)
	b := newBasic(t, srv, nil)
	segs := make([]string, googlebasic.MaxSegments)
	for i := range segs {
		segs[i] = fmt.Sprintf("第%d段：美国总统拜登和俄罗斯总统普京<x1/>举行了峰会。", i)
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
	if n := srv.Requests(); n != 1 {
		t.Fatalf("%d requests for %d segments, want 1", n, len(segs))
	}
	for name, req := range map[string][]string{
		"129 segments":  append(segs, "再一段。"),
		"a 100 KB body": {strings.Repeat("<", 20_000)},
		"a long text":   {strings.Repeat("长", 40_000)},
	} {
		if _, err := b.Translate(context.Background(), zhen(req...)); providers.ClassOf(err) != providers.TooLarge {
			t.Errorf("%s: error %v, want too large", name, err)
		}
	}
	if n := srv.Requests(); n != 1 {
		t.Errorf("%d requests: a request too large was sent", n)
	}
}

// TestLimits: the pipeline packs one request's worth in billed code
// points, and a segment longer than a request is split before it comes.
func TestLimits(t *testing.T) {
	b := newBasic(t, startV2(t), &googlebasic.Options{MaxCharsPerRequest: 3000, Concurrency: 3, RequestsPerMinute: 600})
	want := providers.Limits{MaxSegments: 128, MaxChars: 3000, MaxTokens: 3000, MaxSegmentChars: 3000, Concurrency: 3, RequestsPerMinute: 600}
	if diff := cmp.Diff(want, b.Limits()); diff != "" {
		t.Errorf("Limits (-want +got):\n%s", diff)
	}
	for seg, n := range map[string]int{"": 0, "  ": 0, " a<x1/> ": 1 + len(`<span translate="no" id="x1"></span>`), "a&b": 7} {
		if got := b.Tokens(seg); got != n {
			t.Errorf("Tokens(%q) = %d, want %d", seg, got, n)
		}
	}
	if _, err := googlebasic.NewTranslator(&googlebasic.Options{APIKey: canaryKey, MaxCharsPerRequest: 20_000}); err == nil {
		t.Error("max_chars_per_request 20000 accepted")
	}
}

// TestKeyRule: the key variable must be set unless the endpoint is local
// or api_key_env = "".
func TestKeyRule(t *testing.T) {
	tests := []struct {
		name, table string
		env         map[string]string
		wantErr     string
	}{
		{"no key", ``, nil, "GOOGLE_TRANSLATE_API_KEY is not set"},
		{"key", ``, map[string]string{"GOOGLE_TRANSLATE_API_KEY": canaryKey}, ""},
		{"own variable unset", `api_key_env = "MY_KEY"`, map[string]string{"GOOGLE_TRANSLATE_API_KEY": canaryKey}, "MY_KEY is not set"},
		{"own variable", `api_key_env = "MY_KEY"`, map[string]string{"MY_KEY": canaryKey}, ""},
		{"local emulator", `endpoint = "http://127.0.0.1:9000/language/translate/"`, nil, ""},
		{"declared keyless", "api_key_env = \"\"\nendpoint = \"https://proxy.example.com/language/translate/\"", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := providers.Open("google-basic", providers.Config{Decode: strict(tt.table), Getenv: func(k string) string { return tt.env[k] }})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, providers.ErrNoKey) {
				t.Fatalf("Open error = %v, want ErrNoKey saying %q", err, tt.wantErr)
			}
		})
	}
}

// TestKeylessSendsNoKey: with api_key_env = "" no key goes out.
func TestKeylessSendsNoKey(t *testing.T) {
	srv := googletest.NewV2("")
	defer srv.Close()
	p, err := providers.Open("google-basic", providers.Config{
		Decode: strict(fmt.Sprintf("api_key_env = \"\"\nendpoint = %q\n", srv.Endpoint())),
		Getenv: func(string) string { return canaryKey },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Translate(context.Background(), zhen("你好。")); err != nil {
		t.Fatal(err)
	}
	if k := srv.Calls()[0].Key; k != "" {
		t.Errorf("key %q sent", k)
	}
}

// TestRegistry opens the engine by name through a strict TOML decoder, as
// the CLI does.
func TestRegistry(t *testing.T) {
	v2 := startV2(t)
	p, err := providers.Open("google-basic", providers.Config{
		Decode: strict(fmt.Sprintf("endpoint = %q\nprice_per_million_chars = 20\nmodel = \"base\"\ntimeout = \"5s\"\n", v2.Endpoint())),
		Getenv: func(k string) string { return map[string]string{"GOOGLE_TRANSLATE_API_KEY": canaryKey}[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Translate(context.Background(), zhen("你好。")); err != nil {
		t.Errorf("Translate: %v", err)
	}
	if u := p.(providers.Metered).Usage(); u.Cost == 0 || u.Characters != int64(v2.Billed()) {
		t.Errorf("Usage = %+v, fake billed %d", u, v2.Billed())
	}
	if m := p.(providers.Modeler).Model(); m != "base" {
		t.Errorf("Model() = %q", m)
	}
	for _, bad := range []string{"modell = \"nmt\"\n", "model = \"llm\"\n", "timeout = \"soon\"\n"} {
		if _, err := providers.Open("google-basic", providers.Config{Decode: strict(bad), Getenv: func(string) string { return canaryKey }}); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		}
	}
}

func TestConformance(t *testing.T) {
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
				providertest.FaultTooLarge:    {Status: 400, Reason: "invalid", Message: "Text too long"},
			}[f]
			srv.FailAll(&gf)
			return newBasic(t, srv, nil)
		},
		RetryAfter: 2 * time.Second,
		Model:      "nmt",
	})
}

// TestTimeout: a request that hangs is abandoned after the engine's
// timeout, retryable.
func TestTimeout(t *testing.T) {
	srv := startV2(t)
	srv.Inject(googletest.Fault{Stall: true})
	b := newBasic(t, srv, &googlebasic.Options{Timeout: providers.Duration(50 * time.Millisecond)})
	_, err := b.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Retryable {
		t.Errorf("hung request: %v (class %v), want retryable", err, c)
	}
}
