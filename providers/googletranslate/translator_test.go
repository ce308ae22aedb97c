package googletranslate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
	"google.golang.org/grpc/codes"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/googletest"
	"github.com/diglot/diglot/providers/providertest"
	"github.com/diglot/diglot/tags"
)

func TestAdvancedRequest(t *testing.T) {
	srv := startV3(t)
	a := newAdvanced(t, srv, &Options{Project: "p1", Location: "us-central1", Model: "general/nmt"})
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
	a := newAdvanced(t, srv, &Options{Project: "p1", Location: "us-central1", Glossary: "names"})
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
	_, err := NewTranslator(&Options{Project: "p", Glossary: "g", Insecure: true, Endpoint: "127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "regional location") {
		t.Errorf("NewTranslator(global, glossary) error = %v, want a regional-location error", err)
	}
	if _, err := NewTranslator(&Options{Getenv: func(string) string { return "" }}); !errors.Is(err, ErrNoProject) {
		t.Errorf("NewTranslator without a project: error = %v, want ErrNoProject", err)
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

// TestOneRequest: a Translate call is one RPC, never several: what fits
// Google's limits goes out whole, what does not is refused as too large
// before anything is sent, so a retry can never pay twice.
func TestOneRequest(t *testing.T) {
	srv := startV3(t)
	a := newAdvanced(t, srv, &Options{PricePerMillionChars: 20})
	segs := make([]string, MaxSegments)
	for i := range segs {
		segs[i] = "第" + strings.Repeat("一", i%7) + "段。"
		if i%10 == 0 {
			segs[i] = "第<x1/>段。"
		}
	}
	got, err := a.Translate(context.Background(), zhen(segs...))
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
	u := a.Usage()
	if u.Requests != 1 || u.Characters != int64(srv.Billed()) {
		t.Errorf("Usage = %+v, want 1 request and %d characters", u, srv.Billed())
	}
	if want := float64(srv.Billed()) * 20 / 1e6; u.Cost != want {
		t.Errorf("Usage().Cost = %v, want %v", u.Cost, want)
	}
	var long strings.Builder
	for i := 1; i <= 700; i++ {
		long.WriteString("美国总统拜登和俄罗斯总统普京于6月16日在日内瓦举行了" + tags.G(i) + "美俄峰会" + tags.EndG(i) + "。")
	}
	for name, req := range map[string][]string{
		"1025 segments":           append(segs, "再一段。"),
		"over 30,000 code points": {"短句。", long.String()},
	} {
		if _, err := a.Translate(context.Background(), zhen(req...)); providers.ClassOf(err) != providers.TooLarge {
			t.Errorf("%s: error %v, want too large", name, err)
		}
	}
	if n := srv.Requests(); n != 1 {
		t.Errorf("%d requests: a request too large was sent", n)
	}
}

func TestAdvancedLimits(t *testing.T) {
	a := newAdvanced(t, startV3(t), &Options{MaxCharsPerRequest: 8000, Concurrency: 2, RequestsPerMinute: 300})
	want := providers.Limits{MaxSegments: 1024, MaxChars: 8000, MaxTokens: 8000, MaxSegmentChars: 8000, Concurrency: 2, RequestsPerMinute: 300}
	if diff := cmp.Diff(want, a.Limits()); diff != "" {
		t.Errorf("Limits (-want +got):\n%s", diff)
	}
	if n := a.Tokens(" a<x1/> "); n != utf8.RuneCountInString(`a<span translate="no" id="x1"></span>`) {
		t.Errorf("Tokens = %d", n)
	}
	if _, err := NewTranslator(&Options{Project: "p", Insecure: true, Endpoint: "127.0.0.1:1", MaxCharsPerRequest: 40000}); err == nil {
		t.Error("max_chars_per_request 40000 accepted")
	}
}

func TestModel(t *testing.T) {
	for model, want := range map[string]string{
		"":                        "general/nmt",
		"general/nmt":             "general/nmt",
		"general/translation-llm": "general/translation-llm",
		"projects/p/locations/us-central1/models/NM1234": "NM1234",
	} {
		a := newAdvanced(t, startV3(t), &Options{Project: "p", Location: "us-central1", Model: model})
		if got := a.Model(); got != want {
			t.Errorf("Model(%q) = %q, want %q", model, got, want)
		}
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
				providertest.FaultTooLarge:    {Code: codes.InvalidArgument, Message: "Text is too long."},
			}[f]
			srv.FailAll(&gf)
			return newAdvanced(t, srv, nil)
		},
		RetryAfter: 2 * time.Second,
		Model:      DefaultModel,
	})
}

// TestTimeout: a request that hangs is abandoned after the engine's
// timeout, retryable.
func TestTimeout(t *testing.T) {
	srv := startV3(t)
	srv.Inject(googletest.Fault{Stall: true})
	a := newAdvanced(t, srv, &Options{Timeout: providers.Duration(50 * time.Millisecond)})
	_, err := a.Translate(context.Background(), zhen("你好。"))
	if c := providers.ClassOf(err); c != providers.Retryable {
		t.Errorf("hung request: %v (class %v), want retryable", err, c)
	}
}

// TestCredentials: missing credentials fail the engine's construction,
// before any request, as far as can be told without the network; a file
// that looks right passes, and a bad one fails at the first request,
// permanently.
func TestCredentials(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("sa.json", `{"type": "service_account", "project_id": "p"}`)
	odd := write("odd.json", `{"type": "no_such_credential_type"}`)
	notJSON := write("key.pem", "-----BEGIN PRIVATE KEY-----")
	home := t.TempDir() // no gcloud credentials in it
	newWith := func(env map[string]string) (*Translator, error) {
		env["HOME"] = home
		return NewTranslator(&Options{Project: "p", Getenv: func(k string) string { return env[k] }})
	}
	for name, env := range map[string]map[string]string{
		"missing file": {EnvCredentials: filepath.Join(dir, "missing.json")},
		"not json":     {EnvCredentials: notJSON},
	} {
		if _, err := newWith(env); err == nil || !strings.Contains(err.Error(), EnvCredentials) {
			t.Errorf("%s: NewTranslator error %v, want one naming %s", name, err, EnvCredentials)
		}
	}
	if !onGoogleCloud(func(string) string { return "" }) {
		_, err := newWith(map[string]string{})
		if !errors.Is(err, providers.ErrNoKey) || !strings.Contains(err.Error(), EnvCredentials+" is not set") {
			t.Errorf("no credentials at all: error %v, want %s is not set", err, EnvCredentials)
		}
	}
	if _, err := newWith(map[string]string{"K_SERVICE": "svc"}); err != nil {
		t.Errorf("on Cloud Run: %v", err)
	}
	gcloud := filepath.Join(home, ".config", "gcloud")
	if err := os.MkdirAll(gcloud, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gcloud, "application_default_credentials.json"), []byte(`{"type": "authorized_user"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newWith(map[string]string{}); err != nil {
		t.Errorf("with gcloud's file: %v", err)
	}
	if _, err := newWith(map[string]string{EnvCredentials: good}); err != nil {
		t.Errorf("good file: %v", err)
	}
	a, err := newWith(map[string]string{EnvCredentials: odd})
	if err != nil {
		t.Fatalf("odd file: %v", err)
	}
	defer a.Close()
	t.Setenv(EnvCredentials, odd) // what the client library reads
	_, err = a.Translate(context.Background(), zhen("你好"))
	if providers.ClassOf(err) != providers.Permanent || !strings.Contains(err.Error(), "v3 client") {
		t.Errorf("Translate with a bad credentials file = %v, want a permanent client error", err)
	}
}

// TestRegistry opens the engine by name through a strict TOML decoder, as
// the CLI does, with the project from GOOGLE_CLOUD_PROJECT.
func TestRegistry(t *testing.T) {
	v3 := startV3(t)
	strict := func(table string) func(any) error {
		return func(v any) error {
			return toml.NewDecoder(strings.NewReader(table)).DisallowUnknownFields().Decode(v)
		}
	}
	getenv := func(k string) string { return map[string]string{"GOOGLE_CLOUD_PROJECT": "envproj"}[k] }
	p, err := providers.Open("google", providers.Config{
		Decode: strict(fmt.Sprintf("endpoint = %q\ninsecure = true\nlocation = \"us-central1\"\nmodel = \"general/nmt\"\ntimeout = \"10s\"\n", v3.Addr())),
		Getenv: getenv,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.(io.Closer).Close()
	if _, err := p.Translate(context.Background(), zhen("你好。")); err != nil {
		t.Errorf("google Translate: %v", err)
	}
	if m := v3.Calls()[0].Model; m != "projects/envproj/locations/us-central1/models/general/nmt" {
		t.Errorf("model = %q", m)
	}
	if _, err := providers.Open("google", providers.Config{Decode: strict("projekt = \"typo\"\n"), Getenv: getenv}); err == nil {
		t.Error("unknown key accepted")
	}
}
