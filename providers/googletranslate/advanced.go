package googletranslate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unicode/utf8"

	translate "cloud.google.com/go/translate/apiv3"
	"cloud.google.com/go/translate/apiv3/translatepb"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/diglot/diglot/providers"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "google",
		Summary: "Google Cloud Translation - Advanced (v3): HTML mode, native glossaries; credentials from GOOGLE_APPLICATION_CREDENTIALS",
		New:     OpenAdvanced,
	})
}

// Limits of Cloud Translation - Advanced for one TranslateText request.
const (
	// AdvancedMaxSegments is the most strings one request may carry.
	AdvancedMaxSegments = 1024
	// AdvancedMaxChars is the hard limit on code points per request, markup
	// included.
	AdvancedMaxChars = 30000
	// AdvancedTargetChars is the request size Google recommends, which the
	// engine reports to the pipeline by default.
	AdvancedTargetChars = 5000
)

// AdvancedOptions configures the "google" engine from its [providers.google]
// table. Credentials come from Application Default Credentials
// (GOOGLE_APPLICATION_CREDENTIALS), never from the file.
type AdvancedOptions struct {
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
	// MaxCharsPerRequest is the request size in code points reported to the
	// pipeline: 5,000 (Google's recommendation) by default, at most 30,000.
	MaxCharsPerRequest int `toml:"max_chars_per_request"`
	// Concurrency is the number of requests in flight; 0 means 8.
	Concurrency int `toml:"concurrency"`
	// RequestsPerMinute paces requests for the project's quota; 0 means no
	// pacing beyond Concurrency.
	RequestsPerMinute float64 `toml:"requests_per_minute"`

	// ClientOptions are passed to the client after the engine's own, for
	// library users (credentials, a custom gRPC connection in tests).
	ClientOptions []option.ClientOption `toml:"-"`
	// Logger receives debug detail; nil discards.
	Logger *slog.Logger `toml:"-"`
}

// OpenAdvanced builds the "google" engine from its configuration. It is the
// registry's factory; library users may call [NewAdvanced].
func OpenAdvanced(cfg providers.Config) (providers.Provider, error) {
	var o AdvancedOptions
	if err := cfg.DecodeInto(&o); err != nil {
		return nil, err
	}
	if o.Project == "" {
		o.Project = cfg.Env("GOOGLE_CLOUD_PROJECT")
	}
	o.Logger = cfg.Logger
	return NewAdvanced(context.Background(), &o)
}

// ErrNoProject is returned when the v3 engine has no project configured.
var ErrNoProject = errors.New("googletranslate: no project: set project in [providers.google] or GOOGLE_CLOUD_PROJECT")

// Advanced translates with Cloud Translation - Advanced (v3).
type Advanced struct {
	// The client is made on the first request, so that building the
	// engine (for a dry run, say) needs no credentials.
	once      sync.Once
	dial      func() (*translate.TranslationClient, error)
	client    *translate.TranslationClient
	clientErr error

	conn     *grpc.ClientConn // dialled here when Insecure; closed by Close
	parent   string
	model    string
	glossary *translatepb.TranslateTextGlossaryConfig
	limits   providers.Limits
	log      *slog.Logger
	meter    meter
}

// NewAdvanced returns a v3 engine. opts must name a project. The client
// does not retry: the pipeline does.
func NewAdvanced(ctx context.Context, opts *AdvancedOptions) (*Advanced, error) {
	var o AdvancedOptions
	if opts != nil {
		o = *opts
	}
	if o.Project == "" {
		return nil, ErrNoProject
	}
	if o.Location == "" {
		o.Location = "global"
	}
	if err := validPrice(o.PricePerMillionChars); err != nil {
		return nil, err
	}
	if o.MaxCharsPerRequest <= 0 {
		o.MaxCharsPerRequest = AdvancedTargetChars
	}
	if o.MaxCharsPerRequest > AdvancedMaxChars {
		return nil, fmt.Errorf("googletranslate: max_chars_per_request %d is above Google's limit of %d", o.MaxCharsPerRequest, AdvancedMaxChars)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	a := &Advanced{
		parent: "projects/" + o.Project + "/locations/" + o.Location,
		log:    o.Logger,
		limits: providers.Limits{
			MaxSegments:       AdvancedMaxSegments,
			MaxChars:          o.MaxCharsPerRequest,
			Concurrency:       o.Concurrency,
			RequestsPerMinute: o.RequestsPerMinute,
		},
	}
	a.meter.price = o.PricePerMillionChars
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if o.Model != "" {
		a.model = o.Model
		if !strings.HasPrefix(o.Model, "projects/") {
			a.model = a.parent + "/models/" + o.Model
		}
	}
	if o.Glossary != "" {
		name := o.Glossary
		if !strings.HasPrefix(name, "projects/") {
			if o.Location == "global" {
				return nil, fmt.Errorf("googletranslate: glossary %q needs a regional location such as us-central1, not global", o.Glossary)
			}
			name = a.parent + "/glossaries/" + name
		}
		a.glossary = &translatepb.TranslateTextGlossaryConfig{Glossary: name, IgnoreCase: o.GlossaryIgnoreCase}
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
		a.conn = conn
		copts = append(copts, option.WithGRPCConn(conn), option.WithoutAuthentication())
	}
	copts = append(copts, o.ClientOptions...)
	a.dial = func() (*translate.TranslationClient, error) {
		client, err := translate.NewTranslationClient(context.WithoutCancel(ctx), copts...)
		if err != nil {
			return nil, fmt.Errorf("googletranslate: v3 client: %w", err)
		}
		// No retries in the client: the pipeline's translate stage
		// retries, and two layers of retries would multiply.
		client.CallOptions.TranslateText = []gax.CallOption{gax.WithRetry(func() gax.Retryer { return nil })}
		return client, nil
	}
	return a, nil
}

// connect makes the client once; failing to (no credentials) stops the
// engine with one clear error.
func (a *Advanced) connect() (*translate.TranslationClient, error) {
	a.once.Do(func() { a.client, a.clientErr = a.dial() })
	if a.clientErr != nil {
		return nil, &providers.Error{Class: providers.Permanent, Err: a.clientErr}
	}
	return a.client, nil
}

// Translate translates req's segments. See the package documentation for
// the encoding, the limits and the errors.
func (a *Advanced) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	src, tgt := googleCode(req.Source), googleCode(req.Target)
	w := wire{
		maxContents: AdvancedMaxSegments,
		cost:        utf8.RuneCountInString,
		callLimit:   AdvancedMaxChars,
		send: func(ctx context.Context, contents []string) ([]string, error) {
			return a.send(ctx, src, tgt, contents)
		},
	}
	return translateBatch(ctx, req, w)
}

func (a *Advanced) send(ctx context.Context, src, tgt string, contents []string) ([]string, error) {
	r := &translatepb.TranslateTextRequest{
		Parent:             a.parent,
		Contents:           contents,
		MimeType:           "text/html", // explicit: see the package doc
		SourceLanguageCode: src,
		TargetLanguageCode: tgt,
		Model:              a.model,
		GlossaryConfig:     a.glossary,
	}
	client, err := a.connect()
	if err != nil {
		return nil, err
	}
	resp, err := client.TranslateText(ctx, r)
	if err != nil {
		e := classify(ctx, err)
		a.log.DebugContext(ctx, "google: translate failed", "strings", len(contents), "class", e.Class, "err", err)
		return nil, e
	}
	a.meter.add(contents)
	ts := resp.GetTranslations()
	if a.glossary != nil {
		if g := resp.GetGlossaryTranslations(); len(g) > 0 {
			ts = g
		} else {
			a.log.DebugContext(ctx, "google: reply without glossary_translations", "glossary", a.glossary.Glossary)
		}
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.GetTranslatedText()
	}
	return out, nil
}

// Limits reports Google's per-request limits: 1,024 strings and the
// configured request size (5,000 code points by default).
func (a *Advanced) Limits() providers.Limits { return a.limits }

// NativeGlossary reports whether a glossary resource is configured, in
// which case Google applies it and the pipeline need not protect terms.
func (a *Advanced) NativeGlossary() bool { return a.glossary != nil }

// Usage returns requests made, characters billed and their cost so far.
func (a *Advanced) Usage() providers.Usage { return a.meter.usage() }

// Tokens returns a segment's billed size: the code points of its HTML.
func (a *Advanced) Tokens(segment string) int {
	return utf8.RuneCountInString(encodeHTML(segment))
}

// EstimateCost prices tokens billed characters (as counted by Tokens).
func (a *Advanced) EstimateCost(tokens, chars int) float64 {
	return float64(tokens) * a.meter.price / 1e6
}

// Close releases the client's connections.
func (a *Advanced) Close() error {
	var err error
	a.once.Do(func() { a.clientErr = errors.New("googletranslate: closed") }) // never dial after Close
	if a.client != nil {
		err = a.client.Close()
	}
	if a.conn != nil {
		// Closed by the client already when it owns it; a second close
		// only reports that.
		a.conn.Close()
	}
	return err
}

var (
	_ providers.Limiter        = (*Advanced)(nil)
	_ providers.GlossaryNative = (*Advanced)(nil)
	_ providers.Metered        = (*Advanced)(nil)
	_ providers.Estimator      = (*Advanced)(nil)
)

var _ providers.Provider = (*Advanced)(nil)
