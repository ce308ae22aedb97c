package googletranslate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"cloud.google.com/go/translate"
	"google.golang.org/api/option"

	"github.com/diglot/diglot/providers"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "google-basic",
		Summary: "Google Cloud Translation - Basic (v2): HTML mode, nmt model; API key from GOOGLE_TRANSLATE_API_KEY",
		New:     OpenBasic,
	})
}

// Limits of Cloud Translation - Basic.
const (
	// BasicMaxSegments is the most strings one request may carry.
	BasicMaxSegments = 128
	// BasicDefaultMaxURLBytes bounds the GET URL the v2 client builds, which
	// carries every string in its query. Google's front end refuses much
	// longer URLs with 414; lower it with max_url_bytes if you see one.
	BasicDefaultMaxURLBytes = 8000
	// BasicDefaultEndpoint is the service's REST base URL.
	BasicDefaultEndpoint = "https://translation.googleapis.com/language/translate/"
	// DefaultAPIKeyEnv names the environment variable holding the API key.
	DefaultAPIKeyEnv = "GOOGLE_TRANSLATE_API_KEY"
)

// BasicOptions configures the "google-basic" engine from its
// [providers.google-basic] table. The API key comes from the environment.
type BasicOptions struct {
	// APIKeyEnv names the environment variable holding the API key;
	// GOOGLE_TRANSLATE_API_KEY by default.
	APIKeyEnv string `toml:"api_key_env"`
	// Endpoint is the REST base URL, up to and including
	// "/language/translate/"; Google's by default. For tests and proxies.
	Endpoint string `toml:"endpoint"`
	// Model is "nmt" (the default) or "base".
	Model string `toml:"model"`
	// PricePerMillionChars is the price of a million billed characters,
	// for cost reports and estimates; 0 means unknown.
	PricePerMillionChars float64 `toml:"price_per_million_chars"`
	// MaxURLBytes bounds the request URL; 8,000 by default.
	MaxURLBytes int `toml:"max_url_bytes"`
	// MaxCharsPerRequest is the request size in code points reported to
	// the pipeline; 5,000 (Google's recommendation) by default.
	MaxCharsPerRequest int `toml:"max_chars_per_request"`
	// Concurrency is the number of requests in flight; 0 means 8.
	Concurrency int `toml:"concurrency"`
	// RequestsPerMinute paces requests for the project's quota; 0 means no
	// pacing beyond Concurrency.
	RequestsPerMinute float64 `toml:"requests_per_minute"`

	// APIKey is the key itself, for library users; when empty it is read
	// from APIKeyEnv.
	APIKey string `toml:"-"`
	// HTTPClient is the client requests go through; nil means a client on
	// a clone of http.DefaultTransport.
	HTTPClient *http.Client `toml:"-"`
	// Logger receives debug detail; nil discards.
	Logger *slog.Logger `toml:"-"`
}

// ErrNoAPIKey is returned when the v2 engine finds no API key.
var ErrNoAPIKey = errors.New("googletranslate: no API key: set " + DefaultAPIKeyEnv)

// OpenBasic builds the "google-basic" engine from its configuration. It is
// the registry's factory; library users may call [NewBasic].
func OpenBasic(cfg providers.Config) (providers.Provider, error) {
	var o BasicOptions
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	env := o.APIKeyEnv
	if env == "" {
		env = DefaultAPIKeyEnv
	}
	o.APIKey = cfg.Env(env)
	if o.APIKey == "" {
		return nil, fmt.Errorf("%w (or the variable named by api_key_env)", ErrNoAPIKey)
	}
	o.Logger = cfg.Logger
	return NewBasic(context.Background(), &o)
}

// Basic translates with Cloud Translation - Basic (v2).
type Basic struct {
	client   *translate.Client
	key      string // only to redact it from errors
	model    string
	overhead int // URL bytes besides the strings
	maxURL   int
	limits   providers.Limits
	log      *slog.Logger
	meter    meter
}

// NewBasic returns a v2 engine. opts must carry an API key.
func NewBasic(ctx context.Context, opts *BasicOptions) (*Basic, error) {
	var o BasicOptions
	if opts != nil {
		o = *opts
	}
	if o.APIKey == "" {
		return nil, ErrNoAPIKey
	}
	if err := validPrice(o.PricePerMillionChars); err != nil {
		return nil, err
	}
	if o.Endpoint == "" {
		o.Endpoint = BasicDefaultEndpoint
	}
	if !strings.HasSuffix(o.Endpoint, "/") {
		// The client resolves "v2" against the endpoint, so without the
		// slash the last path element would be replaced.
		o.Endpoint += "/"
	}
	if _, err := url.Parse(o.Endpoint); err != nil {
		return nil, fmt.Errorf("googletranslate: endpoint: %w", err)
	}
	if o.Model == "" {
		o.Model = "nmt"
	}
	if o.MaxURLBytes <= 0 {
		o.MaxURLBytes = BasicDefaultMaxURLBytes
	}
	if o.MaxCharsPerRequest <= 0 {
		o.MaxCharsPerRequest = AdvancedTargetChars
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	b := &Basic{
		key:    o.APIKey,
		model:  o.Model,
		maxURL: o.MaxURLBytes,
		log:    o.Logger,
	}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	b.meter.price = o.PricePerMillionChars
	b.overhead = urlOverhead(o.Endpoint, o.Model)
	budget := o.MaxURLBytes - b.overhead
	if budget < 256 {
		return nil, fmt.Errorf("googletranslate: max_url_bytes %d leaves too little room for text", o.MaxURLBytes)
	}
	b.limits = providers.Limits{
		MaxSegments:       BasicMaxSegments,
		MaxChars:          o.MaxCharsPerRequest,
		MaxTokens:         budget,
		Concurrency:       o.Concurrency,
		RequestsPerMinute: o.RequestsPerMinute,
	}

	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	// The key goes in a header rather than the URL's key= parameter, so it
	// cannot leak through an error that quotes the URL, or a proxy's log.
	keyed := *hc
	keyed.Transport = &keyTransport{key: o.APIKey, base: base}
	client, err := translate.NewClient(ctx, option.WithEndpoint(o.Endpoint), option.WithHTTPClient(&keyed))
	if err != nil {
		return nil, fmt.Errorf("googletranslate: v2 client: %w", redact(err, o.APIKey))
	}
	b.client = client
	return b, nil
}

// Translate translates req's segments. See the package documentation for
// the encoding, the limits and the errors.
func (b *Basic) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	topts := &translate.Options{
		Source: googleTag(req.Source),
		Format: translate.HTML,
		Model:  b.model,
	}
	target := googleTag(req.Target)
	w := wire{
		maxContents: BasicMaxSegments,
		cost:        queryCost,
		callLimit:   b.limits.MaxTokens,
		send: func(ctx context.Context, contents []string) ([]string, error) {
			ts, err := b.client.Translate(ctx, contents, target, topts)
			if err != nil {
				e := classify(ctx, redact(err, b.key))
				b.log.DebugContext(ctx, "google-basic: translate failed", "strings", len(contents), "class", e.Class, "err", e.Err)
				return nil, e
			}
			b.meter.add(contents)
			out := make([]string, len(ts))
			for i, t := range ts {
				out[i] = t.Text
			}
			return out, nil
		},
	}
	return translateBatch(ctx, req, w)
}

// Limits reports 128 strings per request, the configured request size in
// code points, and the URL budget in the unit of [Basic.Tokens].
func (b *Basic) Limits() providers.Limits { return b.limits }

// Usage returns requests made, characters billed and their cost so far.
func (b *Basic) Usage() providers.Usage { return b.meter.usage() }

// Tokens returns how many bytes a segment adds to the request URL, the unit
// in which Limits.MaxTokens bounds a request.
func (b *Basic) Tokens(segment string) int {
	return queryCost(encodeHTML(segment))
}

// EstimateCost prices chars characters; URL bytes are not what Google
// bills.
func (b *Basic) EstimateCost(tokens, chars int) float64 {
	return float64(chars) * b.meter.price / 1e6
}

// Close releases the client.
func (b *Basic) Close() error { return b.client.Close() }

// queryCost is the bytes one string adds to the URL: "&q=" and the string
// escaped as url.Values.Encode escapes it.
func queryCost(html string) int {
	return len("&q=") + len(url.QueryEscape(html))
}

// urlOverhead is the URL's size without the strings, with room for the
// longest language codes.
func urlOverhead(endpoint, model string) int {
	v := url.Values{}
	v.Set("alt", "json")
	v.Set("format", "html")
	v.Set("model", model)
	v.Set("prettyPrint", "false")
	v.Set("source", "xxx-Xxxx-XX")
	v.Set("target", "xxx-Xxxx-XX")
	return len(endpoint) + len("v2?") + len(v.Encode()) + 32
}

// keyTransport adds the API key header to every request.
type keyTransport struct {
	key  string
	base http.RoundTripper
}

func (t *keyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Set("X-Goog-Api-Key", t.key)
	return t.base.RoundTrip(r2)
}

var (
	_ providers.Limiter   = (*Basic)(nil)
	_ providers.Metered   = (*Basic)(nil)
	_ providers.Estimator = (*Basic)(nil)
)

var _ providers.Provider = (*Basic)(nil)
