package googlebasic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"google.golang.org/api/option"
	translate "google.golang.org/api/translate/v2"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/internal/wire"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "google-basic",
		Summary: "Google Cloud Translation - Basic (v2): HTML mode, nmt model; API key from GOOGLE_TRANSLATE_API_KEY",
		New:     New,
	})
}

// Limits of Cloud Translation - Basic for one request.
const (
	// MaxSegments is the most strings one request may carry; Google
	// refuses more with "Too many text segments".
	MaxSegments = 128
	// MaxBodyBytes is the largest request body Google accepts (100K
	// bytes); a bigger one is refused with 400.
	MaxBodyBytes = 100_000
	// MaxCharsLimit is the largest max_chars_per_request: even at the
	// worst JSON escaping (six bytes a code point, as for < and >) such a
	// request stays under MaxBodyBytes.
	MaxCharsLimit = 15_000
	// TargetChars is the request size Google recommends, the default.
	TargetChars = 5000
	// DefaultEndpoint is the service's REST base URL.
	DefaultEndpoint = "https://translation.googleapis.com/language/translate/"
	// DefaultAPIKeyEnv names the environment variable holding the API key.
	DefaultAPIKeyEnv = "GOOGLE_TRANSLATE_API_KEY"
	// DefaultTimeout bounds one request.
	DefaultTimeout = 60 * time.Second
)

// Options configures the "google-basic" engine from its
// [providers.google-basic] table. The API key comes from the environment.
type Options struct {
	// APIKeyEnv names the environment variable holding the API key;
	// GOOGLE_TRANSLATE_API_KEY by default. It must be set unless the
	// endpoint is local (see [providers.IsLocalURL]) or the table sets
	// api_key_env = "" (a proxy that adds the key itself).
	APIKeyEnv string `toml:"api_key_env"`
	// Endpoint is the REST base URL, up to and including
	// "/language/translate/"; Google's by default. For tests and proxies.
	Endpoint string `toml:"endpoint"`
	// Model is "nmt" (the default) or "base".
	Model string `toml:"model"`
	// PricePerMillionChars is the price of a million billed characters,
	// for cost reports and estimates; 0 means unknown.
	PricePerMillionChars float64 `toml:"price_per_million_chars"`
	// MaxCharsPerRequest is the request size, in billed code points, that
	// the pipeline packs for: 5,000 (Google's recommendation) by default,
	// at most 15,000. A paragraph longer than this is split by the
	// pipeline before it is sent.
	MaxCharsPerRequest int `toml:"max_chars_per_request"`
	// Concurrency is the number of requests in flight; 0 means 8.
	Concurrency int `toml:"concurrency"`
	// RequestsPerMinute paces requests for the project's quota; 0 means no
	// pacing beyond Concurrency.
	RequestsPerMinute float64 `toml:"requests_per_minute"`
	// Timeout bounds one request ("60s" by default); a request that takes
	// longer is abandoned and retryable.
	Timeout providers.Duration `toml:"timeout"`

	// APIKey is the key itself, for library users; when empty it is read
	// from the variable APIKeyEnv names.
	APIKey string `toml:"-"`
	// NoAPIKey sends no key and requires none; [New] sets it when the
	// table says api_key_env = "".
	NoAPIKey bool `toml:"-"`
	// HTTPClient is the client requests go through; nil means a client on
	// a clone of http.DefaultTransport.
	HTTPClient *http.Client `toml:"-"`
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string `toml:"-"`
	// Logger receives debug detail, never the key; nil discards.
	Logger *slog.Logger `toml:"-"`
}

// New builds the "google-basic" engine from its configuration: the
// registry's factory.
func New(cfg providers.Config) (providers.Provider, error) {
	var o Options
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	// An empty api_key_env cannot be told from an absent one in the
	// struct; the table itself can.
	if o.APIKeyEnv == "" && cfg.Decode != nil {
		var table map[string]any
		if err := cfg.DecodeInto(&table); err == nil {
			if v, ok := table["api_key_env"]; ok && v == "" {
				o.NoAPIKey = true
			}
		}
	}
	o.Getenv = cfg.Env
	o.Logger = cfg.Logger
	return NewTranslator(&o)
}

// Translator translates with Cloud Translation - Basic (v2). It is safe
// for concurrent use.
type Translator struct {
	svc     *translate.Service
	hc      *http.Client
	key     string // only to redact it from errors
	model   string
	limits  providers.Limits
	timeout time.Duration
	log     *slog.Logger
	meter   wire.Meter
}

// NewTranslator returns a v2 engine; a nil opts means defaults, with the
// key from GOOGLE_TRANSLATE_API_KEY. It fails with a [*providers.KeyError]
// when the key variable is unset, unless the endpoint is local or
// opts.NoAPIKey says no key is needed. Nothing is sent until Translate.
func NewTranslator(opts *Options) (*Translator, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if o.APIKeyEnv == "" {
		o.APIKeyEnv = DefaultAPIKeyEnv
	}
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	if !strings.HasSuffix(o.Endpoint, "/") {
		// The client resolves "v2" against the endpoint, so without the
		// slash the last path element would be replaced.
		o.Endpoint += "/"
	}
	if _, err := url.Parse(o.Endpoint); err != nil {
		return nil, fmt.Errorf("googlebasic: endpoint: %w", err)
	}
	key := strings.TrimSpace(o.APIKey)
	if key == "" && !o.NoAPIKey {
		key = strings.TrimSpace(getenv(o.APIKeyEnv))
		if key == "" && !providers.IsLocalURL(o.Endpoint) {
			return nil, fmt.Errorf("googlebasic: %w", &providers.KeyError{Env: o.APIKeyEnv,
				Hint: "the key is read from the environment only"})
		}
	}
	if err := wire.ValidPrice("googlebasic", o.PricePerMillionChars); err != nil {
		return nil, err
	}
	switch o.Model {
	case "":
		o.Model = "nmt"
	case "nmt", "base":
	default:
		return nil, fmt.Errorf("googlebasic: model %q: want nmt or base", o.Model)
	}
	if o.MaxCharsPerRequest <= 0 {
		o.MaxCharsPerRequest = TargetChars
	}
	if o.MaxCharsPerRequest > MaxCharsLimit {
		return nil, fmt.Errorf("googlebasic: max_chars_per_request %d is above %d, the most that always fits Google's %d-byte request", o.MaxCharsPerRequest, MaxCharsLimit, MaxBodyBytes)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.Timeout <= 0 {
		o.Timeout = providers.Duration(DefaultTimeout)
	}
	t := &Translator{
		key:     key,
		model:   o.Model,
		timeout: o.Timeout.Std(),
		log:     o.Logger,
		limits: providers.Limits{
			MaxSegments: MaxSegments,
			// Tokens count the code points billed, markup included, so
			// MaxTokens is what bounds a request; MaxChars (the neutral
			// text) can only be looser.
			MaxChars:          o.MaxCharsPerRequest,
			MaxTokens:         o.MaxCharsPerRequest,
			MaxSegmentChars:   o.MaxCharsPerRequest,
			Concurrency:       o.Concurrency,
			RequestsPerMinute: o.RequestsPerMinute,
		},
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	t.meter.Price = o.PricePerMillionChars

	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	// The key goes in a header rather than the URL's key= parameter
	// (option.WithAPIKey's way), so it cannot leak through an error that
	// quotes the URL, or a proxy's log.
	keyed := *hc
	keyed.Transport = &keyTransport{key: key, base: base}
	svc, err := translate.NewService(context.Background(), option.WithEndpoint(o.Endpoint), option.WithHTTPClient(&keyed))
	if err != nil {
		return nil, fmt.Errorf("googlebasic: v2 client: %w", providers.RedactError(err, key))
	}
	t.svc, t.hc = svc, &keyed
	return t, nil
}

// Translate translates req's segments in one POST to translate/v2. A
// request over Google's limits (128 strings, a 100K-byte body) is refused
// as TooLarge before anything is sent. See package googletranslate for
// the encoding and the errors.
func (t *Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	b := wire.NewBatch(req.Segments)
	if len(b.Contents) == 0 {
		return b.Results("googlebasic", nil)
	}
	// Code points are at most bytes: this refuses early what surely
	// cannot fit; bodySize below measures exactly.
	if err := b.Fit("googlebasic", MaxSegments, MaxBodyBytes); err != nil {
		return nil, err
	}
	body := &translate.TranslateTextRequest{
		Q:      b.Contents,
		Source: wire.GoogleCode(req.Source),
		Target: wire.GoogleCode(req.Target),
		Format: "html", // explicit: see package googletranslate
		Model:  t.model,
	}
	if n := bodySize(body); n > MaxBodyBytes {
		return nil, providers.Errorf(providers.TooLarge, "googlebasic: a request of %d bytes, over Google's limit of %d", n, MaxBodyBytes)
	}
	cctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	resp, err := t.svc.Translations.Translate(body).Context(cctx).Do()
	if err != nil {
		e := wire.Classify(ctx, err, t.key)
		t.log.DebugContext(ctx, "google-basic: translate failed", "strings", len(b.Contents), "class", e.Class, "err", e.Err)
		return nil, e
	}
	t.meter.Add(b.Chars())
	replies := make([]string, len(resp.Translations))
	for i, tr := range resp.Translations {
		replies[i] = tr.TranslatedText
	}
	return b.Results("googlebasic", replies)
}

// bodySize is the size of the JSON body the client sends for r: wrapped
// in {"data": …}, as the API's dataWrapper feature has it.
func bodySize(r *translate.TranslateTextRequest) int {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(struct {
		Data *translate.TranslateTextRequest `json:"data"`
	}{r}); err != nil {
		return 0
	}
	return buf.Len()
}

// Limits reports one request's worth: 128 strings and the configured
// request size (5,000 billed code points by default) in the unit of
// [Translator.Tokens]; a longer paragraph is split by the pipeline.
func (t *Translator) Limits() providers.Limits { return t.limits }

// Model returns the model translating, "nmt" or "base", so translations
// are recorded as "google-basic:nmt".
func (t *Translator) Model() string { return t.model }

// Usage returns requests made, characters billed and their cost so far.
func (t *Translator) Usage() providers.Usage { return t.meter.Usage() }

// Tokens returns what a segment adds to a request and its bill: the code
// points of its HTML form, markup and escapes included.
func (t *Translator) Tokens(segment string) int { return wire.Billed(segment) }

// EstimateCost prices tokens billed characters (as counted by Tokens).
func (t *Translator) EstimateCost(tokens, chars int) float64 {
	return float64(tokens) * t.meter.Price / 1e6
}

// Close releases idle connections.
func (t *Translator) Close() error {
	t.hc.CloseIdleConnections()
	return nil
}

// keyTransport adds the API key header to every request.
type keyTransport struct {
	key  string
	base http.RoundTripper
}

func (k *keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if k.key == "" {
		return k.base.RoundTrip(r)
	}
	r2 := r.Clone(r.Context())
	r2.Header.Set("X-Goog-Api-Key", k.key)
	return k.base.RoundTrip(r2)
}

var (
	_ providers.Provider  = (*Translator)(nil)
	_ providers.Limiter   = (*Translator)(nil)
	_ providers.Metered   = (*Translator)(nil)
	_ providers.Estimator = (*Translator)(nil)
	_ providers.Modeler   = (*Translator)(nil)
)
