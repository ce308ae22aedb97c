package googletranslate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	translate "cloud.google.com/go/translate/apiv3"
	"cloud.google.com/go/translate/apiv3/translatepb"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/providers/googletranslate/internal/wire"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "google",
		Summary: "Google Cloud Translation - Advanced (v3): HTML mode, native glossaries; credentials from GOOGLE_APPLICATION_CREDENTIALS",
		New:     New,
	})
}

// Limits of Cloud Translation - Advanced for one TranslateText request.
const (
	// MaxSegments is the most strings one request may carry.
	MaxSegments = 1024
	// MaxChars is the hard limit on code points per request, markup
	// included; Google refuses more with "Text is too long".
	MaxChars = 30000
	// TargetChars is the request size Google recommends, which the engine
	// reports to the pipeline by default.
	TargetChars = 5000
	// DefaultModel is the model Google uses when none is named.
	DefaultModel = "general/nmt"
	// DefaultTimeout bounds one request.
	DefaultTimeout = 60 * time.Second
)

// Options configures the "google" engine from its [providers.google]
// table. Credentials come from Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS), never from the file.
type Options struct {
	// Project is the Google Cloud project ID or number. Required; when
	// empty, GOOGLE_CLOUD_PROJECT is used.
	Project string `toml:"project"`
	// Location is the region requests go to; "global" by default.
	// Glossaries need a region such as "us-central1".
	Location string `toml:"location"`
	// Model is the translation model, short ("general/nmt",
	// "general/translation-llm") or a full resource name. Empty lets Google
	// choose (NMT).
	Model string `toml:"model"`
	// Glossary is a glossary resource: a full name
	// (projects/P/locations/L/glossaries/G) or just its ID in the project
	// and location above. Setting it makes the engine enforce the glossary
	// itself.
	Glossary string `toml:"glossary"`
	// GlossaryIgnoreCase matches glossary terms case-insensitively.
	GlossaryIgnoreCase bool `toml:"glossary_ignore_case"`
	// Endpoint overrides the service address (host:port), for private
	// endpoints, emulators and tests.
	Endpoint string `toml:"endpoint"`
	// Insecure dials Endpoint in plaintext without credentials. Only for
	// local emulators and fakes.
	Insecure bool `toml:"insecure"`
	// PricePerMillionChars is the price of a million billed characters,
	// for cost reports and estimates; 0 means unknown.
	PricePerMillionChars float64 `toml:"price_per_million_chars"`
	// MaxCharsPerRequest is the request size, in billed code points, that
	// the pipeline packs for: 5,000 (Google's recommendation) by default,
	// at most 30,000. A paragraph longer than this is split by the
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

	// ClientOptions are passed to the client after the engine's own, for
	// library users (credentials, a custom gRPC connection in tests). With
	// any set, the engine leaves checking credentials to them.
	ClientOptions []option.ClientOption `toml:"-"`
	// Getenv reads the environment (GOOGLE_CLOUD_PROJECT, where the
	// credentials are); nil means os.Getenv.
	Getenv func(string) string `toml:"-"`
	// Logger receives debug detail; nil discards.
	Logger *slog.Logger `toml:"-"`
}

// New builds the "google" engine from its configuration: the registry's
// factory.
func New(cfg providers.Config) (providers.Provider, error) {
	var o Options
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	o.Getenv = cfg.Env
	o.Logger = cfg.Logger
	return NewTranslator(&o)
}

// ErrNoProject is returned when the engine has no project configured.
var ErrNoProject = errors.New("googletranslate: no project: set project in [providers.google] or GOOGLE_CLOUD_PROJECT")

// Translator translates with Cloud Translation - Advanced (v3). It is safe
// for concurrent use.
type Translator struct {
	// The client is made on the first request; building the engine checks
	// only what can be checked without the network.
	once      sync.Once
	dial      func() (*translate.TranslationClient, error)
	client    *translate.TranslationClient
	clientErr error

	conn     *grpc.ClientConn // dialled here when Insecure; closed by Close
	parent   string
	model    string // as sent: empty or a full resource name
	name     string // as reported by Model
	glossary *translatepb.TranslateTextGlossaryConfig
	limits   providers.Limits
	timeout  time.Duration
	log      *slog.Logger
	meter    wire.Meter
}

// NewTranslator returns a v3 engine; a nil opts means defaults, with the
// project from GOOGLE_CLOUD_PROJECT. It fails when no project is set or
// when the credentials are missing as far as can be told without the
// network: GOOGLE_APPLICATION_CREDENTIALS naming a file that is not a
// credentials file, or no credentials anywhere (no variable, no gcloud
// application-default file, not running on Google Cloud). The client does
// not retry: the pipeline does.
func NewTranslator(opts *Options) (*Translator, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if o.Project == "" {
		o.Project = getenv("GOOGLE_CLOUD_PROJECT")
	}
	if o.Project == "" {
		return nil, ErrNoProject
	}
	if o.Location == "" {
		o.Location = "global"
	}
	if err := wire.ValidPrice("googletranslate", o.PricePerMillionChars); err != nil {
		return nil, err
	}
	if o.MaxCharsPerRequest <= 0 {
		o.MaxCharsPerRequest = TargetChars
	}
	if o.MaxCharsPerRequest > MaxChars {
		return nil, fmt.Errorf("googletranslate: max_chars_per_request %d is above Google's limit of %d", o.MaxCharsPerRequest, MaxChars)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	if o.Timeout <= 0 {
		o.Timeout = providers.Duration(DefaultTimeout)
	}
	if !o.Insecure && len(o.ClientOptions) == 0 {
		if err := checkCredentials(getenv); err != nil {
			return nil, err
		}
	}
	t := &Translator{
		parent:  "projects/" + o.Project + "/locations/" + o.Location,
		log:     o.Logger,
		timeout: o.Timeout.Std(),
		name:    modelName(o.Model),
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
	t.meter.Price = o.PricePerMillionChars
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if o.Model != "" {
		t.model = o.Model
		if !strings.HasPrefix(o.Model, "projects/") {
			t.model = t.parent + "/models/" + o.Model
		}
	}
	if o.Glossary != "" {
		name := o.Glossary
		if !strings.HasPrefix(name, "projects/") {
			if o.Location == "global" {
				return nil, fmt.Errorf("googletranslate: glossary %q needs a regional location such as us-central1, not global", o.Glossary)
			}
			name = t.parent + "/glossaries/" + name
		}
		t.glossary = &translatepb.TranslateTextGlossaryConfig{Glossary: name, IgnoreCase: o.GlossaryIgnoreCase}
	}

	var copts []option.ClientOption
	if o.Endpoint != "" {
		copts = append(copts, option.WithEndpoint(o.Endpoint))
	}
	if o.Insecure {
		if o.Endpoint == "" {
			return nil, errors.New("googletranslate: insecure needs an endpoint")
		}
		conn, err := grpc.NewClient(o.Endpoint, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, fmt.Errorf("googletranslate: dial %s: %w", o.Endpoint, err)
		}
		t.conn = conn
		copts = append(copts, option.WithGRPCConn(conn), option.WithoutAuthentication())
	}
	copts = append(copts, o.ClientOptions...)
	t.dial = func() (*translate.TranslationClient, error) {
		client, err := translate.NewTranslationClient(context.Background(), copts...)
		if err != nil {
			return nil, fmt.Errorf("googletranslate: v3 client: %w", err)
		}
		// No retries in the client: the pipeline's translate stage
		// retries, and two layers of retries would multiply.
		client.CallOptions.TranslateText = []gax.CallOption{gax.WithRetry(func() gax.Retryer { return nil })}
		return client, nil
	}
	return t, nil
}

// modelName is the model a translation's origin names: the short form of
// a resource name, Google's default when none is set.
func modelName(m string) string {
	if m == "" {
		return DefaultModel
	}
	if _, short, ok := strings.Cut(m, "/models/"); ok {
		return short
	}
	return m
}

// connect makes the client once; failing to (bad credentials) stops the
// engine with one clear error.
func (t *Translator) connect() (*translate.TranslationClient, error) {
	t.once.Do(func() { t.client, t.clientErr = t.dial() })
	if t.clientErr != nil {
		return nil, &providers.Error{Class: providers.Permanent, Err: t.clientErr}
	}
	return t.client, nil
}

// Translate translates req's segments in one TranslateText call. A request
// over Google's limits (1,024 strings, 30,000 code points of HTML) is
// refused as TooLarge before anything is sent. See the package
// documentation for the encoding and the errors.
func (t *Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: err}
	}
	b := wire.NewBatch(req.Segments)
	if len(b.Contents) == 0 {
		return b.Results("googletranslate", nil)
	}
	if err := b.Fit("googletranslate", MaxSegments, MaxChars); err != nil {
		return nil, err
	}
	client, err := t.connect()
	if err != nil {
		return nil, err
	}
	r := &translatepb.TranslateTextRequest{
		Parent:             t.parent,
		Contents:           b.Contents,
		MimeType:           "text/html", // explicit: see the package doc
		SourceLanguageCode: wire.GoogleCode(req.Source),
		TargetLanguageCode: wire.GoogleCode(req.Target),
		Model:              t.model,
		GlossaryConfig:     t.glossary,
	}
	cctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	resp, err := client.TranslateText(cctx, r)
	if err != nil {
		e := wire.Classify(ctx, err, "")
		t.log.DebugContext(ctx, "google: translate failed", "strings", len(b.Contents), "class", e.Class, "err", err)
		return nil, e
	}
	t.meter.Add(b.Chars())
	ts := resp.GetTranslations()
	if t.glossary != nil {
		if g := resp.GetGlossaryTranslations(); len(g) > 0 {
			ts = g
		} else {
			t.log.DebugContext(ctx, "google: reply without glossary_translations", "glossary", t.glossary.Glossary)
		}
	}
	replies := make([]string, len(ts))
	for i, tr := range ts {
		replies[i] = tr.GetTranslatedText()
	}
	return b.Results("googletranslate", replies)
}

// Limits reports one request's worth: 1,024 strings and the configured
// request size (5,000 billed code points by default) in the unit of
// [Translator.Tokens]; a longer paragraph is split by the pipeline.
func (t *Translator) Limits() providers.Limits { return t.limits }

// Model returns the model translating, short form ("general/nmt"), so
// translations are recorded as "google:general/nmt".
func (t *Translator) Model() string { return t.name }

// NativeGlossary reports whether a glossary resource is configured, in
// which case Google applies it and the pipeline need not protect terms.
func (t *Translator) NativeGlossary() bool { return t.glossary != nil }

// Usage returns requests made, characters billed and their cost so far.
func (t *Translator) Usage() providers.Usage { return t.meter.Usage() }

// Tokens returns what a segment adds to a request and its bill: the code
// points of its HTML form, markup and escapes included.
func (t *Translator) Tokens(segment string) int { return wire.Billed(segment) }

// EstimateCost prices tokens billed characters (as counted by Tokens).
func (t *Translator) EstimateCost(tokens, chars int) float64 {
	return float64(tokens) * t.meter.Price / 1e6
}

// Close releases the client's connections.
func (t *Translator) Close() error {
	var err error
	t.once.Do(func() { t.clientErr = errors.New("googletranslate: closed") }) // never dial after Close
	if t.client != nil {
		err = t.client.Close()
	}
	if t.conn != nil {
		// Closed by the client already when it owns it; a second close
		// only reports that.
		t.conn.Close()
	}
	return err
}

var (
	_ providers.Provider       = (*Translator)(nil)
	_ providers.Limiter        = (*Translator)(nil)
	_ providers.GlossaryNative = (*Translator)(nil)
	_ providers.Metered        = (*Translator)(nil)
	_ providers.Estimator      = (*Translator)(nil)
	_ providers.Modeler        = (*Translator)(nil)
)
