package openaichat

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Options are the settings of the openai engine, decoded from the
// [providers.openai] table of config.toml. The zero value of every field
// means its default.
type Options struct {
	// BaseURL is the API root, ending in /v1 for most servers. The
	// environment variable OPENAI_BASE_URL overrides it. Default
	// https://api.openai.com/v1.
	BaseURL string `toml:"base_url"`
	// APIKeyEnv names the environment variable that holds the API key; the
	// key itself is never read from a file. Default OPENAI_API_KEY. The
	// variable must be set unless the server is local (see
	// [providers.IsLocalURL]: Ollama, vLLM or llama.cpp on loopback, a
	// private address or a single-label host) or the table sets
	// api_key_env = "" (then no key is sent; see NoAPIKey).
	APIKeyEnv string `toml:"api_key_env"`
	// Organization is sent as OpenAI-Organization when set.
	Organization string `toml:"organization"`
	// Model is the model name (for Azure, the model the deployment runs;
	// see AzureDeployments). Default gpt-4o-mini.
	Model string `toml:"model"`
	// Temperature is sent when set, including 0 (which go-openai would
	// otherwise drop). Unset leaves the server's default, which reasoning
	// models (o1, o3, gpt-5) require.
	Temperature *float64 `toml:"temperature"`
	// MaxOutputTokens bounds each reply; 0 leaves the server's default.
	MaxOutputTokens int `toml:"max_output_tokens"`
	// MaxTokensParam names the request field MaxOutputTokens travels in:
	// "max_tokens" (most compatible servers) or "max_completion_tokens"
	// (required by OpenAI reasoning models). Default: max_completion_tokens
	// for o1/o3/o4/gpt-5 models, max_tokens otherwise.
	MaxTokensParam string `toml:"max_tokens_param"`
	// ResponseFormat is json_schema (a strict schema; OpenAI, Azure, vLLM,
	// llama.cpp, recent Ollama), json_object (DeepSeek, Qwen) or text
	// (servers with neither). Default json_schema.
	ResponseFormat string `toml:"response_format"`
	// ReasoningEffort is sent as reasoning_effort when set (reasoning
	// models only): minimal, low, medium or high.
	ReasoningEffort string `toml:"reasoning_effort"`
	// ChatTemplateKwargs is sent as chat_template_kwargs when set, e.g.
	// {enable_thinking = false} for Qwen3 on vLLM.
	ChatTemplateKwargs map[string]any `toml:"chat_template_kwargs"`
	// Timeout bounds one request, as a Go duration string ("90s"). A
	// request that times out is retryable. Default 120s.
	Timeout Duration `toml:"timeout"`
	// SystemPromptFile replaces the built-in system prompt with the
	// file's contents. Through the registry (New), a relative path is
	// relative to the configuration file; given to NewTranslator, to the
	// working directory.
	SystemPromptFile string `toml:"system_prompt_file"`

	// MaxBatchTokens is the most source tokens one request carries, as
	// counted by the engine's estimator. Default 2000.
	MaxBatchTokens int `toml:"max_batch_tokens"`
	// MaxBatchSegments is the most segments one request carries. Default 64:
	// short segments (headings, captions) are common, and tokens usually
	// bound a batch first.
	MaxBatchSegments int `toml:"max_batch_segments"`
	// RequestsPerMinute and TokensPerMinute are the account's rate limits,
	// which the pipeline paces for; 0 means unlimited.
	RequestsPerMinute float64 `toml:"requests_per_minute"`
	TokensPerMinute   float64 `toml:"tokens_per_minute"`
	// Concurrency is the most requests in flight at once. Default 4.
	Concurrency int `toml:"concurrency"`

	// APIType is openai (default), azure (key in the api-key header) or
	// azure_ad (an Entra ID token as the bearer).
	APIType string `toml:"api_type"`
	// APIVersion is the Azure API version. Default 2024-10-21 for Azure.
	APIVersion string `toml:"api_version"`
	// AzureDeployments maps a model name to its Azure deployment name. A
	// model not in the map is its own deployment name.
	AzureDeployments map[string]string `toml:"azure_deployments"`

	// InputPerMillion and OutputPerMillion are the prices of a million
	// prompt and completion tokens, in any currency; no price is built in.
	InputPerMillion  float64 `toml:"input_per_million"`
	OutputPerMillion float64 `toml:"output_per_million"`

	// Transport is the HTTP transport under the engine's own (for proxies
	// and tests); nil means http.DefaultTransport. Not settable from TOML.
	Transport http.RoundTripper `toml:"-"`
	// APIKey is the key itself, for library users; when empty it is read
	// from the variable APIKeyEnv names. Not settable from TOML.
	APIKey string `toml:"-"`
	// NoAPIKey sends no key and requires none, for a server that needs
	// none on a public address (a proxy that adds the key itself). [New]
	// sets it when the table says api_key_env = "".
	NoAPIKey bool `toml:"-"`
	// Getenv reads the environment (the key, OPENAI_BASE_URL); nil means
	// os.Getenv. Not settable from TOML.
	Getenv func(string) string `toml:"-"`
	// Logger receives debug detail, never segment text above Debug and
	// never the key; nil discards. Not settable from TOML.
	Logger *slog.Logger `toml:"-"`
}

// The defaults of [Options].
const (
	DefaultBaseURL          = "https://api.openai.com/v1"
	DefaultAPIKeyEnv        = "OPENAI_API_KEY"
	DefaultModel            = "gpt-4o-mini"
	DefaultTimeout          = 120 * time.Second
	DefaultMaxBatchTokens   = 2000
	DefaultMaxBatchSegments = 64
	DefaultConcurrency      = 4
	DefaultAzureAPIVersion  = "2024-10-21"
)

// The response formats.
const (
	FormatJSONSchema = "json_schema"
	FormatJSONObject = "json_object"
	FormatText       = "text"
)

// EnvBaseURL is the environment variable that overrides Options.BaseURL.
const EnvBaseURL = "OPENAI_BASE_URL"

// ErrOptions is matched by every invalid-settings error.
var ErrOptions = errors.New("openaichat: invalid settings")

// Duration is a time.Duration written in TOML as a Go duration string
// ("30s", "2m").
type Duration time.Duration

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%w: duration %q: %w", ErrOptions, b, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalText formats d as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// withDefaults returns o with every zero field set to its default and the
// environment applied, or an error naming the first invalid setting.
func (o Options) withDefaults(getenv func(string) string) (Options, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if v := strings.TrimSpace(getenv(EnvBaseURL)); v != "" {
		o.BaseURL = v
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.APIKeyEnv == "" {
		o.APIKeyEnv = DefaultAPIKeyEnv
	}
	if o.Model == "" {
		o.Model = DefaultModel
	}
	if o.ResponseFormat == "" {
		o.ResponseFormat = FormatJSONSchema
	}
	switch o.ResponseFormat {
	case FormatJSONSchema, FormatJSONObject, FormatText:
	default:
		return o, fmt.Errorf("%w: response_format %q: want json_schema, json_object or text", ErrOptions, o.ResponseFormat)
	}
	if o.MaxTokensParam == "" {
		o.MaxTokensParam = "max_tokens"
		if isReasoningModel(o.Model) {
			o.MaxTokensParam = "max_completion_tokens"
		}
	}
	switch o.MaxTokensParam {
	case "max_tokens", "max_completion_tokens":
	default:
		return o, fmt.Errorf("%w: max_tokens_param %q: want max_tokens or max_completion_tokens", ErrOptions, o.MaxTokensParam)
	}
	if o.Timeout == 0 {
		o.Timeout = Duration(DefaultTimeout)
	}
	if o.MaxBatchTokens == 0 {
		o.MaxBatchTokens = DefaultMaxBatchTokens
	}
	if o.MaxBatchSegments == 0 {
		o.MaxBatchSegments = DefaultMaxBatchSegments
	}
	if o.Concurrency == 0 {
		o.Concurrency = DefaultConcurrency
	}
	switch strings.ToLower(o.APIType) {
	case "", "openai", "open_ai":
		o.APIType = "openai"
	case "azure":
		o.APIType = "azure"
	case "azure_ad":
		o.APIType = "azure_ad"
	default:
		return o, fmt.Errorf("%w: api_type %q: want openai, azure or azure_ad", ErrOptions, o.APIType)
	}
	if o.APIType != "openai" && o.APIVersion == "" {
		o.APIVersion = DefaultAzureAPIVersion
	}
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("%w: timeout %v is negative", ErrOptions, time.Duration(o.Timeout))
	case o.MaxBatchTokens < 0, o.MaxBatchSegments < 0, o.Concurrency < 0, o.MaxOutputTokens < 0:
		return o, fmt.Errorf("%w: batch limits, concurrency and max_output_tokens must not be negative", ErrOptions)
	case o.RequestsPerMinute < 0, o.TokensPerMinute < 0:
		return o, fmt.Errorf("%w: rate limits must not be negative", ErrOptions)
	case o.InputPerMillion < 0, o.OutputPerMillion < 0:
		return o, fmt.Errorf("%w: prices must not be negative", ErrOptions)
	case o.Temperature != nil && (*o.Temperature < 0 || *o.Temperature > 2):
		return o, fmt.Errorf("%w: temperature %v: want 0 to 2", ErrOptions, *o.Temperature)
	}
	return o, nil
}

// clientConfig builds go-openai's configuration for o (with defaults
// applied) and key.
func (o Options) clientConfig(key string, hc *http.Client) openai.ClientConfig {
	var cfg openai.ClientConfig
	switch o.APIType {
	case "azure", "azure_ad":
		cfg = openai.DefaultAzureConfig(key, o.BaseURL)
		if o.APIType == "azure_ad" {
			cfg.APIType = openai.APITypeAzureAD
		}
		cfg.APIVersion = o.APIVersion
		deployments := o.AzureDeployments
		cfg.AzureModelMapperFunc = func(model string) string {
			if d, ok := deployments[model]; ok {
				return d
			}
			return model
		}
	default:
		cfg = openai.DefaultConfig(key)
		cfg.BaseURL = o.BaseURL
	}
	cfg.OrgID = o.Organization
	cfg.HTTPClient = hc
	return cfg
}

// isReasoningModel reports whether model is an OpenAI reasoning model, which
// takes max_completion_tokens and no temperature.
func isReasoningModel(model string) bool {
	m := strings.ToLower(model)
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}
