package openaichat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	openai "github.com/sashabaranov/go-openai"

	"github.com/diglot/diglot/providers"
	"github.com/diglot/diglot/tags"
)

func init() {
	providers.Register(providers.Engine{
		Name:    "openai",
		Summary: "any OpenAI-compatible chat API (OpenAI, Azure, DeepSeek, Qwen, Ollama, vLLM, llama.cpp) through go-openai",
		New:     New,
	})
}

// New builds the engine from its [providers.openai] table: the registry's
// factory. The environment and the logger come from cfg; a relative
// system_prompt_file is relative to the configuration file; api_key_env
// set to "" in the table means the server needs no key.
func New(cfg providers.Config) (providers.Provider, error) {
	var opts Options
	if err := cfg.DecodeInto(&opts); err != nil {
		return nil, fmt.Errorf("openaichat: settings: %w", err)
	}
	// An empty api_key_env cannot be told from an absent one in the
	// struct; the table itself can.
	if opts.APIKeyEnv == "" && cfg.Decode != nil {
		var table map[string]any
		if err := cfg.DecodeInto(&table); err == nil {
			if v, ok := table["api_key_env"]; ok && v == "" {
				opts.NoAPIKey = true
			}
		}
	}
	opts.SystemPromptFile = cfg.Path(opts.SystemPromptFile) // relative to config.toml
	opts.Getenv = cfg.Env
	opts.Logger = cfg.Log()
	return NewTranslator(&opts)
}

// Translator is the openai engine. It is safe for concurrent use.
type Translator struct {
	opts    Options
	key     string
	prompt  string
	client  *openai.Client
	hc      *http.Client
	counter counter
	log     *slog.Logger

	requests, promptTokens, completionTokens atomic.Int64
}

// NewTranslator builds the engine for library users; a nil opts means
// defaults. The key comes from opts.APIKey or the variable opts.APIKeyEnv
// names (OPENAI_API_KEY by default), read with opts.Getenv; building fails
// with a [*providers.KeyError] when it is unset, unless the server is
// local or opts.NoAPIKey says it needs none. Nothing is sent until
// Translate.
func NewTranslator(opts *Options) (*Translator, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	o, err := o.withDefaults(getenv)
	if err != nil {
		return nil, err
	}
	if o.Temperature != nil && *o.Temperature != 1 && isReasoningModel(o.Model) {
		return nil, fmt.Errorf("%w: model %s takes no temperature; remove the setting", ErrOptions, o.Model)
	}
	prompt := DefaultSystemPrompt
	if o.SystemPromptFile != "" {
		b, err := os.ReadFile(o.SystemPromptFile)
		if err != nil {
			return nil, fmt.Errorf("openaichat: system_prompt_file: %w", err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return nil, fmt.Errorf("%w: system_prompt_file %s is empty", ErrOptions, o.SystemPromptFile)
		}
		prompt = string(b)
	}
	key, err := o.apiKey(getenv)
	if err != nil {
		return nil, err
	}
	base := o.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	zero := o.Temperature != nil && *o.Temperature == 0
	// No Timeout on the client: each call has its own deadline from ctx.
	// go-openai does not retry; the pipeline does.
	hc := &http.Client{Transport: &transport{base: base, zeroTemperature: zero, now: time.Now}}
	t := &Translator{
		opts:    o,
		key:     key,
		prompt:  prompt,
		client:  openai.NewClientWithConfig(o.clientConfig(key, hc)),
		hc:      hc,
		counter: newCounter(o.Model),
		log:     logger,
	}
	logger.Debug("openai engine ready", "model", o.Model, "api_type", o.APIType,
		"response_format", o.ResponseFormat, "key_set", key != "", "tokenizer", t.counter.name())
	return t, nil
}

// apiKey returns the key to send, or "" when none is needed, or the
// error that stops a run before its first request: OpenAI's API and other
// public servers need a key; a local server (loopback, private address,
// single-label host) or one declared keyless (api_key_env = "") does not.
func (o Options) apiKey(getenv func(string) string) (string, error) {
	if o.NoAPIKey {
		if o.APIType != "openai" {
			return "", fmt.Errorf("%w: Azure needs an API key; api_key_env must name its variable", ErrOptions)
		}
		return "", nil
	}
	key := strings.TrimSpace(o.APIKey)
	if key == "" {
		key = strings.TrimSpace(getenv(o.APIKeyEnv))
	}
	if key != "" || o.APIType == "openai" && providers.IsLocalURL(o.BaseURL) {
		return key, nil
	}
	return "", fmt.Errorf("openaichat: %w", &providers.KeyError{Env: o.APIKeyEnv,
		Hint: "the key is read from the environment only; for a server that needs none, set api_key_env = \"\" in [providers.openai]"})
}

// Options returns the settings in use, defaults applied.
func (t *Translator) Options() Options { return t.opts }

// Translate translates req.Segments in one chat completion. Segments
// without a letter (blank, only tags, numbers or punctuation) are returned
// as they are, unsent. A reply that cannot be used as a whole (not JSON,
// ids missing or repeated) is a BadReply error, one cut by the output
// limit TooLarge; translations that fail their own checks (tags, an echo
// of the source, a refusal, a leaked preamble, note or reasoning) are
// reported in a *providers.SegmentErrors alongside the other results, and
// their slots are left empty.
func (t *Translator) Translate(ctx context.Context, req providers.Request) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, &providers.Error{Class: providers.Canceled, Err: fmt.Errorf("openaichat: %w", err)}
	}
	out := make([]string, len(req.Segments))
	var idx []int
	for i, s := range req.Segments {
		if !strings.ContainsFunc(tags.Strip(s), unicode.IsLetter) {
			// Blank, tags, numbers, punctuation: nothing to translate.
			out[i] = s
			continue
		}
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return out, nil
	}

	creq, err := t.chatRequest(req, idx)
	if err != nil {
		return nil, err
	}
	x := &exchange{}
	cctx, cancel := context.WithTimeout(withExchange(ctx, x), t.opts.Timeout.std())
	defer cancel()
	start := time.Now()
	resp, err := t.client.CreateChatCompletion(cctx, creq)
	t.requests.Add(1)
	if err != nil {
		timedOut := errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		e := t.classify(ctx, err, timedOut, x)
		t.log.Debug("openai request failed", "segments", len(idx), "class", e.Class.String(),
			"status", e.Status, "retry_after", e.RetryAfter, "elapsed", time.Since(start))
		return nil, e
	}
	t.promptTokens.Add(int64(resp.Usage.PromptTokens))
	t.completionTokens.Add(int64(resp.Usage.CompletionTokens))
	t.log.Debug("openai reply", "segments", len(idx), "prompt_tokens", resp.Usage.PromptTokens,
		"completion_tokens", resp.Usage.CompletionTokens, "elapsed", time.Since(start))

	texts, err := t.readReply(resp, len(idx))
	if err != nil {
		return nil, err
	}
	failed := map[int]error{}
	for k, i := range idx {
		src := req.Segments[i]
		tr := keepEdges(src, texts[k])
		if err := checkSegment(src, tr, req.Source, req.Target); err != nil {
			failed[i] = err
			t.log.Debug("openai segment rejected", "segment", i, "reason", err.Error())
			continue
		}
		out[i] = tr
	}
	if len(failed) > 0 {
		return out, &providers.SegmentErrors{Failed: failed}
	}
	return out, nil
}

// chatRequest builds the chat completion for the segments at idx.
func (t *Translator) chatRequest(req providers.Request, idx []int) (openai.ChatCompletionRequest, error) {
	p := Payload{
		SourceLanguage: req.Source.String(),
		TargetLanguage: req.Target.String(),
		Context: PayloadContext{
			Title:  req.Context.Title,
			Before: clip(req.Context.Before, 600),
		},
		Glossary: glossaryTerms(req.Glossary),
		Segments: make([]PayloadSegment, len(idx)),
	}
	for k, i := range idx {
		p.Segments[k] = PayloadSegment{ID: SegmentID(k), Text: req.Segments[i]}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Tags travel as written: "<x1/>", not "\u003cx1/\u003e", which models
	// are more likely to mangle.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return openai.ChatCompletionRequest{}, providers.Errorf(providers.Permanent, "openaichat: encode request: %w", err)
	}
	creq := openai.ChatCompletionRequest{
		Model: t.opts.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: t.prompt},
			{Role: openai.ChatMessageRoleUser, Content: strings.TrimSuffix(buf.String(), "\n")},
		},
		ReasoningEffort:    t.opts.ReasoningEffort,
		ChatTemplateKwargs: t.opts.ChatTemplateKwargs,
	}
	if t.opts.Temperature != nil {
		creq.Temperature = float32(*t.opts.Temperature) // 0 is added by the transport
	}
	if n := t.opts.MaxOutputTokens; n > 0 {
		if t.opts.MaxTokensParam == "max_completion_tokens" {
			creq.MaxCompletionTokens = n
		} else {
			//lint:ignore SA1019 vLLM, llama.cpp, Ollama and older deployments take only max_tokens; max_tokens_param chooses
			creq.MaxTokens = n
		}
	}
	switch t.opts.ResponseFormat {
	case FormatJSONSchema:
		creq.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   "translations",
				Schema: replySchema,
				Strict: true,
			},
		}
	case FormatJSONObject:
		creq.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return creq, nil
}

// readReply checks the reply as a whole and returns the n translations in
// segment order.
func (t *Translator) readReply(resp openai.ChatCompletionResponse, n int) ([]string, error) {
	if len(resp.Choices) == 0 {
		return nil, providers.Errorf(providers.BadReply, "openaichat: reply has no choices")
	}
	c := resp.Choices[0]
	switch c.FinishReason {
	case openai.FinishReasonLength:
		// The output limit cut the reply: the same request would be cut
		// again, so it must be made smaller, not retried.
		return nil, providers.Errorf(providers.TooLarge, "openaichat: reply truncated (finish_reason length): %d segment(s) too big for the output limit", n)
	case openai.FinishReasonContentFilter:
		return nil, providers.Errorf(providers.BadReply, "openaichat: reply withheld by the content filter")
	}
	if strings.TrimSpace(c.Message.Content) == "" {
		if c.Message.Refusal != "" {
			return nil, providers.Errorf(providers.BadReply, "openaichat: model refused: %s", clip(providers.Redact(c.Message.Refusal, t.key), 120))
		}
		return nil, providers.Errorf(providers.BadReply, "openaichat: reply is empty")
	}
	reply, err := extractReply(c.Message.Content)
	if err != nil {
		return nil, &providers.Error{Class: providers.BadReply, Err: err}
	}
	return matchIDs(reply, n)
}

// keepEdges gives a translation the leading and trailing whitespace of its
// source, which models drop or invent.
func keepEdges(src, tr string) string {
	lead := src[:len(src)-len(strings.TrimLeftFunc(src, unicode.IsSpace))]
	trail := src[len(strings.TrimRightFunc(src, unicode.IsSpace)):]
	return lead + strings.TrimSpace(tr) + trail
}

// Limits reports the batch limits and rates the pipeline paces for.
func (t *Translator) Limits() providers.Limits {
	return providers.Limits{
		MaxSegments: t.opts.MaxBatchSegments,
		MaxTokens:   t.opts.MaxBatchTokens,
		// A segment bigger than a whole batch is split at sentences; a CJK
		// character is about a token, so this bound is safe for all scripts.
		MaxSegmentChars:   t.opts.MaxBatchTokens,
		RequestsPerMinute: t.opts.RequestsPerMinute,
		TokensPerMinute:   t.opts.TokensPerMinute,
		Concurrency:       t.opts.Concurrency,
	}
}

// Model returns the model that answers, so translations are recorded as
// "openai:MODEL". For Azure it is the model name, not the deployment.
func (t *Translator) Model() string { return t.opts.Model }

// GlossaryHints reports true: glossary entries are rendered into each
// request, so the pipeline sends terms instead of protecting them.
func (t *Translator) GlossaryHints() bool { return true }

// Usage returns the requests made and the tokens the server reported, with
// their cost from the price table.
func (t *Translator) Usage() providers.Usage {
	p, c := t.promptTokens.Load(), t.completionTokens.Load()
	return providers.Usage{
		Requests:         t.requests.Load(),
		PromptTokens:     p,
		CompletionTokens: c,
		Cost:             t.cost(float64(p), float64(c)),
	}
}

func (t *Translator) cost(prompt, completion float64) float64 {
	return prompt/1e6*t.opts.InputPerMillion + completion/1e6*t.opts.OutputPerMillion
}

// Tokens returns a segment's size in tokens, with the model's tokenizer for
// OpenAI model families (from embedded BPE tables, never downloaded) and a
// character estimate otherwise, plus the JSON around it.
func (t *Translator) Tokens(segment string) int {
	return t.counter.count(segment) + segmentOverhead
}

// outputRatio is the expected completion tokens per source token, for cost
// estimates: translations run a little longer than their sources.
const outputRatio = 1.2

// EstimateCost returns the expected cost of translating segments of the
// given total tokens: the tokens as input and outputRatio times them as
// output. chars is unused: the price table is per token.
func (t *Translator) EstimateCost(tokens, chars int) float64 {
	// Each request also carries the system prompt and the JSON framing,
	// which the segments' tokens leave out.
	prompt := float64(tokens + t.counter.count(t.prompt) + requestOverhead)
	return t.cost(prompt, float64(tokens)*outputRatio)
}

// requestOverhead is the prompt tokens of a request beyond the system
// prompt and the segments: the message framing and the JSON object's
// languages, context and keys.
const requestOverhead = 60

// Close releases idle connections.
func (t *Translator) Close() error {
	t.hc.CloseIdleConnections()
	return nil
}

func (d Duration) std() time.Duration { return time.Duration(d) }

func (c counter) name() string {
	if c.encoding == "" {
		return "estimate"
	}
	return c.encoding
}

var (
	_ providers.Provider      = (*Translator)(nil)
	_ providers.Limiter       = (*Translator)(nil)
	_ providers.GlossaryHints = (*Translator)(nil)
	_ providers.Metered       = (*Translator)(nil)
	_ providers.Estimator     = (*Translator)(nil)
	_ providers.Modeler       = (*Translator)(nil)
)
